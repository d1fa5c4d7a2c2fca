/**
 * Merged block-level maps end to end: two partial native maps written as the recorders write
 * them, combined by the built `testsift map merge`, then `testsift detect --granularity block`
 * on a real git change. A test one job could not attribute to functions must still run.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MapBuilder, writeCoverageMap } from '../../../src/mappings/coverage/index.js';
import type { Block } from '../../../src/mappings/coverage/types.js';
import { runCli } from '../../helpers/cli.js';
import { TempRepo } from '../../helpers/git.js';

const CART = [
  '// A cart: two functions, each used by a different test.', // 1
  'export function total(items: number[]): number {', //          2
  '  let sum = 0;', //                                             3
  '  for (const i of items) sum += i;', //                         4
  '  return sum;', //                                              5
  '}', //                                                          6
  '', //                                                           7
  'export function discount(sum: number): number {', //           8
  '  const off = sum > 100 ? 10 : 0;', //                          9
  '  return sum - off;', //                                        10
  '}', //                                                          11
  '',
].join('\n');

const TABLE: Block[] = [
  { id: 0, name: '', start: 1, end: 11 },
  { id: 1, name: 'total', start: 2, end: 6 },
  { id: 2, name: 'discount', start: 8, end: 11 },
];

let repo: TempRepo;
let base: string;
beforeEach(() => {
  repo = new TempRepo('testsift-merge-blocks-');
  repo.write({
    '.gitignore': '.testsift\n',
    'src/cart.ts': CART,
    'test/cart.test.ts': "import { total } from '../src/cart.js';\n",
    'test/discount.test.ts': "import { discount } from '../src/cart.js';\n",
  });
  base = repo.commit('cart');
});
afterEach(() => repo.cleanup());

/** One job's partial map at `base`: `executed` per test, `undefined` = ran the file, no block data. */
async function partialMap(name: string, executed: Record<string, number[] | undefined>, table = TABLE): Promise<string> {
  const b = new MapBuilder({ format: 'native', commit: base, timestamp: new Date().toISOString(), root: repo.root, runner: 'vitest', granularity: 'block' });
  b.setBlocks('src/cart.ts', table);
  for (const [test, ids] of Object.entries(executed)) {
    b.addEdge('src/cart.ts', test);
    b.addEdge(test, test);
    if (ids) b.addExecutedBlocks('src/cart.ts', test, ids);
  }
  const path = join(repo.root, '.testsift', name);
  await writeCoverageMap(path, b.build());
  return path;
}

async function detectBlock(): Promise<string[]> {
  const r = await runCli(['detect', '--base', base, '--granularity', 'block', '--format', 'json'], { cwd: repo.root });
  expect(r.code, r.stderr).toBe(0);
  const out = JSON.parse(r.stdout) as { mode: string; tests: string[] };
  expect(out.mode).toBe('selective');
  return out.tests;
}

describe('map merge → detect --granularity block', () => {
  it('a test without block data in one job is selected for a change in any function of the file', async () => {
    // Job 1 attributed cart.test.ts to `total`; job 2 saw it run the file but could not match
    // its functions, and saw discount.test.ts run `discount`.
    const one = await partialMap('map.shard-1-of-2.json', { 'test/cart.test.ts': [0, 1] });
    const two = await partialMap('map.shard-2-of-2.json', { 'test/cart.test.ts': undefined, 'test/discount.test.ts': [0, 2] });
    for (const inputs of [[one, two], [two, one]]) {
      const merged = await runCli(['map', 'merge', ...inputs, '--output', '.testsift/map.json'], { cwd: repo.root });
      expect(merged.code, merged.stderr).toBe(0);
      expect(merged.stderr).toBe('');
      repo.git('checkout', '-q', '--detach', base);
      repo.write({ 'src/cart.ts': CART.replace('sum > 100 ? 10 : 0', 'sum > 200 ? 20 : 0') }).commit('discount');
      // Inside `discount`: cart.test.ts is unknown there (job 2), so it runs with discount.test.ts.
      expect(await detectBlock()).toEqual(['test/cart.test.ts', 'test/discount.test.ts']);
    }
  });

  it('block tables that differ between jobs put the file at file level: every test of it runs', async () => {
    const one = await partialMap('map.shard-1-of-2.json', { 'test/cart.test.ts': [0, 1] });
    // Another build of the file: `discount` starts a line earlier in job 2's table.
    const other = TABLE.map((b) => (b.id === 2 ? { ...b, start: 7 } : b));
    const two = await partialMap('map.shard-2-of-2.json', { 'test/discount.test.ts': [0, 2] }, other);
    const merged = await runCli(['map', 'merge', one, two, '--output', '.testsift/map.json'], { cwd: repo.root });
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stderr).toContain('block tables differ between the inputs for src/cart.ts');
    repo.write({ 'src/cart.ts': CART.replace('let sum = 0;', 'let sum = 0 as number;') }).commit('total');
    // Inside `total`, which only cart.test.ts ran in job 1: at file level discount.test.ts runs too.
    expect(await detectBlock()).toEqual(['test/cart.test.ts', 'test/discount.test.ts']);
  });
});
