/** Full decode of a native map into a MapRecord, for merge/export. */
import type { MapRecord } from '../model.js';
import type { NativeMapReader } from './reader.js';

export function recordFromReader(reader: NativeMapReader): MapRecord {
  const sources = reader.sourceNames();
  const rows = new Map<string, Uint32Array>();
  const unused = new Set<string>();
  let edges = 0;
  for (let i = 0; i < sources.length; i++) {
    const row = reader.row(i);
    if (row) {
      rows.set(sources[i], row);
      edges += row.length;
    } else {
      unused.add(sources[i]);
    }
  }
  if (edges !== reader.edgeCount) throw reader.fail(`is corrupt: rows hold ${edges} edges, header says ${reader.edgeCount}`, 'rows');
  let blocks: MapRecord['blocks'];
  if (reader.hasBlocks) {
    blocks = new Map();
    for (let i = 0; i < sources.length; i++) {
      const entry = reader.blocks(i);
      if (entry) blocks.set(sources[i], entry);
    }
  }
  const record: MapRecord = { metadata: { ...reader.metadata }, tests: reader.testNames().slice(), rows, unused, blocks };
  if (reader.recordingTests) record.recordingTests = reader.recordingTests.map((ids) => ids.slice());
  return record;
}
