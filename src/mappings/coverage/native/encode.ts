/** Record → native map bytes (see format.ts for the layout). */
import type { MapRecord } from '../model.js';
import { hasTree, writeBlocks, writeBlockTree, type RecordBlocks } from './blocks.js';
import { crc32 } from './crc32.js';
import { FORMAT_VERSION, SINGLE_COMMIT_VERSION, NATIVE_MAGIC, PREFIX_LENGTH, type NativeHeader, type SectionEntry, type SectionName } from './format.js';
import { buildHashTable } from './hash.js';
import { writeRow } from './rows.js';
import { ByteWriter } from './varint.js';
import { testsiftVersion } from './version.js';

const utf8 = new TextEncoder();

function checkName(name: string, what: string): void {
  // NUL separates names in the file; no file system allows it in a path anyway.
  if (name.includes('\0')) throw new RangeError(`native map: ${what} path contains a NUL character: ${JSON.stringify(name)}`);
}

/** Sorted, de-duplicated ids after remapping through `toNew`. */
function remapRow(ids: Uint32Array, toNew: Uint32Array, identity: boolean): Uint32Array {
  if (identity) return ids;
  const out = new Uint32Array(ids.length);
  for (let i = 0; i < ids.length; i++) out[i] = toNew[ids[i]];
  out.sort();
  let k = 0;
  for (let i = 0; i < out.length; i++) if (i === 0 || out[i] !== out[k - 1]) out[k++] = out[i];
  return out.subarray(0, k);
}

function isSortedUnique(ids: Uint32Array): boolean {
  for (let i = 1; i < ids.length; i++) if (ids[i] <= ids[i - 1]) return false;
  return true;
}

/**
 * The record's recording commits with their tests in file ids; [] when the record has none (a map
 * of `metadata.commit`). Refuses (RangeError) what the reader would reject: a test in no recording.
 */
function recordingRows(record: MapRecord, toNew: Uint32Array, testCount: number): Array<{ commit: string; timestamp?: string; ids: Uint32Array }> {
  const list = record.metadata.recordings;
  if (!list || list.length === 0) return [];
  const tests = record.recordingTests;
  if (!tests || tests.length !== list.length) throw new RangeError(`native map: ${list.length} recordings but ${tests?.length ?? 0} recording test lists`);
  const covered = new Uint8Array(testCount);
  const out = list.map((rec, i) => {
    for (const id of tests[i]) if (id >= record.tests.length) throw new RangeError(`native map: recording ${rec.commit} has unknown test id ${id}`);
    const ids = remapRow(tests[i], toNew, false);
    for (const id of ids) covered[id] = 1;
    return { commit: rec.commit, timestamp: rec.timestamp, ids };
  });
  if (new Set(list.map((r) => r.commit)).size !== list.length) throw new RangeError('native map: a commit appears twice in the recordings');
  const missing = covered.indexOf(0);
  if (missing >= 0) throw new RangeError(`native map: test ${record.tests[toNew.indexOf(missing)]} is in no recording`);
  return out;
}

