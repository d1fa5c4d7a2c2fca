import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getChangeSet } from '../../../src/changes/index.js';
import { UsageError } from '../../../src/errors.js';
import { NO_CI_ENV, statusMap, tempRepos } from '../../helpers/repo-fixture.js';

const newRepo = tempRepos();
const lines = (tag: string, n = 12) => Array.from({ length: n }, (_, i) => `${tag} ${i + 1} long enough for rename detection`).join('\n') + '\n';

describe('includeUncommitted: committed + staged + unstaged + untracked, each file once', () => {
  it('merges every combination into one status relative to the merge-base', async () => {
    const repo = newRepo();
    repo.write({
      '.gitignore': 'ignored/\n',
      'twice.ts': lines('twice'),
      'reverted.ts': lines('reverted'),
      'wt-deleted.ts': lines('wt-deleted'),
      'recreated.ts': lines('recreated'),
      'uncached.ts': lines('uncached'),
      'staged-mv.ts': lines('staged-mv'),
      'plain-mv.ts': lines('plain-mv'),
      'c-renamed.ts': lines('c-renamed'),
      'untouched.ts': lines('untouched'),
    });
    repo.commit('base');
    repo.git('checkout', '-q', '-b', 'feature');
    // Committed layer.
    repo.write({
      'twice.ts': lines('twice') + 'commit\n',
      'reverted.ts': lines('reverted') + 'commit\n',
      'added-then-deleted.ts': 'a\n',
      'added-then-edited.ts': 'a\n',
    });
    repo.remove('recreated.ts');
    repo.git('mv', 'c-renamed.ts', 'c-renamed-new.ts');
    repo.commit('committed layer');
    // Staged layer.
    repo.write({ 'added-then-edited.ts': 'a\nb\n', 'staged-new.ts': 'n\n' });
    repo.git('add', 'added-then-edited.ts', 'staged-new.ts');
    repo.git('mv', 'staged-mv.ts', 'staged-mv-new.ts');
    repo.git('rm', '-q', '--cached', 'uncached.ts');
    // Unstaged and untracked layer.
    repo.write({
      'twice.ts': lines('twice') + 'commit\nworking tree\n',
      'reverted.ts': lines('reverted'),
      'recreated.ts': 'back again\n',
      'c-renamed-new.ts': lines('c-renamed') + 'edited after rename\n',
      'untracked.ts': 'u\n',
      'ignored/build.js': 'i\n',
    });
    repo.remove('added-then-deleted.ts', 'wt-deleted.ts');
    renameSync(join(repo.root, 'plain-mv.ts'), join(repo.root, 'plain-mv-new.ts'));

    const cs = await getChangeSet({ cwd: repo.root, base: 'main', includeUncommitted: true, env: NO_CI_ENV });
    expect(statusMap(cs.files)).toEqual({
      'twice.ts': 'modified', // committed and modified again: once
      'reverted.ts': 'modified', // touched then reverted: still listed (never fewer)
      'added-then-deleted.ts': 'deleted', // committed add, working-tree delete
      'added-then-edited.ts': 'added', // committed add, staged edit
      'staged-new.ts': 'added',
      'untracked.ts': 'added',
      'wt-deleted.ts': 'deleted', // unstaged delete
      'recreated.ts': 'modified', // committed delete, re-created untracked
      'uncached.ts': 'modified', // git rm --cached, file still on disk
      'staged-mv-new.ts': 'renamed from staged-mv.ts',
      'plain-mv.ts': 'deleted', // a plain mv is not in the index: delete + add
      'plain-mv-new.ts': 'added',
      'c-renamed-new.ts': 'renamed from c-renamed.ts', // committed rename, then edited
    });
    // Without the flag only the committed layer counts.
    const committedOnly = await getChangeSet({ cwd: repo.root, base: 'main', env: NO_CI_ENV });
    expect(statusMap(committedOnly.files)).toEqual({
      'twice.ts': 'modified',
      'reverted.ts': 'modified',
      'added-then-deleted.ts': 'added',
      'added-then-edited.ts': 'added',
      'recreated.ts': 'deleted',
      'c-renamed-new.ts': 'renamed from c-renamed.ts',
    });
  });

  it('computes line ranges against the merge-base version across commits and the working tree', async () => {
    const repo = newRepo();
    repo.write({ 'a.ts': lines('a'), 'b.ts': lines('b') });
    repo.commit('base');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write({ 'a.ts': lines('a').replace('a 3 ', 'A 3 ') });
    repo.commit('edit line 3');
    repo.write({ 'a.ts': lines('a').replace('a 3 ', 'A 3 ').replace('a 8 ', 'A 8 '), 'b.ts': lines('b').replace('b 1 ', 'B 1 ') });
    repo.git('add', 'b.ts'); // staged
    repo.write({ 'u.ts': 'untracked\n' });
    const cs = await getChangeSet({ cwd: repo.root, base: 'main', includeUncommitted: true, lineRanges: true, env: NO_CI_ENV });
    expect(cs.files).toMatchObject([
      {
        path: 'a.ts',
        status: 'modified',
        oldRanges: [
          { start: 3, end: 3 },
          { start: 8, end: 8 },
        ],
      },
      { path: 'b.ts', status: 'modified', oldRanges: [{ start: 1, end: 1 }] },
      { path: 'u.ts', status: 'added' },
    ]);
  });

  it('refuses uncommitted changes with a head other than HEAD (they sit on HEAD)', async () => {
    const repo = newRepo();
    repo.write({ 'a.ts': 'a\n' });
    repo.commit('one');
    repo.write({ 'a.ts': 'b\n' });
    repo.commit('two');
    await expect(getChangeSet({ cwd: repo.root, base: 'HEAD~1', head: 'HEAD~1', includeUncommitted: true, env: NO_CI_ENV })).rejects.toBeInstanceOf(UsageError);
    // The same commit spelled differently is fine.
    const cs = await getChangeSet({ cwd: repo.root, base: 'HEAD~1', head: 'main', includeUncommitted: true, env: NO_CI_ENV });
    expect(statusMap(cs.files)).toEqual({ 'a.ts': 'modified' });
  });
});
