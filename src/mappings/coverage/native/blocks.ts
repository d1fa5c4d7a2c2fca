/**
 * Block data of one source file: its blocks (functions / module body) and, per test, the ids of
 * the blocks it executed. Layout (all varints):
 *   nBlocks, then per block: id, start, end, name byte length, name (UTF-8)
 *   nTests,  then per test (ascending id): test id (first absolute, then gap − 1),
 *            nIds, block ids as a delta list (first absolute, then gap − 1)
 *
 * Its nesting, in the separate blockTree section (so readers that predate it still read the
 * entry above): nBlocks, then per block in the same order: parent id + 1 (0: none), kind code
 * (0: none; see KINDS, an unknown code reads as a plain block), flags (1: owns its first line,
 * 2: owns its last line).
 */
import type { Block, BlockKind } from '../types.js';
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

/** Kind codes of the blockTree section; append only (a code's meaning never changes). */
const KINDS: readonly (BlockKind | undefined)[] = [undefined, 'function', 'if', 'else', 'loop', 'case', 'catch', 'finally', 'cond', 'after'];

/** Whether any block carries nesting data (else no blockTree entry is written). */
export function hasTree(blocks: readonly Block[]): boolean {
  return blocks.some((b) => b.parent !== undefined || b.kind !== undefined || b.ownsStart || b.ownsEnd);
}

export function writeBlockTree(w: ByteWriter, blocks: readonly Block[]): void {
  const ids = new Set(blocks.map((b) => b.id));
  w.varint(blocks.length);
  for (const b of blocks) {
    if (b.parent !== undefined) {
      checkNatural(b.parent, 'block parent');
      if (!ids.has(b.parent) || b.parent === b.id) throw new RangeError(`native map: block ${b.id} has parent ${b.parent}, not another block of the file`);
    }
    const kind = b.kind === undefined ? 0 : KINDS.indexOf(b.kind);
    if (kind < 0) throw new RangeError(`native map: unknown block kind ${String(b.kind)}`);
    w.varint(b.parent === undefined ? 0 : b.parent + 1);
    w.varint(kind);
    w.varint((b.ownsStart ? 1 : 0) | (b.ownsEnd ? 2 : 0));
  }
}

/** The blocks with their nesting added; a tree that does not fit them is a FormatViolation. */
export function readBlockTree(bytes: Uint8Array, blocks: readonly Block[]): Block[] {
  const r = new ByteReader(bytes);
  const n = r.varint();
  if (n !== blocks.length) throw new FormatViolation(`block tree has ${n} blocks, the block entry ${blocks.length}`);
  const ids = new Set(blocks.map((b) => b.id));
  const out = blocks.map((b) => {
    const parent = r.varint();
    const kind = r.varint();
    const flags = r.varint();
    const next: Block = { ...b };
    if (parent > 0) {
      if (!ids.has(parent - 1) || parent - 1 === b.id) throw new FormatViolation(`block ${b.id} has parent ${parent - 1}, not another block of the file`);
      next.parent = parent - 1;
    }
    // A kind this reader does not know is a block of an unknown kind: still a block.
    const k = KINDS[kind];
    if (k !== undefined) next.kind = k;
    if (flags & 1) next.ownsStart = true;
    if (flags & 2) next.ownsEnd = true;
    return next;
  });
  if (!r.done) throw new FormatViolation('block tree has trailing bytes');
  // Parent links must form a tree (no cycle), or "innermost" would loop.
  const parentOf = new Map(out.map((b) => [b.id, b.parent]));
  for (const b of out) {
    let steps = 0;
    for (let p = b.parent; p !== undefined; p = parentOf.get(p)) {
      if (++steps > out.length) throw new FormatViolation(`block ${b.id} is inside itself (a cycle of parents)`);
    }
  }
  return out;
}
