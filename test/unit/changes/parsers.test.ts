import { describe, expect, it } from 'vitest';
import { parseNameStatus, parseOldRanges, unquoteGitPath } from '../../../src/changes/index.js';
import { parseStatusV2, STATUS_ARGS } from '../../../src/changes/status.js';
import { tempRepos } from '../../helpers/repo-fixture.js';

const newRepo = tempRepos();

describe('parseNameStatus on real `git diff -z --name-status` output', () => {
  it('maps copies (C) to added and keeps both paths of a rename', () => {
    const repo = newRepo();
    const text = Array.from({ length: 20 }, (_, i) => `shared line ${i}`).join('\n') + '\n';
    repo.write({ 'orig.ts': text, 'to-rename.ts': text.replace(/shared/g, 'other') });
    repo.commit('base');
    repo.write({ 'copy of orig.ts': text });
    repo.git('mv', 'to-rename.ts', 'renamed\nfile.ts');
    repo.commit('copy + rename');
    const out = repo.git('diff', '-z', '--name-status', '-C', '--find-copies-harder', 'HEAD~1', 'HEAD');
    expect(out).toMatch(/^C\d+\0/m); // the fixture really produces a copy record
    expect(parseNameStatus(out)).toEqual([
      { status: 'added', path: 'copy of orig.ts' },
      { status: 'renamed', path: 'renamed\nfile.ts', oldPath: 'to-rename.ts' },
    ]);
  });

  it('rejects truncated output instead of inventing entries', () => {
    expect(() => parseNameStatus('R100\0only-old\0')).toThrow(/truncated/);
    expect(() => parseNameStatus('M\0')).toThrow(/truncated/);
  });
});

describe('unquoteGitPath', () => {
  it('decodes the C-style quoting git uses in patch headers, including octal UTF-8 bytes', () => {
    const repo = newRepo();
    const name = 'dir/ünï "q" \\ \t\nx.ts';
    repo.write({ [name]: 'a\n' });
    repo.git('add', '-A');
    // ls-files without -z quotes exactly like patch headers do (core.quotePath=true).
    const quoted = repo.git('-c', 'core.quotePath=true', 'ls-files').replace(/\n$/, '');
    expect(quoted.startsWith('"')).toBe(true);
    expect(quoted).toMatch(/\\303\\274/); // ü as octal bytes
    expect(unquoteGitPath(quoted)).toBe(name);
    expect(unquoteGitPath('plain/path.ts')).toBe('plain/path.ts');
    expect(() => unquoteGitPath('"unterminated')).toThrow(/malformed/);
  });
});

describe('parseOldRanges', () => {
  it('is not fooled by content lines that look like patch headers', () => {
    const repo = newRepo();
    repo.write({ 'a.txt': ['keep', '-- not a header', '++ nor this', 'keep'].join('\n') + '\n' });
    repo.commit('base');
    repo.write({ 'a.txt': ['keep', '++ b/fake', '-- a/fake', 'keep'].join('\n') + '\n' });
    repo.commit('edit');
    const patch = repo.git('diff', '-U0', '--src-prefix=a/', '--dst-prefix=b/', 'HEAD~1', 'HEAD');
    expect(patch).toContain('\n--- not a header'); // the body line starts with "--- "
    // Each range also carries its shape (kept, inserted…): only its lines matter here.
    expect([...parseOldRanges(patch)]).toMatchObject([['a.txt', [{ start: 2, end: 3 }]]]);
  });
});

describe('parseStatusV2 on real `git status --porcelain=v2 -z` output', () => {
  it('lists staged, unstaged, unmerged-free renames and untracked files, spaces and newlines intact', () => {
    const repo = newRepo();
    const body = Array.from({ length: 10 }, (_, i) => `row ${i}`).join('\n') + '\n';
    repo.write({ 'a b.ts': 'a\n', 'staged.ts': 's\n', 'mv me.ts': body, 'rm.ts': 'r\n' });
    repo.commit('base');
    repo.write({ 'a b.ts': 'a2\n', 'staged.ts': 's2\n', 'new\nfile.ts': 'u\n', 'dir/deep ü.ts': 'd\n' });
    repo.git('add', 'staged.ts');
    repo.git('mv', 'mv me.ts', 'moved to.ts');
    repo.remove('rm.ts');
    const out = repo.git(...STATUS_ARGS);
    expect(out.startsWith('# branch.oid ')).toBe(true); // never empty output (see status.ts)
    const st = parseStatusV2(out);
    expect([...st.touched].sort()).toEqual(['a b.ts', 'moved to.ts', 'mv me.ts', 'rm.ts', 'staged.ts']);
    expect([...st.untracked].sort()).toEqual(['dir/deep ü.ts', 'new\nfile.ts']);
    // With rename detection on, a `2` record carries both paths.
    const withRenames = parseStatusV2(repo.git(...STATUS_ARGS.filter((a) => a !== '--no-renames')));
    expect(repo.git(...STATUS_ARGS.filter((a) => a !== '--no-renames'))).toMatch(/\x002 R/);
    expect([...withRenames.touched].sort()).toEqual(['a b.ts', 'moved to.ts', 'mv me.ts', 'rm.ts', 'staged.ts']);
  });

  it('rejects records it does not understand', () => {
    expect(() => parseStatusV2('# branch.oid abc\0Z what\0')).toThrow(/unexpected git status record/);
    expect(() => parseStatusV2('1 M. N...\0')).toThrow(/truncated/);
  });
});
