/**
 * Block data of one source file: its blocks (functions / module body) and, per test, the ids of
 * the blocks it executed. Layout (all varints):
 *   nBlocks, then per block: id, start, end, name byte length, name (UTF-8)
 *   nTests,  then per test (ascending id): test id (first absolute, then gap − 1),
 *            nIds, block ids as a delta list (first absolute, then gap − 1)
 */
import type { Block } from '../types.js';
import { ByteReader, ByteWriter, FormatViolation } from './varint.js';

export interface RecordBlocks {
  blocks: Block[];
  /** test id → executed block ids */
  executed: Map<number, number[]>;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

function checkNatural(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`native map: ${what} must be a non-negative integer, got ${value}`);
}

/** `executed` must already use final (sorted-order) test ids. Block id lists are sorted/deduped here. */
export function writeBlocks(w: ByteWriter, entry: RecordBlocks): void {
  w.varint(entry.blocks.length);
  for (const b of entry.blocks) {
    checkNatural(b.id, 'block id');
    checkNatural(b.start, 'block start line');
    checkNatural(b.end, 'block end line');
    const name = utf8.encode(b.name);
    w.varint(b.id);
    w.varint(b.start);
    w.varint(b.end);
    w.varint(name.length);
    w.bytes(name);
  }
  const tests = [...entry.executed.keys()].sort((a, b) => a - b);
  w.varint(tests.length);
  let prevTest = -1;
  for (const t of tests) {
    w.varint(prevTest < 0 ? t : t - prevTest - 1);
    prevTest = t;
    const ids = [...new Set(entry.executed.get(t)!)].sort((a, b) => a - b);
    for (const id of ids) checkNatural(id, 'executed block id');
    w.varint(ids.length);
    let prev = -1;
    for (const id of ids) {
      w.varint(prev < 0 ? id : id - prev - 1);
      prev = id;
    }
  }
}

export function readBlocks(bytes: Uint8Array, testCount: number): RecordBlocks {
  const r = new ByteReader(bytes);
  const nBlocks = r.varint();
  if (nBlocks > bytes.length) throw new FormatViolation(`block entry claims ${nBlocks} blocks in ${bytes.length} bytes`);
  const blocks: Block[] = [];
  for (let i = 0; i < nBlocks; i++) {
    const id = r.varint();
    const start = r.varint();
    const end = r.varint();
    const nameLength = r.varint();
    let name: string;
    try {
      name = fromUtf8.decode(r.take(nameLength));
    } catch (err) {
      if (err instanceof FormatViolation) throw err;
      throw new FormatViolation('block name is not valid UTF-8');
    }
    blocks.push({ id, name, start, end });
  }
  const nTests = r.varint();
  if (nTests > testCount) throw new FormatViolation(`block entry lists ${nTests} tests but the map has ${testCount}`);
  const executed = new Map<number, number[]>();
  let prevTest = -1;
  for (let i = 0; i < nTests; i++) {
    const t = prevTest < 0 ? r.varint() : prevTest + 1 + r.varint();
    if (t >= testCount) throw new FormatViolation(`block entry has test id ${t} ≥ ${testCount}`);
    prevTest = t;
    const n = r.varint();
    if (n > r.end - r.pos) throw new FormatViolation(`block entry claims ${n} block ids in too few bytes`);
    const ids = new Array<number>(n);
    let prev = -1;
    for (let k = 0; k < n; k++) {
      const id = prev < 0 ? r.varint() : prev + 1 + r.varint();
      ids[k] = id;
      prev = id;
    }
    executed.set(t, ids);
  }
  if (!r.done) throw new FormatViolation('block entry has trailing bytes');
  return { blocks, executed };
}
