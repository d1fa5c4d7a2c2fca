import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, TimingError } from '../../../src/errors.js';
import { parseTestList, readTimingReport, writeTimingReport } from '../../../src/sharding/index.js';
import { scratchDirs } from '../../helpers/repo-fixture.js';

const scratch = scratchDirs('testsift-readers-');

const REAL = '/work/shared/data/real/timings';
const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
const NYPL_ROOT = '/Users/edwinguzman/projects/ds/nypl-design-system';

function sum(report: Map<string, number>): number {
  let s = 0;
  for (const v of report.values()) s += v;
  return s;
}

/**
 * Expected file counts and totals come from SOURCES.md (computed when the data was collected),
 * so the readers are checked against an independent count, not against themselves.
 */
const SOURCES: Record<string, { files: number; total: number }> = {
  '18F__identity-idp__knapsack_rspec_report.json': { files: 1122, total: 6919.4 },
  'DFE-Digital__register-early-career-teachers-public__knapsack_rspec_report.json': { files: 1004, total: 1321.4 },
  'DFE-Digital__early-careers-framework__knapsack_rspec_report.json': { files: 759, total: 3552.9 },
  'DFE-Digital__buy-for-your-school__knapsack_rspec_report.json': { files: 578, total: 686.0 },
  'discourse__discourse__knapsack_rspec_report.json': { files: 559, total: 906.0 },
  'OneGov__onegov-cloud__.test_durations': { files: 509, total: 5580.8 },
  'DFE-Digital__npq-registration__knapsack_rspec_report.json': { files: 491, total: 1312.0 },
  'Energy-Sparks__energy-sparks__knapsack_rspec_report.json': { files: 466, total: 1135.3 },
  'openfoodfoundation__openfoodnetwork__knapsack_rspec_report.json': { files: 384, total: 3336.7 },
  'sanger__sequencescape__knapsack_rspec_report.json': { files: 313, total: 916.9 },
  'ministryofjustice__correspondence_tool_staff__knapsack_rspec_report.json': { files: 294, total: 2155.0 },
  'City-of-Helsinki__tilavarauspalvelu-core__.test_durations': { files: 284, total: 271.2 },
  'gitlabhq__gitlabhq__master_report.json': { files: 279, total: 21002.0 },
  'CoMakery__comakery-app__knapsack_rspec_report.json': { files: 275, total: 4872.3 },
  'sanger__sequencescape__knapsack_cucumber_report.json': { files: 230, total: 2756.4 },
  'equinor__ecalc__.test_durations': { files: 118, total: 459.4 },
  'NYPL__nypl-design-system__.jest-test-results.json': { files: 66, total: 637.9 },
};

describe('readTimingReport on the real reports', () => {
  it('covers every report in the data folder', () => {
    expect(readdirSync(REAL).sort()).toEqual(Object.keys(SOURCES).sort());
  });

  for (const [name, expected] of Object.entries(SOURCES)) {
    it(`reads ${name}: ${expected.files} files, ${expected.total}s`, async () => {
      const report = await readTimingReport(join(REAL, name), { root: NYPL_ROOT });
      expect(report.size).toBe(expected.files);
      expect(sum(report)).toBeCloseTo(expected.total, 0);
      for (const [path, seconds] of report) {
        expect(path.startsWith('/') || path.startsWith('./') || path.includes('::')).toBe(false);
        expect(seconds).toBeGreaterThanOrEqual(0);
      }
    });
  }

  it('sums a pytest-split file’s test ids into its file', async () => {
    const raw = JSON.parse(readFileSync(join(REAL, 'equinor__ecalc__.test_durations'), 'utf8')) as Record<string, number>;
    let appTotal = 0;
    for (const [id, s] of Object.entries(raw)) if (id.startsWith('tests/ecalc_cli/test_app.py::')) appTotal += s;
    const report = await readTimingReport(join(REAL, 'equinor__ecalc__.test_durations'));
    expect(appTotal).toBeGreaterThan(0);
    expect(report.get('tests/ecalc_cli/test_app.py')).toBeCloseTo(appTotal, 9);
  });

  it('makes jest --json absolute paths relative to --root', async () => {
    const report = await readTimingReport(join(REAL, 'NYPL__nypl-design-system__.jest-test-results.json'), { root: NYPL_ROOT });
    expect(report.get('src/components/FeedbackBox/FeedbackBox.test.tsx')).toBeCloseTo(53.89, 2);
    expect([...report.keys()].every((k) => k.startsWith('src/'))).toBe(true);
  });

  it('rejects jest --json read with the wrong root (exit 2) naming the report, the first outside path and --root', async () => {
    const file = join(REAL, 'NYPL__nypl-design-system__.jest-test-results.json');
    for (const root of ['/work/main', join(NYPL_ROOT, 'docs')]) {
      const err = await readTimingReport(file, { root }).then(
        () => undefined,
        (e: unknown) => e,
      );
      // Not a TimingError: `shard` turns those into a warning and carries on with estimates.
      expect(err).toBeInstanceOf(InputError);
      expect(err).not.toBeInstanceOf(TimingError);
      const e = err as InputError;
      expect(e.exitCode).toBe(2);
      expect(e.message).toContain(`${file} (testResults[0].name)`);
      expect(e.message).toContain(`${NYPL_ROOT}/src/components/SocialMediaLinks/SocialMediaLinks.test.tsx is outside the root ${root}`);
      expect(e.message).toContain("--root with the directory the report was recorded in (Jest's rootDir)");
    }
  });
});

