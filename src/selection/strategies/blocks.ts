import type { LineRange } from '../../changes/types.js';
import type { Block, BlockKind, FileBlocks } from '../../mappings/coverage/types.js';

/*
 * Block-level selection: a changed line selects the tests that executed the innermost block
 * holding it, in the lines of the version the map was recorded at (the diff's old side, which is
 * that version when the file did not change between the map's commit and the merge-base).
 *
 *   - a changed range lies in a block when the block holds every changed line: lines strictly
 *     inside it, or its first (last) line when the block owns that line (`ownsStart`/`ownsEnd`:
 *     no code of the enclosing block shares it). A function never owns its first line (its name
 *     and parameters are the enclosing code's): a changed header is a change to the enclosing
 *     block, so a condition change (`if (x) {` line) selects the tests that ran the code around
 *     the `if`;
 *   - a pure insertion after old line L lies in the innermost block holding both L and L + 1;
 *   - the module body (block 0), i.e. top-level statements, imports, class fields, decorators:
 *     every test that loaded the module — the file's whole row;
 *   - a hunk whose text opens or closes a block, or adds a `case` label (LineRange.shape
 *     'changed'), could move code between blocks: file level, with the reason;
 *   - a range past the recorded file's last line: the recorded lines do not describe this
 *     version: file level, with the reason.
 */

/** Where one changed range was placed, and the tests that executed that block. */
export interface Placement {
  range: LineRange;
  block: Block;
  /** Tests of the file row that executed the block (or have no block data: unknown ⇒ run). */
  tests: string[];
}

export type BlockSelection = { placements: Placement[]; tests: string[] } | { fallback: string };

function depthOf(blocks: ReadonlyMap<number, Block>, b: Block): number {
  let depth = 0;
  let cur: Block | undefined = b;
  // Bounded by the number of blocks: readers reject cycles, but never loop on bad input.
  while (cur && cur.id !== 0 && depth <= blocks.size) {
    depth++;
    cur = cur.parent === undefined ? undefined : blocks.get(cur.parent);
  }
  return depth;
}

function holdsRange(b: Block, r: LineRange): boolean {
  if (r.insertion) return b.start <= r.start && r.start + 1 <= b.end;
  const first = r.start > b.start || (r.start === b.start && b.ownsStart === true);
  const last = r.end < b.end || (r.end === b.end && b.ownsEnd === true);
  return first && last;
}

/**
 * The innermost block holding a changed range (see the rules above), or block 0 (module level)
 * when no other block does. Innermost: deepest in the block tree, then the smallest.
 */
export function innermostBlock(blocks: readonly Block[], range: LineRange): Block | undefined {
  const byId = new Map(blocks.map((b) => [b.id, b]));
  let best: Block | undefined;
  let bestDepth = -1;
  for (const b of blocks) {
    if (b.id === 0 || !holdsRange(b, range)) continue;
    const depth = depthOf(byId, b);
    if (!best || depth > bestDepth || (depth === bestDepth && b.end - b.start < best.end - best.start)) {
      best = b;
      bestDepth = depth;
    }
  }
  return best ?? byId.get(0);
}

function lines(r: { start: number; end: number }): string {
  return r.start === r.end ? `${r.start}` : `${r.start}-${r.end}`;
}

/** The changed lines as a person reads them. */
export function rangeText(r: LineRange): string {
  return r.insertion ? `lines added after ${r.start}` : `line${r.start === r.end ? '' : 's'} ${lines(r)}`;
}

const KIND_TEXT: Record<BlockKind, string> = {
  function: 'function',
  if: 'if branch',
  else: 'else branch',
  loop: 'loop body',
  case: 'case',
  catch: 'catch',
  finally: 'finally',
  cond: 'conditional branch',
  after: 'after an early exit',
};

/** `src/calc.ts:14-16 (div, if branch)`; module level: `src/calc.ts:3 (module level)`. */
export function placeText(path: string, p: Placement): string {
  const b = p.block;
  if (b.id === 0) return `${path}:${lines(p.range)} (module level)`;
  const name = b.name || 'anonymous function';
  const kind = b.kind ?? 'function';
  return `${path}:${lines(b)} (${kind === 'function' ? name : `${name}, ${KIND_TEXT[kind]}`})`;
}

/**
 * The tests of a file selected at block level, per changed range, or why file level must answer.
 * `fileTests` is the file's map row. A test with no block data for the file is kept (unknown ⇒ run).
 */
export function selectByBlocks(fileTests: readonly string[], data: FileBlocks, ranges: readonly LineRange[]): BlockSelection {
  if (data.untrusted) return { fallback: data.untrusted };
  if (ranges.length === 0) return { fallback: 'no changed lines are known (a rename, mode or binary change)' };
  const body = data.blocks.find((b) => b.id === 0);
  if (!body) return { fallback: 'the recorded blocks have no module body' };
  const placements: Placement[] = [];
  const all = new Set<string>();
  for (const r of ranges) {
    if (r.shape === 'changed') return { fallback: `${rangeText(r)}: the change opens or closes a block (code may move between blocks)` };
    const last = r.insertion ? r.start : r.end;
    if (last > body.end) return { fallback: `${rangeText(r)}: past the recorded file's ${body.end} lines (the recorded lines do not match this version)` };
    const block = innermostBlock(data.blocks, r)!;
    const tests =
      block.id === 0
        ? [...fileTests]
        : fileTests.filter((t) => {
            const ids = data.executed.get(t);
            return !ids || ids.includes(block.id);
          });
    placements.push({ range: r, block, tests });
    for (const t of tests) all.add(t);
  }
  const tests = fileTests.filter((t) => all.has(t));
  const insane = tests.length === 0 ? zeroSelectionProblem(fileTests, data, placements) : undefined;
  return insane ? { fallback: insane } : { placements, tests };
}

/**
 * A block-level answer of "no test" for a file the map says N tests ran must be right, not
 * merely possible: every changed range must sit in a recorded block inside a function (not the
 * module body, not outside every block), every one of the N tests must have block data for the
 * file, and none of them may have executed those blocks. Otherwise: why not (file level).
 */
export function zeroSelectionProblem(fileTests: readonly string[], data: FileBlocks, placements: readonly Placement[]): string | undefined {
  if (fileTests.length === 0) return undefined;
  const ids = new Set(data.blocks.map((b) => b.id));
  for (const p of placements) {
    if (p.block.id === 0 || !ids.has(p.block.id))
      return `${rangeText(p.range)} is not inside a recorded block, yet block data selects none of the ${fileTests.length} tests that ran the file`;
  }
  for (const t of fileTests) {
    const ran = data.executed.get(t);
    if (!ran) return `${t} has no block data for the file`;
    const hit = placements.find((p) => ran.includes(p.block.id));
    if (hit) return `${t} executed ${rangeText(hit.range)}`;
  }
  return undefined;
}

/**
 * Tests of a file selected at block level, or undefined to say "use file level". Tests that
 * executed the file but have no block data for it are kept (unknown ⇒ run it).
 */
export function testsForBlocks(fileTests: readonly string[], data: FileBlocks, ranges: readonly LineRange[]): string[] | undefined {
  const r = selectByBlocks(fileTests, data, ranges);
  return 'fallback' in r ? undefined : r.tests;
}
