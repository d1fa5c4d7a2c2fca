import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { ranFiles } from '../../../src/sharding/verify/report-files.js';
import { verifyRuns } from '../../../src/sharding/verify/verify.js';
import { runCli } from '../../helpers/cli.js';
import { scratchDirs } from '../../helpers/repo-fixture.js';

const scratch = scratchDirs('testsift-verify-');

const CWD = '/repo';
const base = { cwd: CWD, root: CWD };
const SELECTED = new Set(['spec/models/user_spec.rb', 'spec/lib/money_spec.rb', 'tests/unit/test_a.py', 'test/a.test.ts', 'packages/web/test/b.test.ts']);
const ran = (text: string, b = base) => [...ranFiles('r.xml', text, SELECTED, b).ran].sort();

describe('which selected files a report shows as run', () => {
  it('rspec_junit_formatter: file attributes with ./', () => {
    const xml = `<?xml version="1.0"?><testsuite name="rspec" tests="2"><testcase classname="spec.models.user_spec" name="a" file="./spec/models/user_spec.rb"/><testcase classname="spec.lib.money_spec" name="b" file="./spec/lib/money_spec.rb"/></testsuite>`;
    expect(ran(xml)).toEqual(['spec/lib/money_spec.rb', 'spec/models/user_spec.rb']);
  });

  it('pytest: dotted classnames with and without a class', () => {
    const xml = `<testsuites><testsuite name="pytest"><testcase classname="tests.unit.test_a.TestX" name="t1"/><testcase classname="tests.unit.test_a" name="t2"/></testsuite></testsuites>`;
    expect(ran(xml)).toEqual(['tests/unit/test_a.py']);
  });

  it('Vitest: suite names relative to its root (--root for a root in a subfolder)', () => {
    const xml = `<testsuites><testsuite name="test/b.test.ts"><testcase classname="test/b.test.ts" name="x"/></testsuite></testsuites>`;
    expect(ran(xml)).toEqual([]);
    expect(ran(xml, { cwd: CWD, root: '/repo/packages/web' })).toEqual(['packages/web/test/b.test.ts']);
  });

  it('absolute names from another checkout folder match by their longest selected suffix; relative names never do', () => {
    const xml = `<testsuites><testsuite name="x"><testcase name="a" file="/builds/group/proj/test/a.test.ts"/><testcase name="b" file="other/test/a.test.ts"/></testsuite></testsuites>`;
    const r = ranFiles('r.xml', xml, SELECTED, base);
    expect([...r.ran]).toEqual(['test/a.test.ts']);
    expect([...r.unexpected]).toEqual(['other/test/a.test.ts']);
    expect(r.unattributed).toBe(1);
  });

  it('a suite without test cases (a file that failed to load) still counts as run', () => {
    expect(ran(`<testsuites><testsuite name="test/a.test.ts" tests="0" errors="1"></testsuite></testsuites>`)).toEqual(['test/a.test.ts']);
  });

  it('jest --json / vitest JSON: absolute testResults[].name', () => {
    const json = JSON.stringify({ numTotalTestSuites: 1, testResults: [{ name: '/repo/test/a.test.ts' }, { name: '/elsewhere/x/spec/lib/money_spec.rb' }] });
    expect([...ranFiles('r.json', json, SELECTED, base).ran].sort()).toEqual(['spec/lib/money_spec.rb', 'test/a.test.ts']);
  });

  const bad: Array<[string, string, RegExp]> = [
    ['XML cut short', '<testsuites><testsuite name="a"><testcase name="x"/>', /^r\.xml:1:\d+: malformed JUnit XML/],
    ['two roots', '<testsuites/><testsuites/>', /malformed JUnit XML/],
    ['another XML document', '<html><body/></html>', /not a JUnit XML report: the root element is <html>/],
    ['an empty file', '', /not a test report/],
    ['JSON without testResults', '{"a": 1}', /r\.xml \(testResults\): expected the JSON of jest --json/],
    ['a name that is not a string', '{"testResults": [{"name": 3}]}', /r\.xml \(testResults\[0\]\.name\)/],
    ['deep JSON', `{"testResults": ${'['.repeat(100_000)}`, /r\.xml:1: invalid JSON/],
  ];
  for (const [what, text, message] of bad) {
    it(`an unreadable report is an InputError naming it: ${what}`, () => {
      let err: unknown;
      try {
        ranFiles('r.xml', text, SELECTED, base);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).message).toMatch(message);
    });
  }
});

describe('verifyRuns', () => {
  const r = (files: string[]) => ({ ran: new Set(files), unexpected: new Set<string>(), unattributed: 0, kind: 'junit' as const });
  it('names missing and duplicated tests, each report counting a file once', () => {
    const out = verifyRuns(
      ['a', 'b', 'c', 'a'],
      [
        { file: 'j1', ran: r(['a', 'b']) },
        { file: 'j2', ran: r(['b']) },
      ],
    );
    expect(out).toMatchObject({ selected: 3, missing: ['c'], duplicated: [{ test: 'b', reports: ['j1', 'j2'] }], ok: false });
    expect(
      verifyRuns(
        ['a', 'b'],
        [
          { file: 'j1', ran: r(['a']) },
          { file: 'j2', ran: r(['b']) },
        ],
      ).ok,
    ).toBe(true);
  });
});

describe('testsift shard verify (CLI)', () => {
  it('exits 2 naming a malformed report with its line, and reads a report given twice once', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'tests.txt'), 'test/a.test.ts\n');
    writeFileSync(join(dir, 'ok.xml'), '<testsuites><testsuite name="test/a.test.ts"><testcase name="x"/></testsuite></testsuites>');
    writeFileSync(join(dir, 'cut.xml'), '<testsuites>\n<testsuite name="test/a.test.ts">\n<testcase name="x"');
    const cut = await runCli(['shard', 'verify', '--tests', 'tests.txt', 'ok.xml', 'cut.xml'], { cwd: dir });
    expect(cut.code).toBe(2);
    expect(cut.stderr).toMatch(/^testsift: cut\.xml:3:\d+: malformed JUnit XML/);
    const twice = await runCli(['shard', 'verify', '--tests', 'tests.txt', 'ok.xml', './ok.xml'], { cwd: dir });
    expect(twice.code, twice.stdout).toBe(0);
    expect(twice.stderr).toContain('./ok.xml given twice; read once');
    const usage = await runCli(['shard', 'verify', 'ok.xml'], { cwd: dir });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('either --plan FILE or --tests FILE');
  });
});
