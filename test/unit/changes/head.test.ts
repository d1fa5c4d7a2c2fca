import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHeadCommit } from '../../../src/changes/head.js';
import { tempRepos } from '../../helpers/repo-fixture.js';

const newRepo = tempRepos();

describe('readHeadCommit (HEAD without a git process)', () => {
  it('agrees with git for a branch, a detached HEAD, packed refs and a linked worktree', () => {
    const repo = newRepo();
    const c1 = repo.write({ 'a.ts': 'a\n' }).commit('one');
    const c2 = repo.write({ 'a.ts': 'b\n' }).commit('two');
    expect(readHeadCommit(repo.root)).toBe(c2);
    repo.git('checkout', '-q', c1);
    expect(readHeadCommit(repo.root)).toBe(c1);
    repo.git('checkout', '-q', 'main');
    repo.git('pack-refs', '--all', '--prune');
    expect(readHeadCommit(repo.root)).toBe(c2);
    const wt = mkdtempSync(join(tmpdir(), 'testsift-wt-'));
    try {
      repo.git('worktree', 'add', '-q', '-b', 'side', join(wt, 'side'), c1);
      expect(readHeadCommit(join(wt, 'side'))).toBe(c1);
    } finally {
      repo.git('worktree', 'remove', '--force', join(wt, 'side'));
      rmSync(wt, { recursive: true, force: true });
    }
  });

  it('gives up (undefined, so git is asked) on what it does not understand', () => {
    const repo = newRepo();
    repo.write({ 'a.ts': 'a\n' }).commit('one');
    writeFileSync(join(repo.root, '.git/HEAD'), 'ref: refs/heads/../../config\n');
    expect(readHeadCommit(repo.root)).toBeUndefined();
    writeFileSync(join(repo.root, '.git/HEAD'), 'ref: refs/heads/unborn\n');
    expect(readHeadCommit(repo.root)).toBeUndefined();
    expect(readHeadCommit(join(repo.root, 'no-such-folder'))).toBeUndefined();
  });
});
