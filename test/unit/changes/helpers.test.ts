import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareCommits, isInsideRepo, repoRoot, resolveCommit } from '../../../src/changes/index.js';
import { GitError } from '../../../src/errors.js';
import { tempDirs, tempRepos } from '../../helpers/repo-fixture.js';

const newRepo = tempRepos();
const newDir = tempDirs();

describe('repository helpers for the policy', () => {
  it('resolveCommit and compareCommits answer from history (deleted and renamed files, both paths), undefined/unknown for unknown commits', async () => {
    const repo = newRepo();
    repo.write({ 'a.ts': 'a\n', 'old.ts': Array.from({ length: 10 }, (_, i) => `line ${i} of old`).join('\n'), 'gone.ts': 'g\n' });
    const c1 = repo.commit('one');
    mkdirSync(`${repo.root}/sub dir`);
    repo.git('mv', 'old.ts', 'sub dir/new ünï.ts');
    repo.remove('gone.ts');
    repo.write({ 'a.ts': 'a2\n' });
    const c2 = repo.commit('two');
    repo.git('checkout', '-q', '-b', 'side', c1);
    repo.write({ 's.ts': 's\n' });
    const side = repo.commit('side');

    expect(await resolveCommit(repo.root, 'main')).toBe(c2);
    expect(await resolveCommit(repo.root, 'HEAD~1')).toBe(c1);
    expect(await resolveCommit(repo.root, 'nope')).toBeUndefined();
    expect(await resolveCommit(repo.root, '-h')).toBeUndefined();

    const changed = (r: Awaited<ReturnType<typeof compareCommits>>) => ('relation' in r ? [r.relation, r.changed] : r);
    expect(changed(await compareCommits(repo.root, c1, c2))).toEqual(['ancestor', ['a.ts', 'gone.ts', 'old.ts', 'sub dir/new ünï.ts']]);
    expect(changed(await compareCommits(repo.root, c2, c2))).toEqual(['same', []]);
    expect(changed(await compareCommits(repo.root, side, c2))).toEqual(['diverged', undefined]);
    expect(await compareCommits(repo.root, 'a'.repeat(40), c2)).toEqual({ unknown: 'from' });
    expect(await compareCommits(repo.root, c1, 'b'.repeat(40))).toEqual({ unknown: 'to' });
  });

  it('isInsideRepo / repoRoot: paths are relative to the top level even from a subfolder', async () => {
    const repo = newRepo();
    repo.write({ 'pkg/x/a.ts': 'a\n', 'b.ts': 'b\n' });
    const c1 = repo.commit('one');
    repo.write({ 'b.ts': 'b2\n' });
    const c2 = repo.commit('two');
    expect(await isInsideRepo(`${repo.root}/pkg/x`)).toBe(true);
    expect(await repoRoot(`${repo.root}/pkg/x`)).toBe(repo.root);
    expect(await compareCommits(`${repo.root}/pkg/x`, c1, c2)).toMatchObject({ relation: 'ancestor', changed: ['b.ts'] });
    const dir = newDir();
    expect(await isInsideRepo(dir)).toBe(false);
    expect(await isInsideRepo(`${dir}/missing`)).toBe(false);
    await expect(repoRoot(dir)).rejects.toThrow(GitError);
    await expect(repoRoot(dir)).rejects.toThrow(dir);
  });
});
