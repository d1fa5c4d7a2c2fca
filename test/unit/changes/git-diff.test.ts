import { mkdirSync, symlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getChangeSet } from '../../../src/changes/index.js';
import { NO_CI_ENV, statusMap, tempRepos } from '../../helpers/repo-fixture.js';

const newRepo = tempRepos();

/** Ten distinct lines, so git's rename detection has content to compare. */
function body(tag: string, n = 10): string {
  return Array.from({ length: n }, (_, i) => `${tag} line ${i + 1} with enough text to compare`).join('\n') + '\n';
}

describe('getChangeSet from git: statuses', () => {
  it('reports added, modified, deleted, renamed (with and without edits), copied and type-changed files', async () => {
    const repo = newRepo();
    repo.write({
      'src/keep.ts': body('keep'),
      'src/mod.ts': body('mod'),
      'src/gone.ts': body('gone'),
      'src/moved.ts': body('moved'),
      'src/moved-edited.ts': body('edited'),
      'src/source.ts': body('source'),
      'src/link.ts': body('link'),
    });
    repo.commit('base');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write({ 'src/mod.ts': body('mod') + 'one more line\n', 'src/new.ts': 'export const x = 1;\n' });
    repo.remove('src/gone.ts');
    mkdirSync(`${repo.root}/lib`);
    repo.git('mv', 'src/moved.ts', 'lib/moved.ts');
    repo.git('mv', 'src/moved-edited.ts', 'lib/moved-edited.ts');
    repo.write({ 'lib/moved-edited.ts': body('edited').replace('line 3 with', 'line three with') });
    repo.write({ 'src/copy.ts': body('source') });
    repo.remove('src/link.ts');
    // Type change (git status T): a regular file becomes a symlink.
    repo.remove('src/keep.ts');
    symlinkSync('mod.ts', `${repo.root}/src/keep.ts`);
    repo.commit('feature');

    // Make sure the fixture really exercises git's T status (file → symlink).
    expect(repo.git('diff', '--name-status', 'main', 'HEAD', '--', 'src/keep.ts')).toMatch(/^T\t/);
    const cs = await getChangeSet({ cwd: repo.root, base: 'main', env: NO_CI_ENV });
    expect(cs.source).toBe('git');
    expect(cs.fullSuiteReasons).toEqual([]);
    // Without -C git reports a copy as an add (name-status.test.ts checks that `C` maps to added too).
    expect(statusMap(cs.files)).toEqual({
      'src/mod.ts': 'modified',
      'src/new.ts': 'added',
      'src/gone.ts': 'deleted',
      'lib/moved.ts': 'renamed from src/moved.ts',
      'lib/moved-edited.ts': 'renamed from src/moved-edited.ts',
      'src/copy.ts': 'added',
      'src/link.ts': 'deleted',
      'src/keep.ts': 'modified',
    });
    expect(cs.base).toBe('main');
    expect(cs.head).toBe('HEAD');
    expect(cs.mergeBase).toBe(repo.git('rev-parse', 'main').trim());
    expect(cs.headCommit).toBe(repo.head());
    expect(cs.files.map((f) => f.path)).toEqual([...cs.files.map((f) => f.path)].sort());
  });

  it('diffs from the merge-base: commits the base branch made after the fork are not in the change set', async () => {
    const repo = newRepo();
    repo.write({ 'a.ts': body('a'), 'b.ts': body('b') });
    const fork = repo.commit('base');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write({ 'a.ts': body('a') + 'feature\n' });
    repo.commit('feature edits a');
    repo.git('checkout', '-q', 'main');
    repo.write({ 'b.ts': body('b') + 'main moved on\n', 'main-only.ts': 'x\n' });
    repo.commit('main moves on');
    repo.git('checkout', '-q', 'feature');

    const cs = await getChangeSet({ cwd: repo.root, base: 'main', env: NO_CI_ENV });
    expect(cs.mergeBase).toBe(fork);
    expect(cs.baseCommit).toBe(repo.git('rev-parse', 'main').trim());
    expect(statusMap(cs.files)).toEqual({ 'a.ts': 'modified' });
  });

  it('keeps paths with spaces, quotes, unicode and a newline intact', async () => {
    const repo = newRepo();
    const odd = ['src/with space.ts', 'src/ünï cødé.ts', 'src/quote"and\\back.ts', 'src/new\nline.ts', 'src/tab\there.ts'];
    repo.write({ 'src/plain.ts': body('plain'), [odd[1]!]: body('unicode') });
    repo.commit('base');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write(Object.fromEntries(odd.map((p) => [p, body(p)])));
    repo.git('mv', 'src/plain.ts', 'src/plain ünï\nrenamed.ts');
    repo.commit('odd names');

    const cs = await getChangeSet({ cwd: repo.root, base: 'main', env: NO_CI_ENV });
    expect(statusMap(cs.files)).toEqual({
      'src/with space.ts': 'added',
      'src/ünï cødé.ts': 'modified',
      'src/quote"and\\back.ts': 'added',
      'src/new\nline.ts': 'added',
      'src/tab\there.ts': 'added',
      'src/plain ünï\nrenamed.ts': 'renamed from src/plain.ts',
    });
  });

  it('returns top-level-relative paths when cwd is a subfolder of the repository', async () => {
    const repo = newRepo();
    repo.write({ 'pkg/a/x.ts': body('x'), 'other/y.ts': body('y') });
    repo.commit('base');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write({ 'pkg/a/x.ts': body('x2'), 'other/y.ts': body('y2') });
    repo.commit('both');
    const cs = await getChangeSet({ cwd: `${repo.root}/pkg/a`, base: 'main', env: NO_CI_ENV });
    expect(cs.files.map((f) => f.path)).toEqual(['other/y.ts', 'pkg/a/x.ts']);
  });

  it('honours an explicit head and reports an empty diff when head is the base', async () => {
    const repo = newRepo();
    repo.write({ 'a.ts': body('a') });
    const first = repo.commit('one');
    repo.write({ 'a.ts': body('a2'), 'b.ts': 'b\n' });
    repo.commit('two');
    repo.write({ 'c.ts': 'c\n' });
    repo.commit('three');
    const partial = await getChangeSet({ cwd: repo.root, base: first, head: 'HEAD~1', env: NO_CI_ENV });
    expect(statusMap(partial.files)).toEqual({ 'a.ts': 'modified', 'b.ts': 'added' });
    expect(partial.head).toBe('HEAD~1');
    const none = await getChangeSet({ cwd: repo.root, base: 'HEAD', env: NO_CI_ENV });
    expect(none.files).toEqual([]);
    expect(none.fullSuiteReasons).toEqual([]);
  });

  it('falls back to the full suite, with the reason, when base and head share no history', async () => {
    const repo = newRepo();
    repo.write({ 'a.ts': 'a\n' });
    repo.commit('main root');
    repo.git('checkout', '-q', '--orphan', 'other');
    repo.write({ 'b.ts': 'b\n' });
    repo.commit('unrelated root');
    const cs = await getChangeSet({ cwd: repo.root, base: 'main', env: NO_CI_ENV });
    expect(cs.mergeBase).toBeUndefined();
    expect(cs.fullSuiteReasons).toHaveLength(1);
    expect(cs.fullSuiteReasons[0]).toContain('no common ancestor');
    // The two-dot diff is there for information.
    expect(statusMap(cs.files)).toEqual({ 'b.ts': 'added' });
  });
});
