import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getChangeSet } from '../../../src/changes/index.js';
import { UsageError } from '../../../src/errors.js';
import type { TempRepo } from '../../helpers/git.js';
import { NO_CI_ENV, tempDirs, tempRepos } from '../../helpers/repo-fixture.js';

const newRepo = tempRepos();
const newDir = tempDirs();

/**
 * main: base → main-2; feature forks at base and adds f.ts. `origin/<x>` refs are created as
 * remote-tracking refs, as a CI checkout would have them.
 */
function forkedRepo(): { repo: TempRepo; fork: string } {
  const repo = newRepo();
  repo.write({ 'a.ts': 'a\n' });
  const fork = repo.commit('base');
  repo.git('checkout', '-q', '-b', 'feature');
  repo.write({ 'f.ts': 'f\n' });
  repo.commit('feature');
  repo.git('checkout', '-q', 'main');
  repo.write({ 'm.ts': 'm\n' });
  repo.commit('main moves on');
  repo.git('checkout', '-q', 'feature');
  return { repo, fork };
}

describe('default base from CI variables', () => {
  it('GitLab: CI_MERGE_REQUEST_DIFF_BASE_SHA wins over the target branch', async () => {
    const { repo, fork } = forkedRepo();
    const cs = await getChangeSet({
      cwd: repo.root,
      env: { ...NO_CI_ENV, CI_MERGE_REQUEST_DIFF_BASE_SHA: fork, CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'nope' },
    });
    expect(cs.base).toBe(fork);
    expect(cs.mergeBase).toBe(fork);
    expect(cs.files.map((f) => f.path)).toEqual(['f.ts']);
  });

  it('GitLab: CI_MERGE_REQUEST_TARGET_BRANCH_NAME → origin/<name>, else <name>', async () => {
    const { repo, fork } = forkedRepo();
    const env = { ...NO_CI_ENV, CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main' };
    const local = await getChangeSet({ cwd: repo.root, env });
    expect(local.base).toBe('main'); // no origin/main yet
    expect(local.mergeBase).toBe(fork);
    repo.git('update-ref', 'refs/remotes/origin/main', 'main');
    const remote = await getChangeSet({ cwd: repo.root, env });
    expect(remote.base).toBe('origin/main');
    expect(remote.files.map((f) => f.path)).toEqual(['f.ts']);
  });

  it('GitHub: GITHUB_BASE_REF → origin/<ref>', async () => {
    const { repo } = forkedRepo();
    repo.git('update-ref', 'refs/remotes/origin/main', 'main');
    const cs = await getChangeSet({ cwd: repo.root, env: { ...NO_CI_ENV, GITHUB_BASE_REF: 'main', GITHUB_EVENT_PATH: '' } });
    expect(cs.base).toBe('origin/main');
    expect(cs.files.map((f) => f.path)).toEqual(['f.ts']);
  });

  it('without CI variables tries origin/HEAD, origin/main, origin/master, main, master in that order', async () => {
    const { repo } = forkedRepo();
    expect((await getChangeSet({ cwd: repo.root, env: NO_CI_ENV })).base).toBe('main');
    repo.git('update-ref', 'refs/remotes/origin/master', 'main');
    expect((await getChangeSet({ cwd: repo.root, env: NO_CI_ENV })).base).toBe('origin/master');
    repo.git('update-ref', 'refs/remotes/origin/main', 'main');
    expect((await getChangeSet({ cwd: repo.root, env: NO_CI_ENV })).base).toBe('origin/main');
    repo.git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
    expect((await getChangeSet({ cwd: repo.root, env: NO_CI_ENV })).base).toBe('origin/HEAD');
  });

  it('asks for --base when nothing resolves', async () => {
    const repo = newRepo();
    repo.git('checkout', '-q', '-b', 'trunk');
    repo.write({ 'a.ts': 'a\n' });
    repo.commit('only commit');
    const err = await getChangeSet({ cwd: repo.root, env: NO_CI_ENV }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(/--base/);
    expect((err as Error).message).toContain('origin/main');
  });

  it('an explicit base beats the CI variables', async () => {
    const { repo } = forkedRepo();
    const cs = await getChangeSet({ cwd: repo.root, base: 'HEAD~1', env: { ...NO_CI_ENV, GITHUB_BASE_REF: 'nope' } });
    expect(cs.base).toBe('HEAD~1');
  });
});

describe('labels', () => {
  it('unions --label, CI_MERGE_REQUEST_LABELS, the GitHub event labels and TESTSIFT_LABELS without repeats', async () => {
    const { repo } = forkedRepo();
    const dir = newDir();
    const eventPath = join(dir, 'event.json');
    writeFileSync(
      eventPath,
      JSON.stringify({
        action: 'labeled',
        pull_request: {
          number: 7,
          labels: [
            { id: 1, name: 'gh-label' },
            { id: 2, name: 'shared' },
          ],
        },
      }),
    );
    const cs = await getChangeSet({
      cwd: repo.root,
      base: 'main',
      labels: ['cli-label', 'shared'],
      env: {
        ...NO_CI_ENV,
        CI_MERGE_REQUEST_LABELS: ' pipeline:run-all-tests , shared,,backend ',
        GITHUB_EVENT_PATH: eventPath,
        TESTSIFT_LABELS: 'extra, cli-label',
      },
    });
    expect(cs.labels).toEqual(['cli-label', 'shared', 'pipeline:run-all-tests', 'backend', 'gh-label', 'extra']);
    expect(cs.warnings).toEqual([]);
  });

  it('ignores a push event (no pull_request) and warns about an unreadable event file', async () => {
    const { repo } = forkedRepo();
    const dir = newDir();
    writeFileSync(join(dir, 'push.json'), JSON.stringify({ ref: 'refs/heads/main', commits: [] }));
    writeFileSync(join(dir, 'broken.json'), '{"pull_request": ');
    const push = await getChangeSet({ cwd: repo.root, base: 'main', env: { ...NO_CI_ENV, GITHUB_EVENT_PATH: join(dir, 'push.json') } });
    expect(push.labels).toEqual([]);
    const broken = await getChangeSet({ cwd: repo.root, base: 'main', env: { ...NO_CI_ENV, GITHUB_EVENT_PATH: join(dir, 'broken.json') } });
    expect(broken.labels).toEqual([]);
    expect(broken.warnings.join('\n')).toContain('broken.json');
  });

  it('applies to list input too', async () => {
    const dir = newDir();
    const cs = await getChangeSet({ cwd: dir, changedFileList: ['x.ts'], env: { ...NO_CI_ENV, TESTSIFT_LABELS: 'a,b' } });
    expect(cs.labels).toEqual(['a', 'b']);
  });
});
