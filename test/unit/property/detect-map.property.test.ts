import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectTests } from '../../../src/detect.js';
import { MapError } from '../../../src/errors.js';
import { MapBuilder, readMapRecord, writeCoverageMap, type MapRecord } from '../../../src/mappings/coverage/index.js';
import { makeScenario, ROWS, type Scenario } from '../../helpers/scenario.js';
import { refGitlabJson } from './reference/gitlab-json.js';
import { mutated } from './reference/mutate.js';
import { RefError } from './reference/paths.js';
import { FC_RUNS } from './runs.js';

/*
 * End to end, as in CI: `map import --commit` of a GitLab JSON map (intact or damaged), then
 * detect. The import is a MapError naming the file, or detect runs the full suite with a reason,
 * or it selects at least the tests the strict reading of the same map selects (the reference rows
 * written as a native map and given to detect the same way). (A foreign map read directly by
 * detect records no commit, so detect always runs the full suite with it.)
 */
let s: Scenario;
beforeAll(async () => {
  s = await makeScenario();
});
afterAll(() => s?.repo.cleanup());

const CHANGED = ['src/money.ts', 'src/cart.ts', 'config/app.json', 'lib/util.ts'];
const extraTest = fc.constantFrom('test/money.test.ts', 'test/legacy.test.ts', './test/count.test.ts', 'test/nope.test.ts');
const validText = fc.tuple(fc.array(fc.tuple(fc.constantFrom(...CHANGED), extraTest), { maxLength: 3 }), fc.boolean()).map(([extra, packed]) => {
  const rows: Record<string, string[]> = {};
  for (const [src, tests] of Object.entries(ROWS)) rows[src] = [...tests];
  for (const [src, t] of extra) (rows[src] ??= []).push(t);
  if (!packed) return JSON.stringify(rows, null, 1);
  const obj: Record<string, Record<string, Record<string, 1>>> = {};
  for (const [src, tests] of Object.entries(rows)) {
    obj[src] = {};
    for (const t of tests) {
      const [dir, file] = t.replace(/^\.\//, '').split('/');
      (obj[src][dir] ??= {})[file] = 1;
    }
  }
  return JSON.stringify(obj);
});

describe('import then detect, with a GitLab JSON map intact or damaged', () => {
  it("import refuses with a MapError, or detect selects at least the strict reading's tests (or the full suite with a reason)", async () => {
    const mapFile = join(s.repo.root, '.testsift/in.json');
    const imported = join(s.repo.root, '.testsift/map.json');
    const refFile = join(s.repo.root, '.testsift/ref.map');
    let selective = 0;
    const run = (map: string) => detectTests({ cwd: s.repo.root, changedFileList: CHANGED, coverageMap: map, env: {} });
    /** What `map import --commit` writes: the record with the commit the map describes. */
    const write = async (path: string, record: MapRecord) => {
      record.metadata = { ...record.metadata, commit: s.mapCommit, timestamp: new Date().toISOString() };
      await writeCoverageMap(path, record);
    };
    await fc.assert(
      fc.asyncProperty(fc.oneof(validText, mutated(validText)), async (text) => {
        writeFileSync(mapFile, text);
        let record: MapRecord;
        try {
          record = await readMapRecord(mapFile, { root: s.repo.root });
        } catch (err) {
          expect(err).toBeInstanceOf(MapError); // import exits 2 naming the file
          expect((err as MapError).message.startsWith(mapFile)).toBe(true);
          return;
        }
        let ref;
        try {
          ref = refGitlabJson(Buffer.from(text, 'utf8').toString('utf8'), s.repo.root); // what is on disk
        } catch (err) {
          if (!(err instanceof RefError)) throw err;
          throw new Error(`imported a map the strict reading refuses (${err.message})`, { cause: err });
        }
        await write(imported, record);
        const got = await run(imported);
        if (got.mode === 'full') {
          expect(got.reasons.length).toBeGreaterThan(0);
          return;
        }
        selective++;
        const b = new MapBuilder({ format: 'native' });
        for (const [src, tests] of ref.rows) {
          if (tests.size === 0) b.addKnown(src);
          for (const t of tests) b.addEdge(src, t);
        }
        await write(refFile, b.build());
        const want = await run(refFile);
        if (want.mode === 'selective') for (const t of want.tests) expect(got.tests).toContain(t);
      }),
      { numRuns: Math.max(10, Math.round(FC_RUNS / 5)) },
    );
    expect(selective, 'no run was selective: the property checked nothing').toBeGreaterThan(0);
  }, 120_000);
});
