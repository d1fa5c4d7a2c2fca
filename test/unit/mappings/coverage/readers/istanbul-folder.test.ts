import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MapError } from '../../../../../src/errors.js';
import { MemoryCoverageMap, readMapRecord, testPathOfCoverageFile } from '../../../../../src/mappings/coverage/index.js';
import { testsForBlocks } from '../../../../../src/selection/strategies/blocks.js';
import { edgesOf, fixture, tempDir } from '../../../../helpers/map-fixtures.js';

let tmp: ReturnType<typeof tempDir> | undefined;
afterEach(() => tmp?.cleanup());

describe('folder of per-test istanbul coverage', () => {
  it('names the test by the file path under the folder', () => {
    expect(testPathOfCoverageFile('/c', '/c/test/a.test.ts.json')).toBe('test/a.test.ts');
    expect(testPathOfCoverageFile('/c', '/c/test/a.test.ts/coverage-final.json')).toBe('test/a.test.ts');
    expect(testPathOfCoverageFile('/c', '/c/coverage-final.json')).toBe('');
  });

  it('maps executed sources to the test, keeps zero-count sources as known, drops files outside the root', async () => {
    const warnings: string[] = [];
    const r = await readMapRecord(fixture('istanbul'), { root: '/builds/shop', onWarning: (w) => warnings.push(w) });
    expect(r.metadata.format).toBe('istanbul-folder');
    // cart.test.ts ran cart.ts (statements) and price.ts (a statement); price.test.ts ran only a
    // function of price.ts (f > 0, every statement 0) and listed cart.ts with all counts 0.
    expect(edgesOf(r)).toEqual({
      rows: {
        'src/cart.ts': ['test/cart.test.ts'],
        'src/price.ts': ['test/cart.test.ts', 'test/price.test.ts'],
      },
      unused: ['src/legacy.ts'],
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('ignored 1 coverage entry for files outside the root /builds/shop');
  });

  it('rejects a file that is not istanbul coverage, naming it', async () => {
    tmp = tempDir();
    mkdirSync(join(tmp.dir, 'cov', 'test'), { recursive: true });
    writeFileSync(join(tmp.dir, 'cov', 'test', 'a.test.ts.json'), '{"src/a.ts": {"hits": 3}}');
    const err = await readMapRecord(join(tmp.dir, 'cov')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MapError);
    expect((err as Error).message).toContain('a.test.ts.json (src/a.ts): expected istanbul file coverage with path, s and f');

    writeFileSync(join(tmp.dir, 'cov', 'test', 'a.test.ts.json'), '{"src/a.ts": ');
    const bad = await readMapRecord(join(tmp.dir, 'cov')).catch((e: unknown) => e);
    expect((bad as Error).message).toMatch(/a\.test\.ts\.json: invalid JSON/);
  });

  it('refuses a coverage-final.json at the top of the folder (no test to attribute it to)', async () => {
    tmp = tempDir();
    writeFileSync(join(tmp.dir, 'coverage-final.json'), '{}');
    const err = await readMapRecord(tmp.dir, { format: 'istanbul-folder' }).catch((e: unknown) => e);
    expect((err as Error).message).toContain('cannot tell which test this coverage belongs to');
  });
});

describe('block data from istanbul function coverage', () => {
  it('turns fnMap into blocks (0 = module body) and per-test executed functions', async () => {
    const r = await readMapRecord(fixture('istanbul'), { root: '/builds/shop', onWarning: () => {} });
    expect(r.metadata.granularity).toBe('block');
    const map = new MemoryCoverageMap(r);
    const price = map.blocksFor('src/price.ts');
    expect(price?.blocks).toEqual([
      { id: 0, name: '', start: 1, end: 3 },
      { id: 1, name: 'fn0', start: 1, end: 3 },
    ]);
    expect(Object.fromEntries(price?.executed ?? [])).toEqual({ 'test/cart.test.ts': [0], 'test/price.test.ts': [0, 1] });
    // What the selection does with it: a change strictly inside fn0 (line 2) needs only the test
    // that called fn0; a change on its header line is module level: every test that loaded it.
    const tests = map.testsFor('src/price.ts');
    expect(testsForBlocks(tests, price!, [{ start: 2, end: 2 }])).toEqual(['test/price.test.ts']);
    expect(testsForBlocks(tests, price!, [{ start: 1, end: 1 }])).toEqual(['test/cart.test.ts', 'test/price.test.ts']);
    expect(r.metadata.blockLines).toBe('source');
  });

  it('drops block data (file level) for a source whose functions differ between tests, with a warning', async () => {
    tmp = tempDir();
    const fc = (fnLines: number[], f: number[]) => ({
      path: '/r/src/a.ts',
      statementMap: { 0: { start: { line: 1, column: 0 }, end: { line: 9, column: 1 } } },
      fnMap: Object.fromEntries(fnLines.map((l, i) => [i, { name: `f${i}`, decl: { start: { line: l, column: 0 }, end: { line: l, column: 5 } }, loc: { start: { line: l, column: 0 }, end: { line: l + 2, column: 1 } }, line: l }])),
      branchMap: {},
      s: { 0: 1 },
      f: Object.fromEntries(f.map((n, i) => [i, n])),
      b: {},
    });
    writeFileSync(join(tmp.dir, 'a.test.ts.json'), JSON.stringify({ '/r/src/a.ts': fc([2], [1]) }));
    writeFileSync(join(tmp.dir, 'b.test.ts.json'), JSON.stringify({ '/r/src/a.ts': fc([3], [1]) }));
    writeFileSync(join(tmp.dir, 'c.test.ts.json'), JSON.stringify({ '/r/src/a.ts': fc([2], [1]) }));
    const warnings: string[] = [];
    const r = await readMapRecord(tmp.dir, { root: '/r', onWarning: (w) => warnings.push(w) });
    expect(r.blocks?.get('src/a.ts')).toBeUndefined();
    expect(r.metadata.granularity).toBe('file');
    expect(edgesOf(r).rows).toEqual({ 'src/a.ts': ['a.test.ts', 'b.test.ts', 'c.test.ts'] });
    expect(warnings.join('\n')).toContain('different functions for src/a.ts');
  });
});
