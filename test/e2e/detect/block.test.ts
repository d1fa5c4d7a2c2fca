import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { makeScenario, type Scenario } from '../../helpers/scenario.js';

// src/cart.ts as recorded (lines): 1 import, 2-4 total(), 5-7 count(), 8 (empty).
const CART_BLOCKS = {
  'src/cart.ts': {
    blocks: [
      { id: 0, name: '', start: 1, end: 8 },
      { id: 1, name: 'total', start: 2, end: 4 },
      { id: 2, name: 'count', start: 5, end: 7 },
    ],
    executed: { 'test/cart.test.ts': [0, 1], 'test/count.test.ts': [0, 2] },
  },
};

let s: Scenario;
afterEach(() => s?.repo.cleanup());

function cartWith(edit: (lines: string[]) => void): string {
  const lines = readFileSync(join(s.repo.root, 'src/cart.ts'), 'utf8').split('\n');
  edit(lines);
  return lines.join('\n');
}

async function detectJson(
  granularity?: 'file' | 'block' | 'auto',
): Promise<{ mode: string; warnings: string[]; selection: Array<{ test: string; because: Array<{ strategy: string; detail?: string }> }> }> {
  const flag = granularity ? ['--granularity', granularity] : [];
  const r = await runCli(['detect', '--base', 'main', '--format', 'json', ...flag, '--coverage-map', '.testsift/map.json', '--config', 'tests.yml'], {
    cwd: s.repo.root,
  });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

async function selected(granularity?: 'file' | 'block' | 'auto'): Promise<string[]> {
  const json = await detectJson(granularity);
  expect(json.mode).toBe('selective');
  // tests.yml maps src/cart.ts → test/cart.test.ts whatever the granularity; look at the map's share.
  return json.selection
    .filter((x: { because: Array<{ strategy: string }> }) => x.because.some((b) => b.strategy === 'coverage-map'))
    .map((x: { test: string }) => x.test);
}

describe('block-level selection', () => {
  it('a change inside one function selects only the tests that executed it', async () => {
    s = await makeScenario({ blocks: CART_BLOCKS });
    s.repo.write({ 'src/cart.ts': cartWith((l) => (l[5] = '  return xs.length + 0;')) }).commit('count');
    expect(await selected('block')).toEqual(['test/count.test.ts']);
    expect(await selected('file')).toEqual(['test/cart.test.ts', 'test/count.test.ts']);
  });

  it('a change at module level falls back to file level', async () => {
    s = await makeScenario({ blocks: CART_BLOCKS });
    s.repo.write({ 'src/cart.ts': cartWith((l) => (l[0] = "import { cents } from './money.js'; // why")) }).commit('import');
    expect(await selected('block')).toEqual(['test/cart.test.ts', 'test/count.test.ts']);
  });

  it('a changed function header (rename, new signature) falls back to file level', async () => {
    s = await makeScenario({ blocks: CART_BLOCKS });
    s.repo.write({ 'src/cart.ts': cartWith((l) => (l[4] = 'export function count(xs: readonly number[]) {')) }).commit('sig');
    expect(await selected('block')).toEqual(['test/cart.test.ts', 'test/count.test.ts']);
  });

  it('a function added at module level falls back to file level', async () => {
    s = await makeScenario({ blocks: CART_BLOCKS });
    s.repo.write({ 'src/cart.ts': cartWith((l) => l.splice(7, 0, 'export function avg(xs: number[]) {', '  return 0;', '}')) }).commit('avg');
    expect(await selected('block')).toEqual(['test/cart.test.ts', 'test/count.test.ts']);
  });

  it('a file that also changed between the map and the base stays at file level (its lines moved)', async () => {
    s = await makeScenario({ blocks: CART_BLOCKS });
    // main inserts three lines on top of cart.ts after the map was recorded: the recorded line
    // numbers no longer describe the version the branch edits.
    s.repo.git('checkout', '-q', 'main');
    s.repo.write({ 'src/cart.ts': cartWith((l) => l.unshift('// a', '// b', '// c')) }).commit('header');
    s.repo.git('checkout', '-q', '-B', 'feature', 'main');
    // The branch edits total()'s body, now at line 6 — count()'s lines in the recorded version.
    s.repo.write({ 'src/cart.ts': cartWith((l) => (l[5] = '  return xs.length + 0;')) }).commit('edit');
    expect(await selected('block')).toEqual(['test/cart.test.ts', 'test/count.test.ts']);
  });

  it('a file without block data stays at file level', async () => {
    s = await makeScenario({ blocks: CART_BLOCKS });
    s.repo.write({ 'src/money.ts': 'export function cents(x: number) {\n  return Math.round(x * 100) | 0;\n}\n' }).commit('money');
    expect(await selected('block')).toEqual(['test/cart.test.ts', 'test/money.test.ts']);
  });
});

describe('block lines that may not be source lines (Jest-fidelity sanity check)', () => {
  // As under ts-jest before its block data was source-mapped: a Jest map without the marker.
  it('a Jest map without blockLines: source stays at file level, saying why (its lines may be compiled JS lines)', async () => {
    s = await makeScenario({ blocks: CART_BLOCKS, runner: 'jest' });
    // Line 6 is inside count(): with trusted lines only count.test.ts would run.
    s.repo.write({ 'src/cart.ts': cartWith((l) => (l[5] = '  return xs.length + 0;')) }).commit('count');
    // Even asked for blocks explicitly (before the check it narrowed to count.test.ts).
    expect(await selected('block')).toEqual(['test/cart.test.ts', 'test/count.test.ts']);
    expect(await selected()).toEqual(['test/cart.test.ts', 'test/count.test.ts']);
    const json = await detectJson();
    expect(json.warnings.join('\n')).toContain('src/cart.ts (the jest recorder did not mark its block lines as source lines');
    const explain = await runCli(['detect', '--base', 'main', '--format', 'explain', '--coverage-map', '.testsift/map.json', '--config', 'tests.yml'], {
      cwd: s.repo.root,
    });
    expect(explain.stdout).toContain('(file level: the jest recorder did not mark its block lines as source lines');
  });

  it('the same Jest map marked blockLines: source narrows', async () => {
    s = await makeScenario({ blocks: CART_BLOCKS, runner: 'jest', blockLines: 'source' });
    s.repo.write({ 'src/cart.ts': cartWith((l) => (l[5] = '  return xs.length + 0;')) }).commit('count');
    expect(await selected()).toEqual(['test/count.test.ts']);
  });

  it('a change past the last recorded line (recorded lines do not match) selects the file, not zero tests', async () => {
    // The recorded table says the file has 5 lines, as compiled code might; the source has 8.
    const short = {
      'src/cart.ts': {
        ...CART_BLOCKS['src/cart.ts'],
        blocks: [
          { id: 0, name: '', start: 1, end: 5 },
          { id: 1, name: 'total', start: 2, end: 4 },
        ],
      },
    };
    s = await makeScenario({ blocks: short });
    s.repo.write({ 'src/cart.ts': cartWith((l) => (l[5] = '  return xs.length + 0;')) }).commit('count');
    expect(await selected()).toEqual(['test/cart.test.ts', 'test/count.test.ts']);
    expect((await detectJson()).warnings.join('\n')).toContain("line 6: past the recorded file's 5 lines");
  });
});

describe('granularity flags', () => {
  it('auto is the default; block on a map without block data warns that it answers at file level', async () => {
    s = await makeScenario();
    s.repo.write({ 'src/cart.ts': cartWith((l) => (l[5] = '  return xs.length + 0;')) }).commit('count');
    expect(await selected()).toEqual(['test/cart.test.ts', 'test/count.test.ts']);
    const json = await detectJson('block');
    expect(json.warnings.join('\n')).toContain('--granularity block: the coverage map has no block data, so it answers at file level');
    // auto (the default) on a map that has no block data at all: file level without a word.
    expect((await detectJson()).warnings).toEqual([]);
    expect((await detectJson('file')).warnings).toEqual([]);
  });

  it('an unknown value is a usage error (exit 2)', async () => {
    s = await makeScenario();
    const r = await runCli(['detect', '--base', 'main', '--granularity', 'function'], { cwd: s.repo.root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--granularity must be auto, file or block');
  });
});
