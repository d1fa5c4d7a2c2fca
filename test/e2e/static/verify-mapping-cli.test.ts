/** `testsift verify-mapping` through the real built CLI, in temp trees. */
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { makeTree, removeTrees } from '../../helpers/tree.js';

afterAll(removeTrees);

const RULES = `mapping:
  - source: 'src/(?<rest>.+)\\.ts'
    test: 'test/%{rest}.test.ts'
  - source:
      - 'src/cli/.+\\.ts'
      - 'src/util/.+\\.ts'
    test: 'test/integration.test.ts'
`;

const TREE = {
  'tests.yml': RULES,
  'test/a.test.ts': '',
  'test/cli/main.test.ts': '',
  'test/integration.test.ts': '',
};

describe('testsift verify-mapping', () => {
  it('--help states the exit codes CI can rely on', async () => {
    const r = await runCli(['verify-mapping', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/0 valid, lint-clean and every case passes; 1 a case failed or the lint\s+\(or --stale\) found something; 2 bad usage/);
  });

  it('a clean mapping with passing cases exits 0', async () => {
    const cwd = makeTree({
      ...TREE,
      'cases.yml': `- changed: src/a.ts
  expected: [test/a.test.ts]
- changed: [src/cli/main.ts, src/util/x.ts]
  expected: [test/cli/main.test.ts, test/integration.test.ts]
  explanation: CLI and util changes run the integration test
- changed: README.md
  expected: []
`,
    });
    const r = await runCli(['verify-mapping', 'tests.yml', '--cases', 'cases.yml'], { cwd });
    expect(r).toEqual({ code: 0, stdout: '3/3 cases passed\ntests.yml: 2 rules, 0 lint finding(s), OK\n', stderr: '' });
  });

  it('a failing case exits 1 and shows missing and unexpected tests with the case line', async () => {
    const cwd = makeTree({
      ...TREE,
      'cases.yml': `- changed: src/a.ts
  expected: [test/a.test.ts]
- changed: src/cli/main.ts
  expected: [test/cli/other.test.ts]
  explanation: the CLI has its own tests
`,
    });
    const r = await runCli(['verify-mapping', 'tests.yml', '--cases', 'cases.yml'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        'FAIL cases.yml:3 the CLI has its own tests',
        '  changed:    src/cli/main.ts',
        '  missing:    test/cli/other.test.ts',
        '  unexpected: test/cli/main.test.ts, test/integration.test.ts',
        '1/2 cases passed',
        'tests.yml: 2 rules, 0 lint finding(s)',
        '',
      ].join('\n'),
    );
  });

  it('--root looks up tests elsewhere', async () => {
    const project = makeTree({ 'test/a.test.ts': '' });
    const cwd = makeTree({ 'tests.yml': RULES, 'cases.yml': '- changed: src/a.ts\n  expected: [test/a.test.ts]\n' });
    expect((await runCli(['verify-mapping', 'tests.yml', '--cases', 'cases.yml'], { cwd })).code).toBe(1);
    expect((await runCli(['verify-mapping', 'tests.yml', '--cases', 'cases.yml', '--root', project], { cwd })).code).toBe(0);
  });

  it('lints unescaped extension dots and top-level alternation, exit 1', async () => {
    const cwd = makeTree({
      'tests.yml': `mapping:
  - source: 'app/(.+).rb'
    test: 'spec/%s_spec.rb'
  - source:
      - 'db/structure\\.sql'
      - 'db/schema.rb$'
    test: spec/db/schema_spec.rb
  - source: 'config/.*\\.yml|lib/.+\\.rb'
    test: spec/all_spec.rb
  - source: 'src/[.]ts'
    test: x
`,
    });
    const r = await runCli(['verify-mapping', 'tests.yml'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        "LINT tests.yml:2: source 'app/(.+).rb': unescaped '.' before the extension 'rb' matches any character; escape it; suggested: 'app/(.+)\\.rb'",
        "LINT tests.yml:6: source 'db/schema.rb$': unescaped '.' before the extension 'rb$' matches any character; escape it; suggested: 'db/schema\\.rb$'",
        "LINT tests.yml:8: source 'config/.*\\.yml|lib/.+\\.rb': top-level '|': tff anchors it as ^a|b$ (starts with a OR ends with b); wrap the alternatives in (?:…); suggested: '(?:config/.*\\.yml|lib/.+\\.rb)'",
        'tests.yml: 4 rules, 3 lint finding(s)',
        '',
      ].join('\n'),
    );
  });

  it("GitLab's 2021 tests.yml has the unescaped dot GitLab's lint was written for", async () => {
    const cwd = '/work/shared/data/real/mappings';
    const old = await runCli(['verify-mapping', 'mehulagg__gitlab__tests.yml__3ef60cb6.yml'], { cwd });
    expect(old.code).toBe(1);
    expect(old.stdout).toContain(
      "LINT mehulagg__gitlab__tests.yml__3ef60cb6.yml:31: source 'db/structure.sql': unescaped '.' before the extension 'sql' matches any character; escape it; suggested: 'db/structure\\.sql'",
    );
    const current = await runCli(['verify-mapping', 'gitlabhq__gitlabhq__tests.yml__017a6c12.yml'], { cwd });
    expect(current).toEqual({ code: 0, stdout: 'gitlabhq__gitlabhq__tests.yml__017a6c12.yml: 68 rules, 0 lint finding(s), OK\n', stderr: '' });
  });

  it('--stale reports sources that match no file and fixed tests that are gone', async () => {
    const cwd = makeTree({
      'tests.yml': `mapping:
  - source: 'src/(?<rest>.+)\\.ts'
    test: 'test/%{rest}.test.ts'
  - source: 'src/old_name\\.ts'
    test:
      - test/integration.test.ts
      - test/removed.test.ts
      - 'test/gone/**/*.test.ts'
`,
      'src/a.ts': '',
      'test/integration.test.ts': '',
    });
    expect((await runCli(['verify-mapping', 'tests.yml'], { cwd })).code).toBe(0);
    const r = await runCli(['verify-mapping', 'tests.yml', '--stale'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        "STALE tests.yml:4: source 'src/old_name\\.ts': matches no file in the tree (renamed or removed?)",
        "STALE tests.yml:4: source 'src/old_name\\.ts': test 'test/removed.test.ts' does not exist",
        "STALE tests.yml:4: source 'src/old_name\\.ts': test glob 'test/gone/**/*.test.ts' matches no file",
        'tests.yml: 2 rules, 0 lint finding(s)',
        '',
      ].join('\n'),
    );
  });

  it('invalid input exits 2 with file and line', async () => {
    const cwd = makeTree({
      ...TREE,
      'bad-cases.yml': '- changed: src/a.ts\n- changed: src/b.ts\n  expected: []\n',
      'typo-cases.yml': '- changed: src/a.ts\n  expect: []\n',
      'broken.yml': "mapping:\n  - source: '(?<a>x'\n    test: y\n",
    });
    const missing = await runCli(['verify-mapping', 'tests.yml', '--cases', 'bad-cases.yml'], { cwd });
    expect([missing.code, missing.stderr]).toEqual([2, 'testsift: bad-cases.yml:1:3 ([0]): missing `expected` (a list of test paths; [] for none)\n']);
    const typo = await runCli(['verify-mapping', 'tests.yml', '--cases', 'typo-cases.yml'], { cwd });
    expect([typo.code, typo.stderr]).toEqual([2, "testsift: typo-cases.yml:2:3 ([0].expect): unknown key 'expect' (expected changed, expected, explanation)\n"]);
    const broken = await runCli(['verify-mapping', 'broken.yml'], { cwd });
    expect([broken.code, broken.stderr]).toEqual([2, "testsift: broken.yml:2:13 (mapping[0].source): source regex '(?<a>x': unterminated group `(`\n"]);
    const none = await runCli(['verify-mapping'], { cwd });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('expected exactly one tests.yml');
  });
});
