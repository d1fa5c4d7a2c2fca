import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getChangeSet } from '../../../src/changes/index.js';
import { InputError } from '../../../src/errors.js';
import { NO_CI_ENV, statusMap, tempDirs, tempRepos } from '../../helpers/repo-fixture.js';

const newDir = tempDirs();
/** The built module (npm test builds first), run in a child process to own a real stdin. */
const DIST_CHANGES = fileURLToPath(new URL('../../../dist/changes/index.js', import.meta.url));
if (!existsSync(DIST_CHANGES)) throw new Error(`build first (npx tsc -p .): ${DIST_CHANGES} is missing`);
const newRepo = tempRepos();

/** A plain folder (no repository): list input needs no git. */
function project(): string {
  const dir = newDir();
  for (const f of ['a.ts', 'b.ts', 'with space.ts']) writeFileSync(join(dir, f), 'x\n');
  return dir;
}

describe('changed files from a list (no git needed)', () => {
  it('reads one path a line: CRLF, ./ prefixes, blanks and a BOM; existing → modified, missing → deleted', async () => {
    const dir = project();
    writeFileSync(join(dir, 'changes.txt'), '\uFEFF./a.ts\r\n\r\n  with space.ts  \r\nremoved.ts\r\n./a.ts\r\n');
    const cs = await getChangeSet({ cwd: dir, changedFiles: 'changes.txt', env: NO_CI_ENV });
    expect(cs.source).toBe('list');
    expect(cs.files).toEqual([
      { path: 'a.ts', status: 'modified' },
      { path: 'with space.ts', status: 'modified' },
      { path: 'removed.ts', status: 'deleted' },
    ]);
    expect(cs.fullSuiteReasons).toEqual([]);
    expect(cs.base).toBeUndefined();
  });

  it('finds nested files, dot files and odd spellings (//, ./, ..) on disk as path.join would', async () => {
    const dir = project();
    mkdirSync(join(dir, 'sub', 'deep'), { recursive: true });
    for (const f of ['sub/deep/x.ts', 'sub/.hidden.ts', '.config.ts', 'sub/..y.ts']) writeFileSync(join(dir, f), 'x\n');
    const list = ['sub/deep/x.ts', 'sub/.hidden.ts', '.config.ts', 'sub/..y.ts', 'sub//deep/x.ts', 'sub/./deep/x.ts', 'sub/deep/../deep/x.ts', 'sub/gone.ts'];
    const cs = await getChangeSet({ cwd: dir, changedFileList: list, env: NO_CI_ENV });
    const expected = Object.fromEntries(list.map((p) => [p.replace(/^\.\//, ''), existsSync(join(dir, p)) ? 'modified' : 'deleted']));
    expect(expected['sub/deep/../deep/x.ts']).toBe('modified');
    expect(statusMap(cs.files)).toEqual(expected);
  });

  it("splits GitLab's space-separated one-line lists, and keeps both readings when unsure", async () => {
    const dir = project();
    const all = await getChangeSet({ cwd: dir, changedFileList: ['a.ts b.ts'], env: NO_CI_ENV });
    expect(statusMap(all.files)).toEqual({ 'a.ts': 'modified', 'b.ts': 'modified' });
    // Some parts exist, some do not: the parts and the whole line (as a deleted file) → more, not fewer.
    const some = await getChangeSet({ cwd: dir, changedFileList: ['a.ts gone.ts'], env: NO_CI_ENV });
    expect(statusMap(some.files)).toEqual({ 'a.ts': 'modified', 'gone.ts': 'deleted', 'a.ts gone.ts': 'deleted' });
    // A line that is an existing file with a space is never split.
    const spaced = await getChangeSet({ cwd: dir, changedFileList: ['with space.ts'], env: NO_CI_ENV });
    expect(statusMap(spaced.files)).toEqual({ 'with space.ts': 'modified' });
    // No part exists: one deleted path.
    const none = await getChangeSet({ cwd: dir, changedFileList: ['old dir/old file.ts'], env: NO_CI_ENV });
    expect(statusMap(none.files)).toEqual({ 'old dir/old file.ts': 'deleted' });
  });

  it("reads '-' from the given stdin text, and joins a file list with changedFileList", async () => {
    const dir = project();
    const cs = await getChangeSet({ cwd: dir, changedFiles: '-', stdinText: 'b.ts\n./a.ts\n', changedFileList: ['x.ts'], env: NO_CI_ENV });
    expect(statusMap(cs.files)).toEqual({ 'x.ts': 'deleted', 'b.ts': 'modified', 'a.ts': 'modified' });
  });

  it('accepts a NUL-separated list (git diff --name-only -z), the one way to pass a newline in a path', async () => {
    const dir = project();
    writeFileSync(join(dir, 'new\nline.ts'), 'x\n');
    writeFileSync(join(dir, 'changes.z'), './a.ts\0new\nline.ts\0 with space.ts\0');
    const cs = await getChangeSet({ cwd: dir, changedFiles: 'changes.z', env: NO_CI_ENV });
    expect(statusMap(cs.files)).toEqual({ 'a.ts': 'modified', 'new\nline.ts': 'modified', ' with space.ts': 'deleted' });
  });

  it("reads '-' from the process's real standard input when no stdinText is given", async () => {
    const dir = project();
    const script = `import { getChangeSet } from ${JSON.stringify(pathToFileURL(DIST_CHANGES).href)};
      const cs = await getChangeSet({ cwd: process.cwd(), changedFiles: '-', env: {} });
      process.stdout.write(JSON.stringify(cs.files));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, input: 'a.ts\r\ngone.ts\r\n', encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([
      { path: 'a.ts', status: 'modified' },
      { path: 'gone.ts', status: 'deleted' },
    ]);
  });

  it('a missing list file is an InputError (exit 2) naming the file', async () => {
    const dir = project();
    const err = await getChangeSet({ cwd: dir, changedFiles: 'nope.txt', env: NO_CI_ENV }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).exitCode).toBe(2);
    expect((err as Error).message).toContain(join(dir, 'nope.txt'));
  });

  it('inside a repository, paths are checked against the top level even from a subfolder', async () => {
    const repo = newRepo();
    repo.write({ 'src/a.ts': 'a\n', 'pkg/readme.md': 'r\n' });
    repo.commit('one');
    const cs = await getChangeSet({ cwd: join(repo.root, 'pkg'), changedFileList: ['src/a.ts', 'src/b.ts'], env: NO_CI_ENV });
    expect(statusMap(cs.files)).toEqual({ 'src/a.ts': 'modified', 'src/b.ts': 'deleted' });
  });
});