describe('parallel_tests runtime log', () => {
  it('reads only `path:seconds` lines, dropping the leading ./', async () => {
    const report = await readTimingReport(join(FIXTURES, 'parallel_runtime_rspec.log'));
    expect(Object.fromEntries(report)).toEqual({
      'spec/models/user_spec.rb': 12.48,
      'spec/models/order_spec.rb': 30.2,
      'spec/requests/api/v1/orders_spec.rb': 8.015,
      'spec/system/checkout_spec.rb': 95.7,
      'spec/lib/money_spec.rb': 0.31,
      'spec/lib/empty_spec.rb': 0,
    });
  });
});

describe('Windows-style keys', () => {
  const dir = scratch();

  it('reads backslash paths as `/` paths in every format, on every platform', async () => {
    const knapsack = join(dir, 'knapsack.json');
    writeFileSync(knapsack, JSON.stringify({ 'spec\\models\\a_spec.rb': 1.5, '.\\spec\\b_spec.rb': 2 }));
    expect(Object.fromEntries(await readTimingReport(knapsack))).toEqual({ 'spec/models/a_spec.rb': 1.5, 'spec/b_spec.rb': 2 });
    const durations = join(dir, '.test_durations');
    writeFileSync(durations, JSON.stringify({ 'tests\\unit\\test_a.py::test_x': 1, 'tests/unit/test_a.py::test_y': 2 }));
    expect(Object.fromEntries(await readTimingReport(durations))).toEqual({ 'tests/unit/test_a.py': 3 });
    const log = join(dir, 'parallel_runtime_rspec.log');
    writeFileSync(log, '.\\spec\\models\\a_spec.rb:4.25\r\n');
    expect(Object.fromEntries(await readTimingReport(log))).toEqual({ 'spec/models/a_spec.rb': 4.25 });
  });

  it('reads backslash paths in a --tests list and in detect JSON the same way, so they match the report', () => {
    expect(parseTestList('list.txt', 'spec\\models\\a_spec.rb\r\n.\\spec\\b_spec.rb\n').tests).toEqual(['spec/models/a_spec.rb', 'spec/b_spec.rb']);
    expect(parseTestList('detect.json', JSON.stringify({ mode: 'selective', tests: ['spec\\a_spec.rb'] })).tests).toEqual(['spec/a_spec.rb']);
  });
});

