import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getChangeSet } from '../../../src/changes/index.js';
import { NO_CI_ENV, tempDirs } from '../../helpers/repo-fixture.js';

const newDir = tempDirs();

// Found by test/property/changed-files.property.test.ts.
describe('a NUL-separated changed-files list (git diff --name-only -z)', () => {
  it('takes each entry verbatim: a deleted " a.ts " is not split into the existing a.ts', async () => {
    const dir = newDir();
    for (const f of ['a.ts', 'b.ts']) writeFileSync(join(dir, f), 'x\n');
    const cs = await getChangeSet({ cwd: dir, changedFiles: '-', stdinText: ' a.ts \0a.ts b.ts\0b.ts\0', changedFileList: ['a.ts b.ts'], env: NO_CI_ENV });
    expect(cs.files).toEqual([
      // the API list keeps the space rule (GitLab's one-line lists): both parts exist
      { path: 'a.ts', status: 'modified' },
      { path: 'b.ts', status: 'modified' },
      { path: ' a.ts ', status: 'deleted' },
      { path: 'a.ts b.ts', status: 'deleted' },
    ]);
  });
});
