import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getChangeSet, type ChangedFile } from '../../../src/changes/index.js';
import { NO_CI_ENV, tempRepos } from '../../helpers/repo-fixture.js';

const newRepo = tempRepos();

const lines = (n: number, tag = 'line') => Array.from({ length: n }, (_, i) => `${tag} ${i + 1} of a file long enough to be similar`);
const text = (ls: string[]) => ls.join('\n') + '\n';
const byPath = (files: ChangedFile[]) => new Map(files.map((f) => [f.path, f]));

describe('oldRanges from git diff -U0 (old side)', () => {
  it('covers modified, inserted and deleted lines, renames with edits, and leaves whole-file cases undefined', async () => {
    const repo = newRepo();
    const base = lines(20);
    repo.write({
      'mod.ts': text(base),
      'ins.ts': text(base),
      'del.ts': text(base),
      'top.ts': text(base),
      'mixed.ts': text(base),
      'old name.ts': text(lines(20, 'ren')),
      'pure.ts': text(lines(20, 'pure')),
      'gone.ts': text(base),
      'bin.dat': Buffer.from([0, 1, 2, 3, 0, 5]).toString('latin1'),
      'becomes-link.ts': text(base),
    });
    repo.commit('base');
    repo.git('checkout', '-q', '-b', 'feature');
    const edit = (f: (ls: string[]) => void) => {
      const ls = [...base];
      f(ls);
      return text(ls);
    };
    repo.write({
      'mod.ts': edit((ls) => (ls[4] = 'changed 5')), // line 5 replaced
      'ins.ts': edit((ls) => ls.splice(7, 0, 'new a', 'new b')), // inserted after old line 7
      'del.ts': edit((ls) => ls.splice(9, 3)), // old lines 10-12 removed
      'top.ts': edit((ls) => ls.unshift('new first line')), // insertion before line 1 → after line 0
      'mixed.ts': edit((ls) => {
        ls[1] = 'changed 2';
        ls.splice(14, 2, 'x', 'y', 'z'); // old 15-16 replaced by three lines
      }),
      'new.ts': 'added\n',
      'bin.dat': Buffer.from([0, 9, 9, 9, 0, 5]).toString('latin1'),
    });
    repo.remove('gone.ts', 'becomes-link.ts');
    symlinkSync('mod.ts', join(repo.root, 'becomes-link.ts')); // type change: -U0 shows delete + create
    repo.git('mv', 'old name.ts', 'new name.ts');
    repo.git('mv', 'pure.ts', 'pure-moved.ts');
    const renamed = lines(20, 'ren');
    renamed[17] = 'edited after the move';
    repo.write({ 'new name.ts': text(renamed) });
    repo.commit('edits');

    const cs = await getChangeSet({ cwd: repo.root, base: 'main', lineRanges: true, env: NO_CI_ENV });
    const f = byPath(cs.files);
    expect(f.get('mod.ts')?.oldRanges).toEqual([{ start: 5, end: 5, shape: 'kept' }]);
    expect(f.get('ins.ts')?.oldRanges).toEqual([{ start: 7, end: 7, insertion: true, shape: 'kept' }]);
    expect(f.get('del.ts')?.oldRanges).toEqual([{ start: 10, end: 12, shape: 'kept' }]);
    expect(f.get('top.ts')?.oldRanges).toEqual([{ start: 0, end: 0, insertion: true, shape: 'kept' }]);
    expect(f.get('mixed.ts')?.oldRanges).toEqual([
      { start: 2, end: 2, shape: 'kept' },
      { start: 15, end: 16, shape: 'kept' },
    ]);
    expect(f.get('new name.ts')).toEqual({
      path: 'new name.ts',
      status: 'renamed',
      oldPath: 'old name.ts',
      oldRanges: [{ start: 18, end: 18, shape: 'kept' }],
    });
    // Whole-file cases: added, deleted, pure rename (importers of the old path break), binary.
    expect(f.get('new.ts')).toEqual({ path: 'new.ts', status: 'added' });
    expect(f.get('gone.ts')).toEqual({ path: 'gone.ts', status: 'deleted' });
    expect(f.get('pure-moved.ts')).toEqual({ path: 'pure-moved.ts', status: 'renamed', oldPath: 'pure.ts' });
    expect(f.get('bin.dat')).toEqual({ path: 'bin.dat', status: 'modified' });
    expect(f.get('becomes-link.ts')).toEqual({ path: 'becomes-link.ts', status: 'modified' });
  });

  it('works for odd file names (the patch headers are C-quoted)', async () => {
    const repo = newRepo();
    const name = 'src/ünï cødé\n"q".ts';
    repo.write({ [name]: text(lines(10)) });
    repo.commit('base');
    repo.git('checkout', '-q', '-b', 'feature');
    const ls = lines(10);
    ls[2] = 'changed';
    repo.write({ [name]: text(ls) });
    repo.commit('edit');
    const cs = await getChangeSet({ cwd: repo.root, base: 'main', lineRanges: true, env: NO_CI_ENV });
    expect(cs.files).toEqual([{ path: name, status: 'modified', oldRanges: [{ start: 3, end: 3, shape: 'kept' }] }]);
  });

  it('marks hunks whose text changes how brackets nest or adds a case label (code may move between blocks)', async () => {
    const repo = newRepo();
    const code = ['function f(x) {', '  if (x) {', '    a();', '  }', "  const s = '{';", '  switch (x) {', '    case 1:', '      b();', '  }', '}', ''];
    repo.write({ 'k.ts': code.join('\n'), 'c.ts': code.join('\n'), 'o.ts': code.join('\n'), 'i.ts': code.join('\n'), 's.ts': code.join('\n') });
    repo.commit('base');
    repo.git('checkout', '-q', '-b', 'feature');
    const edit = (f: (ls: string[]) => void): string => {
      const ls = [...code];
      f(ls);
      return ls.join('\n');
    };
    repo.write({
      'k.ts': edit((ls) => (ls[1] = '  if (x > 1) {')), // a condition: brackets as before
      'c.ts': edit((ls) => (ls[2] = '    a(); } {')), // closes and reopens a block
      'o.ts': edit((ls) => (ls[4] = "  const s = '{}' /* { */;")), // brackets in a string and a comment only
      'i.ts': edit((ls) => ls.splice(3, 0, '  } else {', '    c();')), // inserts an else arm: unbalanced
      's.ts': edit((ls) => ls.splice(7, 0, '    case 2:')), // a new case label
    });
    repo.commit('edits');
    const cs = await getChangeSet({ cwd: repo.root, base: 'main', lineRanges: true, env: NO_CI_ENV });
    const f = byPath(cs.files);
    expect(f.get('k.ts')?.oldRanges).toEqual([{ start: 2, end: 2, shape: 'kept' }]);
    expect(f.get('c.ts')?.oldRanges).toEqual([{ start: 3, end: 3, shape: 'changed' }]);
    expect(f.get('o.ts')?.oldRanges).toEqual([{ start: 5, end: 5, shape: 'kept' }]);
    expect(f.get('i.ts')?.oldRanges).toEqual([{ start: 3, end: 3, insertion: true, shape: 'changed' }]);
    expect(f.get('s.ts')?.oldRanges).toEqual([{ start: 7, end: 7, insertion: true, shape: 'changed' }]);
  });

  it('gives no ranges unless asked', async () => {
    const repo = newRepo();
    repo.write({ 'a.ts': text(lines(5)) });
    repo.commit('base');
    repo.write({ 'a.ts': text(lines(6)) });
    repo.commit('edit');
    const cs = await getChangeSet({ cwd: repo.root, base: 'HEAD~1', env: NO_CI_ENV });
    expect(cs.files).toEqual([{ path: 'a.ts', status: 'modified' }]);
  });
});
