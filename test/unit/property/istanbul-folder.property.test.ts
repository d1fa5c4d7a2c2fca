import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { MapError } from '../../../src/errors.js';
import { readIstanbulFolder } from '../../../src/mappings/coverage/readers/istanbul-folder.js';
import { mutated } from './reference/mutate.js';
import { addRow, coversExactly, plain, RefError, refNormalize, rowsOfRecord, type RefRows } from './reference/paths.js';
import { FC_RUNS } from './runs.js';

/*
 * Folders of per-test istanbul coverage against a JSON.parse reading of each file: a source is
 * executed by the file's test when a statement or function count is > 0, else known; sources
 * outside the root are dropped. Valid folders give exactly the reference rows; a damaged file is
 * a MapError naming it, or never fewer tests than the reference.
 */
const base = realpathSync(mkdtempSync(join(tmpdir(), 'testsift-prop-istanbul-')));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const ROOT = '/repo';

const source = fc.oneof(
  fc.constantFrom('src/a.ts', 'src/b.ts', 'lib/é.ts', 'src/x y.ts', '/repo/src/abs.ts', '/elsewhere/out.ts', './src/dot.ts'),
  fc.string({ minLength: 1, maxLength: 6 }).map((s) => `src/${s}`),
);
const counts = fc.array(fc.nat({ max: 3 }), { maxLength: 3 });
const fileCoverage = fc.tuple(source, counts, counts).map(([path, s, f]) => ({
  path,
  statementMap: Object.fromEntries(s.map((_, i) => [i, { start: { line: i + 1, column: 0 }, end: { line: i + 1, column: 9 } }])),
  fnMap: Object.fromEntries(
    f.map((_, i) => [
      i,
      {
        name: `f${i}`,
        decl: { start: { line: i + 1, column: 0 }, end: { line: i + 1, column: 2 } },
        loc: { start: { line: i + 1, column: 0 }, end: { line: i + 2, column: 1 } },
        line: i + 1,
      },
    ]),
  ),
  branchMap: {},
  s: Object.fromEntries(s.map((n, i) => [i, n])),
  f: Object.fromEntries(f.map((n, i) => [i, n])),
  b: {},
}));
const coverageText = fc
  .uniqueArray(fileCoverage, { selector: (c) => c.path, maxLength: 4 })
  .map((fcs) => JSON.stringify(Object.fromEntries(fcs.map((c) => [c.path, c]))));
const testName = fc.constantFrom('test/a.test.ts', 'test/b.test.ts', 'test/sub/c.test.ts', 'd.spec.ts');

function reference(files: Array<[string, string]>): RefRows {
  const rows: RefRows = new Map();
  for (const [test, text] of files) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new RefError(`JSON: ${(err as Error).message}`);
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new RefError('not an object');
    for (const [key, v] of Object.entries(data)) {
      const fc = (v as { data?: unknown } | null)?.data ?? v;
      if (typeof fc !== 'object' || fc === null || typeof (fc as { path?: unknown }).path !== 'string') throw new RefError('no path');
      const { s, f } = fc as { s?: unknown; f?: unknown };
      if (typeof s !== 'object' || typeof f !== 'object' || s === null || f === null) throw new RefError('no s/f');
      const src = refNormalize(ROOT, key);
      if (src.startsWith('../')) continue;
      const executed = [...Object.values(s), ...Object.values(f)].some((n) => (n as number) > 0);
      addRow(rows, src, executed ? [refNormalize(ROOT, test)] : []);
    }
  }
  return rows;
}

let n = 0;
async function check(files: Array<[string, string]>, exact: boolean): Promise<void> {
  const dir = join(base, `f${n++}`);
  for (const [test, text] of files) {
    mkdirSync(dirname(join(dir, test)), { recursive: true });
    writeFileSync(join(dir, `${test}.json`), text);
  }
  // What is on disk (UTF-8) is what both read.
  const onDisk = files.map(([t, text]): [string, string] => [t, Buffer.from(text, 'utf8').toString('utf8')]);
  let ref: RefRows | { refused: string };
  try {
    ref = reference(onDisk);
  } catch (err) {
    if (!(err instanceof RefError)) throw err;
    ref = { refused: err.message };
  }
  let got: RefRows;
  try {
    got = rowsOfRecord(await readIstanbulFolder(dir, { root: ROOT, onWarning: () => {} }));
  } catch (err) {
    expect(err).toBeInstanceOf(MapError);
    expect((err as MapError).message.startsWith(dir)).toBe(true);
    if (exact && !('refused' in ref)) throw err;
    return;
  }
  expect(ref, 'the reader accepted what the strict reading refuses').not.toHaveProperty('refused');
  if (exact) expect(plain(got)).toEqual(plain(ref as RefRows));
  else expect(coversExactly(got, ref as RefRows)).toBeUndefined();
}

const folder = fc.uniqueArray(fc.tuple(testName, coverageText), { selector: ([t]) => t, minLength: 1, maxLength: 3 });

describe('istanbul coverage folders against JSON.parse', () => {
  it('valid folders: exactly the reference rows', async () => {
    await fc.assert(
      fc.asyncProperty(folder, (files) => check(files, true)),
      { numRuns: Math.ceil(FC_RUNS / 2) },
    );
  });

  it('a damaged file: a MapError naming it, or never fewer tests', async () => {
    const damaged = fc.tuple(folder, mutated(coverageText)).map(([files, bad]): Array<[string, string]> => [...files.slice(1), [files[0][0], bad]]);
    await fc.assert(
      fc.asyncProperty(damaged, (files) => check(files, false)),
      { numRuns: FC_RUNS },
    );
  });
});
