/** Jest's V8 takes (`coverageProvider: 'v8'`) → the worker recorder's block hits (src/integrations/jest/jest-v8-blocks.ts). */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CodeStore, hitsFromJestV8, type JestV8Entry } from '../../../../src/integrations/jest/jest-v8-blocks.js';

const CODE = 'function f(x) { if (x) { return 1; } return 2; }\nf(0);\n';
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A take of CODE run behind a wrapper of `wrapper` characters: the script, f called once, its `if` arm not taken. */
function entry(wrapper: number | undefined, file = '/repo/src/m.js'): JestV8Entry {
  const at = (n: number): number => n + (wrapper ?? 0);
  const fStart = CODE.indexOf('function');
  const fEnd = CODE.indexOf('}\nf(0)') + 1;
  const arm = CODE.indexOf('{ return 1; }');
  return {
    codeTransformResult: { code: CODE, originalCode: CODE, sourceMapPath: null, ...(wrapper === undefined ? {} : { wrapperLength: wrapper }) },
    result: {
      url: `file://${file}`,
      functions: [
        { ranges: [{ startOffset: 0, endOffset: at(CODE.length), count: 1 }] },
        {
          ranges: [
            { startOffset: at(fStart), endOffset: at(fEnd), count: 1 },
            { startOffset: at(arm), endOffset: at(arm + '{ return 1; }'.length), count: 0 },
          ],
        },
      ],
    },
  };
}

describe('block hits from Jest’s V8 takes', () => {
  it('offsets in the code without the wrapper; the module body, called functions’ ends, block ranges (branches)', () => {
    dir = mkdtempSync(join(tmpdir(), 'testsift-jest-v8-'));
    const store = new CodeStore(dir);
    const [hit, ...rest] = hitsFromJestV8([entry(40)], '/repo/test/m.test.js', store, true, undefined);
    expect(rest).toEqual([]);
    const fEnd = CODE.indexOf('}\nf(0)') + 1;
    expect(hit).toMatchObject({ file: '/repo/src/m.js', body: true, ends: [fEnd], identity: true });
    expect(hit!.ranges![0]!.slice(0, 3)).toEqual([-40, CODE.length, 1]);
    expect(readFileSync(join(dir, `code-${hit!.code}.js`), 'utf8')).toBe(CODE);
    // Functions only: no block ranges.
    expect(hitsFromJestV8([entry(40)], '/repo/test/m.test.js', store, false, undefined)[0]!.ranges).toBeUndefined();
  });

  it('no wrapper length and none assumed (not Jest 30): no hits (file level); Jest 30: none before the code', () => {
    dir = mkdtempSync(join(tmpdir(), 'testsift-jest-v8-'));
    const store = new CodeStore(dir);
    expect(hitsFromJestV8([entry(undefined)], '/repo/test/m.test.js', store, true, undefined)).toEqual([]);
    expect(hitsFromJestV8([entry(undefined)], '/repo/test/m.test.js', store, true, 0)).toHaveLength(1);
  });

  it('skips the test file itself and scripts without a transform result', () => {
    dir = mkdtempSync(join(tmpdir(), 'testsift-jest-v8-'));
    const store = new CodeStore(dir);
    expect(hitsFromJestV8([entry(0, '/repo/test/m.test.js')], '/repo/test/m.test.js', store, true, 0)).toEqual([]);
    expect(hitsFromJestV8([{ ...entry(0), codeTransformResult: undefined }], '/repo/test/m.test.js', store, true, 0)).toEqual([]);
  });
});
