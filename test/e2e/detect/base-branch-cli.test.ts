/**
 * `detect-tests` on the base branch itself (a pipeline on main, no --base, no CI merge-request
 * variables): there is nothing to compare, and an empty diff must not become an empty tests.txt.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DETECT_TESTS_BIN, NO_CI, runCli } from '../../helpers/cli.js';
import { makeScenario, type Scenario } from '../../helpers/scenario.js';

const ALL_TESTS = ['test/cart.test.ts', 'test/config.test.ts', 'test/count.test.ts', 'test/legacy.test.ts', 'test/money.test.ts'];

let s: Scenario;
afterEach(() => s?.repo.cleanup());

describe('detect on the base branch', () => {
  it('detect-tests on main without --base runs the full suite and says why', async () => {
    s = await makeScenario();
    s.repo.git('checkout', '-q', 'main');
    const r = await runCli([], { cwd: s.repo.root, env: NO_CI, bin: DETECT_TESTS_BIN });
    expect(r.code, r.stderr).toBe(0);
    const reason = "HEAD is the base branch 'main' itself: no merge request to compare against, so the full suite runs; pass --base to select";
    expect(r.stdout).toContain(reason);
    const json = JSON.parse(readFileSync(join(s.repo.root, '.testsift/detect.json'), 'utf8'));
    expect(json.mode).toBe('full');
    expect(json.reasons).toContain(reason);
    expect(readFileSync(join(s.repo.root, '.testsift/tests.txt'), 'utf8')).toBe(`${ALL_TESTS.join('\n')}\n`);
  });

  it('an explicit --base with nothing changed stays selective and warns "no changed files"', async () => {
    s = await makeScenario();
    s.repo.git('checkout', '-q', 'main');
    const r = await runCli(['detect', '--base', 'main', '--format', 'json'], { cwd: s.repo.root, env: NO_CI });
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.mode).toBe('selective');
    expect(json.tests).toEqual([]);
    expect(json.warnings.join('\n')).toContain('no changed files between main and HEAD');
    expect(r.stderr).toContain('testsift: warning: no changed files between main and HEAD');
  });

  it('an empty --changed-files list (a failed git diff upstream) runs the full suite, saying why', async () => {
    s = await makeScenario();
    const r = await runCli(['detect', '--changed-files', '-', '--format', 'json'], { cwd: s.repo.root, env: NO_CI, input: '' });
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.mode).toBe('full');
    expect(json.tests).toEqual(ALL_TESTS);
    expect(json.reasons.join('\n')).toContain('the changed-file list on stdin is empty');
  });

  it('an empty --changed-files list with --allow-empty-list selects nothing and warns', async () => {
    s = await makeScenario();
    const r = await runCli(['detect', '--changed-files', '-', '--allow-empty-list', '--format', 'json'], { cwd: s.repo.root, env: NO_CI, input: '' });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ mode: 'selective', tests: [] });
    expect(r.stderr).toContain('testsift: warning: the changed-file list on stdin is empty (allowed): the change itself selects no test');
  });
});
