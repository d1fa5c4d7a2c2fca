import { describe, expect, it } from 'vitest';
import { getChangeSet } from '../../../src/changes/index.js';
import { NO_CI_ENV, tempRepos } from '../../helpers/repo-fixture.js';

const newRepo = tempRepos();
const lines = (tag: string) => Array.from({ length: 12 }, (_, i) => `${tag} ${i + 1} long enough to detect a rename`).join('\n') + '\n';

describe('results do not depend on the user’s git config', () => {
  it('ignores prefixes, relative diffs, external diff tools, textconv, colour, quoting and rename settings', async () => {
    const repo = newRepo();
    repo.write({
      'sub/a.ts': lines('a'),
      'ünï.ts': lines('u'),
      'old.ts': lines('old'),
      '.gitattributes': '*.ts diff=shout\n',
    });
    repo.commit('base');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write({ 'sub/a.ts': lines('a').replace('a 2 ', 'A 2 '), 'ünï.ts': lines('u').replace('u 5 ', 'U 5 ') });
    repo.git('mv', 'old.ts', 'new.ts');
    repo.commit('edits');
    for (const [k, v] of [
      ['diff.noprefix', 'true'],
      ['diff.mnemonicPrefix', 'true'],
      ['diff.relative', 'true'],
      ['diff.external', 'false'],
      ['diff.shout.textconv', 'tr a-z A-Z <'],
      ['diff.renames', 'false'],
      ['color.ui', 'always'],
      ['color.diff', 'always'],
      ['core.quotePath', 'false'],
      ['diff.algorithm', 'histogram'],
    ])
      repo.git('config', k!, v!);

    const cs = await getChangeSet({ cwd: `${repo.root}/sub`, base: 'main', lineRanges: true, env: NO_CI_ENV });
    expect(cs.files).toMatchObject([
      { path: 'new.ts', status: 'renamed', oldPath: 'old.ts' },
      { path: 'sub/a.ts', status: 'modified', oldRanges: [{ start: 2, end: 2 }] },
      { path: 'ünï.ts', status: 'modified', oldRanges: [{ start: 5, end: 5 }] },
    ]);
  });

  it('treats an empty base or head (an unset CI variable expanded by a script) as not given', async () => {
    const repo = newRepo();
    repo.write({ 'a.ts': 'a\n' });
    repo.commit('base');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write({ 'b.ts': 'b\n' });
    repo.commit('feature');
    const cs = await getChangeSet({ cwd: repo.root, base: '', head: ' ', env: NO_CI_ENV });
    expect(cs.base).toBe('main');
    expect(cs.head).toBe('HEAD');
    expect(cs.files).toEqual([{ path: 'b.ts', status: 'added' }]);
  });
});
