/**
 * The test universe is the list a full-suite run executes. An empty one must never pass quietly:
 * `tests: []` is a config error, and globs matching no file are a loud warning.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { makeScenario, type Scenario } from '../../helpers/scenario.js';

let s: Scenario;
afterEach(() => s?.repo.cleanup());

const NO_CI = { CI_MERGE_REQUEST_LABELS: undefined, GITHUB_BASE_REF: undefined, TESTSIFT_LABELS: undefined };

describe('testsift detect: an empty test universe', () => {
  it('`tests: []` is exit 2 naming the file and line', async () => {
    s = await makeScenario();
    writeFileSync(join(s.repo.root, 'empty.yml'), 'mapping: []\ntests: []\n');
    const r = await runCli(['detect', '--base', 'main', '--config', 'empty.yml'], { cwd: s.repo.root, env: NO_CI });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('testsift: empty.yml:2:8 (tests): expected at least one test glob');
    expect(r.stdout).toBe('');
  });

  it('globs that match no file warn on stderr and in the JSON, loudest in full mode', async () => {
    s = await makeScenario();
    s.repo.write({ 'src/money.ts': '// x\n' }).commit('money');
    writeFileSync(join(s.repo.root, 'spec.yml'), "mapping: []\ntests: ['spec/**/*.spec.ts']\ncoverage_map: none\n");
    const r = await runCli(['detect', '--base', 'main', '--config', 'spec.yml', '--label', 'pipeline:run-all-tests', '--format', 'json'], {
      cwd: s.repo.root,
      env: NO_CI,
    });
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.mode).toBe('full');
    expect(json.tests).toEqual([]);
    const expected = `tests: globs ['spec/**/*.spec.ts'] (from spec.yml) match no file under ${s.repo.root}: the full suite is empty, so this run would test nothing; fix \`tests:\` in tests.yml`;
    expect(json.warnings).toContain(expected);
    expect(r.stderr).toContain(`testsift: warning: ${expected}`);
  });

  it('a selective run that selects nothing also says the universe is empty', async () => {
    s = await makeScenario();
    s.repo.write({ 'README.md': '# docs only\n' }).commit('docs');
    writeFileSync(join(s.repo.root, 'spec.yml'), "mapping: []\ntests: ['spec/**/*.spec.ts']\ncoverage_map: none\n");
    const r = await runCli(['detect', '--base', 'main', '--config', 'spec.yml', '--format', 'json'], { cwd: s.repo.root, env: NO_CI });
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.mode).toBe('selective');
    expect(json.warnings.join('\n')).toContain('the test universe is empty, so changed test files are not recognised as tests');
  });

  it('a universe with files gives no such warning', async () => {
    s = await makeScenario();
    s.repo.write({ 'src/money.ts': '// x\n' }).commit('money');
    const r = await runCli(['detect', '--base', 'main', '--label', 'pipeline:run-all-tests', '--format', 'json'], { cwd: s.repo.root, env: NO_CI });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).warnings.join('\n')).not.toContain('match no file');
  });
});