export function encodeNativeMap(record: MapRecord): Uint8Array {
  // Tests in JS string order: ascending ids are then sorted names, which selection output wants.
  for (const t of record.tests) checkName(t, 'test');
  const testNames = [...new Set(record.tests)].sort();
  const newIdOf = new Map<string, number>();
  testNames.forEach((t, i) => newIdOf.set(t, i));
  const toNew = new Uint32Array(record.tests.length);
  let identity = testNames.length === record.tests.length;
  record.tests.forEach((t, i) => {
    toNew[i] = newIdOf.get(t)!;
    if (toNew[i] !== i) identity = false;
  });
  const testCount = testNames.length;

  const sourceSet = new Set<string>(record.rows.keys());
  for (const s of record.unused) sourceSet.add(s);
  if (record.blocks) for (const s of record.blocks.keys()) sourceSet.add(s);
  const sources = [...sourceSet].sort();
  for (const s of sources) checkName(s, 'source');

  const sections: Partial<Record<SectionName, SectionEntry>> = {};
  const body = new ByteWriter(1 << 16);
  const section = (name: SectionName, write: () => void, checked = true): void => {
    body.align(4);
    const start = body.length;
    write();
    const bytes = body.view().subarray(start);
    sections[name] = [start, bytes.length, checked ? crc32(bytes) : null];
  };

  const sourceBytes = sources.map((s) => utf8.encode(s));
  section('testNames', () => body.bytes(utf8.encode(testNames.join('\0'))));
  section('sourceNames', () => sourceBytes.forEach((b, i) => (i > 0 && body.byte(0), body.bytes(b))));
  section('sourceNameOffsets', () => {
    let at = 0;
    for (const b of sourceBytes) {
      body.u32(at);
      at += b.length + 1;
    }
    body.u32(at);
  });
  section('sourceHash', () => buildHashTable(sourceBytes).forEach((v) => body.u32(v)));

  let edges = 0;
  const rowEntries = (name: 'rows' | 'blocks' | 'blockTree', writeEntry: (w: ByteWriter, source: string) => void): void => {
    const w = new ByteWriter(1 << 16);
    const offsets = new Uint32Array(sources.length + 1);
    const crcs = new Uint32Array(sources.length);
    sources.forEach((s, i) => {
      offsets[i] = w.length;
      writeEntry(w, s);
      if (w.length > 0xffffffff) throw new RangeError('native map: section larger than 4 GiB');
      crcs[i] = w.length > offsets[i] ? crc32(w.view().subarray(offsets[i])) : 0;
    });
    offsets[sources.length] = w.length;
    const prefix = name === 'rows' ? 'row' : name === 'blocks' ? 'block' : 'blockTree';
    section(`${prefix}Offsets` as SectionName, () => offsets.forEach((v) => body.u32(v)));
    section(`${prefix}Crcs` as SectionName, () => crcs.forEach((v) => body.u32(v)));
    section(name, () => body.bytes(w.view()), false);
  };

  rowEntries('rows', (w, s) => {
    const ids = record.rows.get(s);
    if (!ids) return; // known, never executed: zero bytes
    const row = remapRow(ids, toNew, identity && isSortedUnique(ids));
    for (let i = 0; i < row.length; i++) if (row[i] >= testCount) throw new RangeError(`native map: row of ${s} has test id ${row[i]} ≥ ${testCount}`);
    edges += row.length;
    writeRow(w, row, testCount);
  });

  if (record.blocks && record.blocks.size > 0) {
    const blocks = record.blocks;
    rowEntries('blocks', (w, s) => {
      const entry = blocks.get(s);
      if (!entry) return;
      const executed = new Map<number, number[]>();
      for (const [tid, ids] of entry.executed) {
        const t = toNew[tid];
        if (t === undefined || tid >= record.tests.length) throw new RangeError(`native map: block data of ${s} has unknown test id ${tid}`);
        const prev = executed.get(t);
        executed.set(t, prev ? [...prev, ...ids] : [...ids]);
      }
      writeBlocks(w, { blocks: entry.blocks, executed } satisfies RecordBlocks);
    });
    // Nesting in its own sections, only when some file has it: a map of function blocks is
    // written byte for byte as before.
    if ([...blocks.values()].some((e) => hasTree(e.blocks))) {
      rowEntries('blockTree', (w, s) => {
        const entry = blocks.get(s);
        if (entry && hasTree(entry.blocks)) writeBlockTree(w, entry.blocks);
      });
    }
  }

  const { format: _format, formatVersion: _version, ...metadata } = record.metadata;
  if (!metadata.testsiftVersion) metadata.testsiftVersion = testsiftVersion() || undefined;
  let version = SINGLE_COMMIT_VERSION;
  const recordings = recordingRows(record, toNew, testCount);
  if (recordings.length === 1) {
    metadata.commit = recordings[0].commit;
    delete metadata.recordings;
  } else if (recordings.length > 1) {
    version = FORMAT_VERSION;
    delete metadata.commit;
    metadata.recordings = recordings.map(({ commit, timestamp, ids }) => (timestamp === undefined ? { commit, tests: ids.length } : { commit, timestamp, tests: ids.length }));
    section('recordingTests', () => {
      const w = new ByteWriter(1024);
      for (const { ids } of recordings) {
        const row = new ByteWriter(64);
        if (ids.length > 0) writeRow(row, ids, testCount);
        w.varint(row.length);
        w.bytes(row.view());
      }
      body.bytes(w.view());
    });
  }
  const header: NativeHeader = {
    metadata,
    counts: { sources: sources.length, tests: testCount, edges },
    fileLength: 0,
    sections: {},
  };
  // Section offsets are absolute, so the header's own length decides them: iterate to a fixpoint.
  let bodyStart = 0;
  let json: Uint8Array;
  for (;;) {
    header.sections = Object.fromEntries(
      Object.entries(sections).map(([k, [off, len, crc]]) => [k, [off + bodyStart, len, crc]]),
    ) as NativeHeader['sections'];
    header.fileLength = bodyStart + body.length;
    json = utf8.encode(JSON.stringify(header));
    const needed = Math.ceil((PREFIX_LENGTH + json.length) / 4) * 4;
    if (needed === bodyStart) break;
    bodyStart = needed;
  }
  const out = new ByteWriter(bodyStart + body.length);
  out.bytes(NATIVE_MAGIC);
  out.u32(version);
  out.u32(json.length);
  out.u32(crc32(json));
  out.bytes(json);
  out.align(4);
  out.bytes(body.view());
  return out.view();
}
