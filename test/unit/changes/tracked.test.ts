// listTrackedFiles: git's index listing of the test folders, which detect's universe and
// existence checks rely on being complete, each once, and sorted in JS string order.
import { describe, expect, it } from 'vitest';
import { listTrackedFiles } from '../../../src/changes/tracked.js';
import { tempDirs, tempRepos } from '../../helpers/repo-fixture.js';

const newRepo = tempRepos();
const newDir = tempDirs();

describe('listTrackedFiles', () => {
  it('lists tracked files under the folders, in JS order even where byte order differs', async () => {
    // U+FF21 is EF BC A1 in UTF-8 and U+1F600 is F0 9F 98 80: git (bytes) lists Ａ first, while
    // JS compares UTF-16 units, where the emoji's surrogate D83D sorts before FF21.
    const files = ['spec/a_spec.rb', 'spec/Ａ_spec.rb', 'spec/😀_spec.rb', 'spec/deep/b_spec.rb', 'ee/spec/c_spec.rb', 'app/x.rb', 'specs-not/y.rb'];
    const repo = newRepo().write(Object.fromEntries(files.map((f) => [f, 'x\n'])));
    repo.commit('files');
    const git = repo.git('-c', 'core.quotePath=false', 'ls-files', 'spec').trim().split('\n');
    expect(git.indexOf('spec/Ａ_spec.rb')).toBeLessThan(git.indexOf('spec/😀_spec.rb'));

    const inSpec = files.filter((f) => f.startsWith('spec/')).sort();
    expect(await listTrackedFiles(repo.root, ['spec'])).toEqual(inSpec);
    expect(await listTrackedFiles(repo.root, ['spec', 'ee/spec'])).toEqual([...inSpec, 'ee/spec/c_spec.rb'].sort());
    expect(await listTrackedFiles(repo.root, [''])).toEqual([...files].sort());
  });

  it('keeps ASCII listings as git gives them, and tracked-but-deleted files count', async () => {
    const repo = newRepo().write({ 'spec/b_spec.rb': '', 'spec/a_spec.rb': '', 'spec/B_spec.rb': '' });
    repo.commit('files');
    repo.remove('spec/b_spec.rb'); // deleted on disk, still in the index
    expect(await listTrackedFiles(repo.root, ['spec'])).toEqual(['spec/B_spec.rb', 'spec/a_spec.rb', 'spec/b_spec.rb']);
  });

  it('is undefined outside a repository', async () => {
    expect(await listTrackedFiles(newDir(), ['spec'])).toBeUndefined();
  });
});
