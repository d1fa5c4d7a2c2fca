import { describe, expect, it } from 'vitest';
import { getChangeSet } from '../../../src/changes/index.js';
import { GitError } from '../../../src/errors.js';
import { NO_CI_ENV, tempDirs, tempRepos } from '../../helpers/repo-fixture.js';

const newRepo = tempRepos();
const newDir = tempDirs();

async function rejection(p: Promise<unknown>): Promise<Error> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof Error)) throw new Error('expected a rejection');
  return err;
}

describe('git errors name what is wrong', () => {
  it('an unknown base or head is a GitError (exit 2) naming the ref', async () => {
    const repo = newRepo();
    repo.write({ 'a.ts': 'a\n' });
    repo.commit('one');
    const base = await rejection(getChangeSet({ cwd: repo.root, base: 'origin/does-not-exist', env: NO_CI_ENV }));
    expect(base).toBeInstanceOf(GitError);
    expect((base as GitError).exitCode).toBe(2);
    expect(base.message).toContain('"origin/does-not-exist" (base)');
    const head = await rejection(getChangeSet({ cwd: repo.root, base: 'main', head: 'feature/typo', env: NO_CI_ENV }));
    expect(head).toBeInstanceOf(GitError);
    expect(head.message).toContain('"feature/typo" (head)');
    // A ref that looks like an option is never passed to git as one.
    const opt = await rejection(getChangeSet({ cwd: repo.root, base: '--output=/tmp/x', env: NO_CI_ENV }));
    expect(opt.message).toContain('"--output=/tmp/x" (base)');
  });

  it('a CI-provided base sha that this (full) clone lacks is an error naming the sha', async () => {
    const repo = newRepo();
    repo.write({ 'a.ts': 'a\n' });
    repo.commit('one');
    const sha = 'f'.repeat(40);
    const err = await rejection(getChangeSet({ cwd: repo.root, env: { ...NO_CI_ENV, CI_MERGE_REQUEST_DIFF_BASE_SHA: sha } }));
    expect(err).toBeInstanceOf(GitError);
    expect(err.message).toContain(sha);
  });

  it('a folder that is not a repository is a GitError naming the folder', async () => {
    const dir = newDir();
    const err = await rejection(getChangeSet({ cwd: dir, base: 'main', env: NO_CI_ENV }));
    expect(err).toBeInstanceOf(GitError);
    expect((err as GitError).exitCode).toBe(2);
    expect(err.message).toContain(dir);
    const missing = await rejection(getChangeSet({ cwd: `${dir}/nope`, base: 'main', env: NO_CI_ENV }));
    expect(missing).toBeInstanceOf(GitError);
    expect(missing.message).toContain(`${dir}/nope`);
  });
});
