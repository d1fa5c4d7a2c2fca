import { describe, expect, it } from 'vitest';
import { compareCommits } from '../../../src/changes/index.js';
import { tempRepos } from '../../helpers/repo-fixture.js';

const newRepo = tempRepos();

describe('compareCommits (map commit vs diff base)', () => {
  it('names the relation and lists the files that differ between the two trees', async () => {
    const repo = newRepo();
    repo.write({ 'a.ts': 'a\n', 'old.ts': Array.from({ length: 10 }, (_, i) => `line ${i}`).join('\n') });
    const c1 = repo.commit('one');
    repo.git('mv', 'old.ts', 'new dir ü.ts');
    repo.write({ 'a.ts': 'a2\n' });
    const c2 = repo.commit('two');
    repo.git('checkout', '-q', '-b', 'side', c1);
    const side = repo.write({ 's.ts': 's\n' }).commit('side');

    expect(await compareCommits(repo.root, c2, 'main')).toEqual({ from: c2, to: c2, relation: 'same', changed: [] });
    const both = ['a.ts', 'new dir ü.ts', 'old.ts'];
    expect(await compareCommits(repo.root, c1, c2)).toEqual({ from: c1, to: c2, relation: 'ancestor', changed: both });
    expect(await compareCommits(repo.root, 'main', c1)).toEqual({ from: c2, to: c1, relation: 'descendant', changed: both });
    expect(await compareCommits(repo.root, side, c2)).toEqual({ from: side, to: c2, relation: 'diverged' });
  });

  it('says which commit this clone does not know', async () => {
    const repo = newRepo();
    const c1 = repo.write({ 'a.ts': 'a\n' }).commit('one');
    expect(await compareCommits(repo.root, 'f'.repeat(40), c1)).toEqual({ unknown: 'from' });
    expect(await compareCommits(repo.root, c1, 'no-such-branch')).toEqual({ unknown: 'to' });
    expect(await compareCommits(repo.root, '--output=x', c1)).toEqual({ unknown: 'from' });
  });
});
