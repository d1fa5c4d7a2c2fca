/**
 * An empty diff must not select nothing silently. On the base branch with a guessed base there is
 * nothing to compare, so the change set asks for the full suite; with a base that was asked for
 * an empty change set stays selective, with a warning. An empty file list runs the full suite
 * unless allowed, since a failed producer leaves one too.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getChangeSet } from '../../../src/changes/index.js';
import { NO_CI_ENV, tempRepos } from '../../helpers/repo-fixture.js';

const newRepo = tempRepos();

function mainOnly() {
  const repo = newRepo();
  repo.write({ 'a.ts': 'a\n' });
  repo.commit('one');
  return repo;
}

const REASON = "HEAD is the base branch 'main' itself: no merge request to compare against, so the full suite runs; pass --base to select";

describe('a guessed base that is HEAD itself', () => {
  it('on main without --base or CI variables: a full-suite reason, no files', async () => {
    const repo = mainOnly();
    const cs = await getChangeSet({ cwd: repo.root, env: NO_CI_ENV });
    expect(cs.base).toBe('main');
    expect(cs.mergeBase).toBe(repo.head());
    expect(cs.files).toEqual([]);
    expect(cs.fullSuiteReasons).toEqual([REASON]);
  });

  it('names the guessed ref (origin/HEAD) it compared against', async () => {
    const repo = mainOnly();
    repo.git('update-ref', 'refs/remotes/origin/main', 'main');
    repo.git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
    const cs = await getChangeSet({ cwd: repo.root, env: NO_CI_ENV });
    expect(cs.fullSuiteReasons).toEqual([REASON.replace("'main'", "'origin/HEAD'")]);
  });

  it('a branch behind the guessed base (merge-base is HEAD) is the same situation', async () => {
    const repo = mainOnly();
    repo.git('checkout', '-q', '-b', 'old');
    repo.git('checkout', '-q', 'main');
    repo.write({ 'b.ts': 'b\n' }).commit('main moves on');
    repo.git('checkout', '-q', 'old');
    const cs = await getChangeSet({ cwd: repo.root, env: NO_CI_ENV });
    expect(cs.fullSuiteReasons).toEqual([
      "HEAD is already contained in the base branch 'main': no merge request to compare against, so the full suite runs; pass --base to select",
    ]);
  });

  it('--include-uncommitted with local edits has something to compare: selective', async () => {
    const repo = mainOnly();
    repo.write({ 'a.ts': 'edited\n' });
    const cs = await getChangeSet({ cwd: repo.root, includeUncommitted: true, env: NO_CI_ENV });
    expect(cs.fullSuiteReasons).toEqual([]);
    expect(cs.files).toEqual([{ path: 'a.ts', status: 'modified' }]);
    // …and with a clean tree there is nothing again.
    repo.git('checkout', '--', 'a.ts');
    const clean = await getChangeSet({ cwd: repo.root, includeUncommitted: true, env: NO_CI_ENV });
    expect(clean.fullSuiteReasons).toEqual([REASON]);
  });

  it('a feature branch with commits of its own is compared normally', async () => {
    const repo = mainOnly();
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write({ 'b.ts': 'b\n' }).commit('feature');
    const cs = await getChangeSet({ cwd: repo.root, env: NO_CI_ENV });
    expect(cs.fullSuiteReasons).toEqual([]);
    expect(cs.warnings).toEqual([]);
    expect(cs.files.map((f) => f.path)).toEqual(['b.ts']);
  });
});

describe('an asked-for base with an empty diff stays selective, with a warning', () => {
  it('--base main on main', async () => {
    const repo = mainOnly();
    const cs = await getChangeSet({ cwd: repo.root, base: 'main', env: NO_CI_ENV });
    expect(cs.fullSuiteReasons).toEqual([]);
    expect(cs.files).toEqual([]);
    expect(cs.warnings).toEqual([`no changed files between main and HEAD (merge-base ${repo.head().slice(0, 12)}): the change itself selects no test`]);
  });

  it('a CI merge-request variable naming HEAD', async () => {
    const repo = mainOnly();
    for (const env of [{ CI_MERGE_REQUEST_DIFF_BASE_SHA: repo.head() }, { CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main' }, { GITHUB_BASE_REF: 'main' }]) {
      const cs = await getChangeSet({ cwd: repo.root, env: { ...NO_CI_ENV, ...env } });
      expect(cs.fullSuiteReasons, JSON.stringify(env)).toEqual([]);
      expect(cs.warnings.join('\n')).toContain('no changed files between');
    }
  });

  it('an empty --changed-files list runs the full suite: a failed producer leaves one too', async () => {
    const repo = mainOnly();
    const cs = await getChangeSet({ cwd: repo.root, changedFiles: '-', stdinText: '\n', env: NO_CI_ENV });
    expect(cs.files).toEqual([]);
    expect(cs.fullSuiteReasons).toEqual([
      'the changed-file list on stdin is empty, which cannot be told from a list whose producer failed; running the full suite (--allow-empty-list selects no test)',
    ]);
    const fromFile = join(repo.root, 'changes.txt');
    writeFileSync(fromFile, '');
    const named = await getChangeSet({ cwd: repo.root, changedFiles: fromFile, env: NO_CI_ENV });
    expect(named.fullSuiteReasons.join('\n')).toContain(`the changed-file list ${fromFile} is empty`);
    const lib = await getChangeSet({ cwd: repo.root, changedFileList: [], env: NO_CI_ENV });
    expect(lib.fullSuiteReasons.join('\n')).toContain('the changed-file list is empty');
  });

  it('an empty list with allowEmptyList selects nothing, and says so', async () => {
    const repo = mainOnly();
    const cs = await getChangeSet({ cwd: repo.root, changedFiles: '-', stdinText: '', allowEmptyList: true, env: NO_CI_ENV });
    expect(cs.fullSuiteReasons).toEqual([]);
    expect(cs.warnings).toEqual(['the changed-file list on stdin is empty (allowed): the change itself selects no test']);
  });
});