describe('bad input', () => {
  const dir = scratch();
  const write = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  async function failure(path: string): Promise<TimingError> {
    const err = await readTimingReport(path).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TimingError);
    return err as TimingError;
  }

  it('names the file and line of a JSON syntax error', async () => {
    const p = write('broken.json', '{\n  "spec/a_spec.rb": 1.5,\n  "spec/b_spec.rb": \n}\n');
    const err = await failure(p);
    expect(err.message).toContain(p);
    expect(err.location.line).toBe(4);
    expect(err.exitCode).toBe(2);
  });

  /** Read with a warnings sink: unusable durations are warnings, not errors (issue item 12). */
  async function withWarnings(path: string, root?: string): Promise<{ report: Map<string, number>; warnings: string[] }> {
    const warnings: string[] = [];
    const report = await readTimingReport(path, { root, warnings });
    return { report, warnings };
  }

  it('warns by file, line and entry about a negative duration and keeps the file as unknown (NaN), not the whole report as an error', async () => {
    const p = write('negative.json', '{\n  "spec/a_spec.rb": 1.5,\n  "spec/b_spec.rb": -2\n}\n');
    const { report, warnings } = await withWarnings(p);
    expect(report.get('spec/a_spec.rb')).toBe(1.5);
    expect(report.get('spec/b_spec.rb')).toBeNaN();
    expect(warnings).toEqual([`${p}:3 (spec/b_spec.rb): duration -2 is negative; the test is treated as unknown (estimated)`]);
  });

  it('quotes a number too large for a double as written, not as the "null" JSON.stringify makes of Infinity', async () => {
    const p = write('huge.json', '{\n  "spec/a_spec.rb": 1.5,\n  "spec/b_spec.rb": 1e400\n}\n');
    const { warnings } = await withWarnings(p);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`${p}:3 (spec/b_spec.rb)`);
    expect(warnings[0]).toContain('duration 1e400 (Infinity) is infinite');
    expect(warnings[0]).not.toContain('null');
    const pairs = write('huge-pairs.json', '[["tests/a.py::t", -1e999]]');
    const fromPairs = await withWarnings(pairs);
    expect(fromPairs.warnings[0]).toContain('duration -1e999 (-Infinity) is infinite');
    expect(fromPairs.report.get('tests/a.py')).toBeNaN();
  });

  it('treats jest --json times that are not finite as unknown, with a warning, instead of summing NaN', async () => {
    const p = write(
      'jest-inf.json',
      JSON.stringify({ numTotalTests: 1, testResults: [{ name: '/r/a.test.ts', startTime: 1, endTime: 2 }] }).replace('"endTime":2', '"endTime":1e400'),
    );
    const { report, warnings } = await withWarnings(p, '/r');
    expect(report.get('a.test.ts')).toBeNaN();
    expect(warnings[0]).toContain(`${p} (testResults[0]): duration Infinity is infinite`);
  });

  it('rejects text that is neither JSON nor a runtime log, and empty files', async () => {
    expect((await failure(write('notes.txt', 'hello\nworld\n'))).message).toContain('unknown format');
    expect((await failure(write('empty.json', '  \n'))).message).toContain('empty file');
  });

  it('rejects JSON that is not an object or a list', async () => {
    expect((await failure(write('null.json', 'null'))).message).toContain('unknown format');
    expect((await failure(write('number.json', '42'))).message).toContain('unknown format');
    expect((await failure(write('nested.json', '{"spec/a_spec.rb": {"time": 1}}'))).message).toContain('spec/a_spec.rb');
  });

  it('reports a missing file as a TimingError', async () => {
    expect((await failure(join(dir, 'nope.json'))).message).toContain('file not found');
  });

  it('reads the pytest-split legacy list of pairs, and rejects a bad pair', async () => {
    const ok = write(
      'pairs.json',
      JSON.stringify([
        ['tests/a.py::t1', 1],
        ['tests/a.py::t2', 2.5],
        ['tests/b.py::t', 0.5],
      ]),
    );
    expect(Object.fromEntries(await readTimingReport(ok))).toEqual({ 'tests/a.py': 3.5, 'tests/b.py': 0.5 });
    const bad = write('badpairs.json', JSON.stringify([['tests/a.py::t1', 1], ['tests/a.py::t2']]));
    expect((await failure(bad)).message).toContain('[1]');
  });
});

describe('writeTimingReport', () => {
  it('writes knapsack JSON with sorted keys that reads back equal', async () => {
    const dir = scratch();
    const out = join(dir, 'sub', 'report.json');
    const report = new Map([
      ['spec/z_spec.rb', 2.25],
      ['123', 1],
      ['spec/a_spec.rb', 0.1],
    ]);
    await writeTimingReport(out, report);
    const text = readFileSync(out, 'utf8');
    expect(Object.keys(JSON.parse(text) as object)).toEqual(['123', 'spec/a_spec.rb', 'spec/z_spec.rb']);
    expect(text.indexOf('"123"')).toBeLessThan(text.indexOf('spec/a_spec.rb'));
    expect(await readTimingReport(out)).toEqual(report);
    expect(readdirSync(join(dir, 'sub'))).toEqual(['report.json']); // no temp file left behind
  });
});
