/**
 * A tests.yml template that names an existing file which is not a test of the universe (the helper
 * `test/a.ts` where `test/a.test.ts` was meant) neither selects it nor explains the change.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { detectTests, testMatcher } from '../../../src/detect.js';
import { runCases } from '../../../src/mappings/static/cases.js';
import { nonTestFindings } from '../../../src/mappings/static/non-tests.js';
import { createFileIndex } from '../../../src/util/files.js';
import { runCli } from '../../helpers/cli.js';
import { TempRepo } from '../../helpers/git.js';
import { makeTree, removeTrees } from '../../helpers/tree.js';

afterAll(removeTrees);
let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

const YML = "mapping:\n  - source: 'src/(?<n>.+)\\.ts'\n    test: 'test/%{n}.ts'\ntests: ['test/**/*.test.ts']\ncoverage_map: none\n";
const TREE = { 'tests.yml': YML, 'src/a.ts': 'a\n', 'test/a.ts': '// helper\n', 'test/a.test.ts': '', 'test/b.test.ts': '' };

describe('detect: only tests of the universe count as tests a rule yields', () => {
  it('a template naming an existing helper does not select it and does not explain the change (unmapped: the full suite)', async () => {
    repo = new TempRepo('testsift-nontest-');
    repo.write(TREE).commit('init');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write({ 'src/a.ts': 'b\n' }).commit('change a');
    const r = await detectTests({ cwd: repo.root, base: 'main', env: {} });
    expect(r.selection.map((s) => s.test)).toEqual([]);
    expect(r.unmapped).toEqual(['src/a.ts']);
    expect(r.mode).toBe('full');
    expect(r.tests).toEqual(['test/a.test.ts', 'test/b.test.ts']);
    expect(r.warnings).toContain(
      'tests.yml rule tests.yml:2 gives test/a.ts for src/a.ts: it exists but is not a test of the universe (tests: globs), so it is not selected and maps nothing',
    );
  });
});

describe('verify-mapping: templates that name existing non-tests', () => {
  it('nonTestFindings names the rule, an example and the count; rules that give tests are clean', async () => {
    const root = makeTree({ ...TREE, 'src/b.ts': '', 'test/b.ts': '', 'src/c.ts': '' });
    const config = await loadConfig('tests.yml', { root });
    const files = createFileIndex(root);
    const found = nonTestFindings(config.mapping, files, testMatcher(config));
    expect(found).toEqual([
      {
        file: 'tests.yml',
        line: 2,
        source: 'src/(?<n>.+)\\.ts',
        message:
          "test template(s) 'test/%{n}.ts' give test/a.ts for src/a.ts (and 1 more): an existing file that is not a test of the universe (tests: globs), so detect selects nothing for it; fix the template or the tests: globs",
      },
    ]);
    const good = await loadConfig(makeTree({ 'tests.yml': YML.replace('%{n}.ts', '%{n}.test.ts') }) + '/tests.yml');
    expect(nonTestFindings(good.mapping, files, testMatcher(good))).toEqual([]);
  });

  it('cases count only tests of the universe, as detect does', async () => {
    const root = makeTree(TREE);
    const config = await loadConfig('tests.yml', { root });
    const files = createFileIndex(root);
    const [r] = runCases(config.mapping, [{ changed: ['src/a.ts'], expected: [], file: 'c.yml', line: 1 }], files, testMatcher(config));
    expect(r!.ok).toBe(true);
    expect(r!.actual).toEqual([]);
  });

  it('the CLI reports NOT-A-TEST and exits 1', async () => {
    const cwd = makeTree(TREE);
    const r = await runCli(['verify-mapping', 'tests.yml'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("NOT-A-TEST tests.yml:2: source 'src/(?<n>.+)\\.ts': test template(s) 'test/%{n}.ts' give test/a.ts for src/a.ts:");
  });
});
