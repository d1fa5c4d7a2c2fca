/** The block-level rules (strategies/blocks.ts) on hand-made block data. */
import { describe, expect, it } from 'vitest';
import type { Block, FileBlocks } from '../../../src/mappings/coverage/types.js';
import { innermostBlock, placeText, selectByBlocks, zeroSelectionProblem } from '../../../src/selection/strategies/blocks.js';

// div(a, b) at lines 8-14: an if arm 9-11 (throws), the code after it 12-13 (owns its lines).
const BLOCKS: Block[] = [
  { id: 0, name: '', start: 1, end: 20 },
  { id: 1, name: 'div', start: 8, end: 14, kind: 'function' },
  { id: 2, name: 'div', start: 9, end: 11, parent: 1, kind: 'if' },
  { id: 3, name: 'div', start: 12, end: 13, parent: 1, kind: 'after', ownsStart: true, ownsEnd: true },
];
const TESTS = ['t/div.test.ts', 't/zero.test.ts', 't/version.test.ts'];
const data = (extra: Partial<FileBlocks> = {}): FileBlocks => ({
  blocks: BLOCKS,
  executed: new Map([
    ['t/div.test.ts', [0, 1, 3]],
    ['t/zero.test.ts', [0, 1, 2]],
    ['t/version.test.ts', [0]],
  ]),
  ...extra,
});
const tests = (r: ReturnType<typeof selectByBlocks>): string[] | string => ('fallback' in r ? r.fallback : r.tests);

describe('placing a changed range', () => {
  it('innermost block; a block owns its edge lines only when it says so; headers belong to the enclosing code', () => {
    const at = (start: number, end = start, insertion = false) => innermostBlock(BLOCKS, { start, end, insertion })!.id;
    expect(at(10)).toBe(2); // inside the if arm
    expect(at(9)).toBe(1); // the `if (…) {` line: the function's
    expect(at(12)).toBe(3); // first line of the code after the exit, which it owns
    expect(at(12, 13)).toBe(3);
    expect(at(11, 12)).toBe(1); // across two blocks: the one holding both
    expect(at(8)).toBe(0); // the function header: module level
    expect(at(3)).toBe(0);
    expect(at(9, 9, true)).toBe(2); // inserted after `if (…) {`: inside the arm
    expect(at(11, 11, true)).toBe(1); // between the arm and the code after it
  });

  it('names the place', () => {
    const place = (start: number) => placeText('src/calc.ts', { range: { start, end: start }, block: innermostBlock(BLOCKS, { start, end: start })!, tests: [] });
    expect(place(10)).toBe('src/calc.ts:9-11 (div, if branch)');
    expect(place(9)).toBe('src/calc.ts:8-14 (div)');
    expect(place(3)).toBe('src/calc.ts:3 (module level)');
  });
});

describe('selecting by block', () => {
  it('selects the tests that executed each placed block; a test without block data always runs', () => {
    expect(tests(selectByBlocks(TESTS, data(), [{ start: 10, end: 10 }]))).toEqual(['t/zero.test.ts']);
    expect(tests(selectByBlocks(TESTS, data(), [{ start: 12, end: 12 }]))).toEqual(['t/div.test.ts']);
    expect(
      tests(
        selectByBlocks(TESTS, data(), [
          { start: 10, end: 10 },
          { start: 12, end: 12 },
        ]),
      ),
    ).toEqual(['t/div.test.ts', 't/zero.test.ts']);
    expect(tests(selectByBlocks(TESTS, data(), [{ start: 3, end: 3 }]))).toEqual(TESTS);
    const partial = data();
    partial.executed.delete('t/version.test.ts');
    expect(tests(selectByBlocks(TESTS, partial, [{ start: 10, end: 10 }]))).toEqual(['t/zero.test.ts', 't/version.test.ts']);
  });

  it('falls back to the file, with the reason: untrusted lines, reshaping hunk, lines past the file, no ranges', () => {
    expect(tests(selectByBlocks(TESTS, data({ untrusted: 'not source lines' }), [{ start: 10, end: 10 }]))).toBe('not source lines');
    expect(tests(selectByBlocks(TESTS, data(), [{ start: 10, end: 10, shape: 'changed' }]))).toMatch(/opens or closes a block/);
    expect(tests(selectByBlocks(TESTS, data(), [{ start: 25, end: 25 }]))).toMatch(/past the recorded file's 20 lines/);
    expect(tests(selectByBlocks(TESTS, data(), []))).toMatch(/no changed lines/);
  });

  it('zero tests is an answer only when every test has block data and none ran the placed blocks', () => {
    const none = data({
      executed: new Map([
        ['t/div.test.ts', [0, 1]],
        ['t/zero.test.ts', [0, 1]],
        ['t/version.test.ts', [0]],
      ]),
    });
    const r = selectByBlocks(TESTS, none, [{ start: 10, end: 10 }]);
    expect(tests(r)).toEqual([]);
    // The check itself, on placements it did not make: module level, or a test that ran the block.
    const body = BLOCKS[0]!;
    expect(zeroSelectionProblem(TESTS, none, [{ range: { start: 3, end: 3 }, block: body, tests: [] }])).toMatch(/not inside a recorded block/);
    expect(zeroSelectionProblem(TESTS, data(), [{ range: { start: 10, end: 10 }, block: BLOCKS[2]!, tests: [] }])).toMatch(/t\/zero.test.ts executed line 10/);
    const missing = data();
    missing.executed.delete('t/div.test.ts');
    expect(zeroSelectionProblem(TESTS, missing, [{ range: { start: 10, end: 10 }, block: BLOCKS[2]!, tests: [] }])).toMatch(/t\/div.test.ts has no block data/);
  });
});
