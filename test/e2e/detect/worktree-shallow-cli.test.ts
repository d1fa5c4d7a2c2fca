/**
 * Two CI/dev situations through the real CLI: `--include-uncommitted` (staged, unstaged and
 * untracked files, including a new folder), and a real shallow clone (`git clone --depth 1
 * file://…`) that lacks the merge-base: the full suite with the reason, exit 0, unless `--deepen`
 * finds it.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DETECT_TESTS_BIN, NO_CI, runCli, runJson } from '../../helpers/cli.js';
import { makeScenario, type Scenario } from '../../helpers/scenario.js';

let s: Scenario | undefined;
const dirs: string[] = [];
afterEach(() => {
  s?.repo.cleanup();
  s = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('detect --include-uncommitted', () => {
  it('adds staged, unstaged and untracked files (a new folder too) to the committed diff', async () => {
    s = await makeScenario();
    const root = s.repo.root;
    s.repo.write({ 'src/legacy.ts': 'export const OLD = 2;\n' });
    s.repo.git('add', 'src/legacy.ts'); // staged
    s.repo.write({ 'src/money.ts': '// unstaged\n' }); // unstaged
    s.repo.write({ 'test/fresh/new.test.ts': '// untracked, in a new folder\n' });

    const committed = await runJson(['detect', '--base', 'main'], root);
    // Without the flag, nothing uncommitted is a change.
    expect(committed.json.changedFiles).toEqual([]);

    const { json: all } = await runJson(['detect', '--base', 'main', '--include-uncommitted'], root);
    expect(all.mode).toBe('selective');
    expect(all.changedFiles).toEqual(['src/legacy.ts', 'src/money.ts', 'test/fresh/new.test.ts']);
    expect(all.tests).toEqual(['test/cart.test.ts', 'test/fresh/new.test.ts', 'test/legacy.test.ts', 'test/money.test.ts']);
    const fresh = all.selection.find((x: { test: string }) => x.test === 'test/fresh/new.test.ts');
    expect(fresh.because).toEqual([{ strategy: 'changed-test', file: 'test/fresh/new.test.ts', detail: 'added' }]);
  });
});

/**
 * A "server" repository: main forked into feature (2 commits touching src/legacy.ts), then main
 * moved on by 2 commits. A depth-1 clone of feature has neither the fork point nor main.
 */
async function shallowSetup(): Promise<{ clone: string; fork: string }> {
  s = await makeScenario();
  const fork = s.mapCommit;
  s.repo.write({ 'src/legacy.ts': 'export const OLD = 2;\n' }).commit('legacy 1');
  s.repo.write({ 'src/legacy.ts': 'export const OLD = 3;\n' }).commit('legacy 2');
  s.repo.git('checkout', '-q', 'main');
  s.repo.write({ 'lib/util.ts': 'export const U = 2;\n' }).commit('main 1');
  s.repo.write({ 'lib/util.ts': 'export const U = 3;\n' }).commit('main 2');
  s.repo.git('checkout', '-q', 'feature');
  const parent = realpathSync(mkdtempSync(join(tmpdir(), 'testsift-shallow-cli-')));
  dirs.push(parent);
  const clone = join(parent, 'clone');
  git(parent, 'clone', '-q', '--depth', '1', '-b', 'feature', `file://${s.repo.root}`, clone);
  expect(git(clone, 'rev-parse', '--is-shallow-repository').trim()).toBe('true');
  // The map artifact main's pipeline recorded at the fork point.
  mkdirSync(join(clone, '.testsift'));
  copyFileSync(join(s.repo.root, '.testsift/map.json'), join(clone, '.testsift/map.json'));
  return { clone, fork };
}

describe('detect in a real shallow clone', () => {
  it('without the merge-base: the full suite with the reason, exit 0', async () => {
    const { clone } = await shallowSetup();
    git(clone, 'fetch', '-q', '--depth', '1', 'origin', '+refs/heads/main:refs/remotes/origin/main');
    const { json: r, stderr } = await runJson(['detect', '--base', 'origin/main'], clone);
    expect(r.mode).toBe('full');
    const reason = 'merge-base of origin/main and HEAD is not in this shallow clone (deepening not allowed); running the full suite';
    expect(r.reasons).toContain(reason);
    expect(stderr).toContain(`testsift: full suite: ${reason}`);
    expect(r.tests).toHaveLength(5);
    expect(git(clone, 'rev-list', '--count', 'HEAD').trim()).toBe('1'); // nothing was fetched
  });

  it('--deepen finds the merge-base and selects normally', async () => {
    const { clone, fork } = await shallowSetup();
    git(clone, 'fetch', '-q', '--depth', '1', 'origin', '+refs/heads/main:refs/remotes/origin/main');
    const { json: r } = await runJson(['detect', '--base', 'origin/main', '--deepen', '3'], clone);
    expect(r.reasons).toEqual([]);
    expect(r.mode).toBe('selective');
    expect(r.mergeBase).toBe(fork);
    expect(r.changedFiles).toEqual(['src/legacy.ts']);
    expect(r.tests).toEqual(['test/legacy.test.ts']);
    expect(r.warnings.join('\n')).toContain('deepened the shallow clone 1× by 50 commits to find the merge-base');
  });

  it('detect-tests fetches the missing base named by GITHUB_BASE_REF and deepens (its default 3)', async () => {
    const { clone, fork } = await shallowSetup();
    const r = await runCli([], { cwd: clone, bin: DETECT_TESTS_BIN, env: { ...NO_CI, GITHUB_BASE_REF: 'main' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^testsift: selective, 1 of \d+ test files/);
    expect(r.stderr).toContain('fetched origin/main from origin');
    const det = JSON.parse(execFileSync('cat', [join(clone, '.testsift/detect.json')], { encoding: 'utf8' }));
    expect(det.mergeBase).toBe(fork);
    expect(det.tests).toEqual(['test/legacy.test.ts']);
  });
});
