import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MapError } from '../../src/errors.js';
import { readMapRecord, testPathOfCoverageFile } from '../../src/mappings/coverage/index.js';
import { edgesOf, fixture, tempDir } from './fixtures.js';

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
