import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileIndex, walkFiles } from '../../../src/util/files.js';

const root = mkdtempSync(join(tmpdir(), 'testsift-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
for (const p of ['a.ts', 'src/b.ts', 'src/deep/c.test.ts', '.github/workflows/ci.yml', 'node_modules/x/index.js', 'my dir/ü.ts']) {
  mkdirSync(join(root, p, '..'), { recursive: true });
  writeFileSync(join(root, p), '');
}

describe('FileIndex', () => {
  it('walks files, skipping node_modules, with dot folders, sorted', () => {
    expect(walkFiles(root)).toEqual(['.github/workflows/ci.yml', 'a.ts', 'my dir/ü.ts', 'src/b.ts', 'src/deep/c.test.ts']);
  });

  it('answers existence per folder before a walk, and the same after', () => {
    const idx = createFileIndex(root);
    const probe = ['a.ts', 'src/b.ts', 'src/deep/c.test.ts', 'my dir/ü.ts', 'src/nope.ts', 'src', 'node_modules/x/index.js', '../x', 'src//b.ts'];
    const before = probe.map((p) => idx.exists(p));
    expect(before).toEqual([true, true, true, true, false, false, false, false, false]);
    expect(idx.glob('**/*.test.ts')).toEqual(['src/deep/c.test.ts']);
    expect(probe.map((p) => idx.exists(p))).toEqual(before);
  });

  it('globs include dot files', () => {
    expect(createFileIndex(root).glob('.github/**/*.yml')).toEqual(['.github/workflows/ci.yml']);
  });
});

describe('FileIndex over listed folders (git index)', () => {
  // The listing says what the index holds: src/deep/c.test.ts is "tracked", src/listed-only.ts is
  // listed but absent on disk (deleted, unstaged), src/b.ts is on disk but not listed.
  const listed = { dirs: ['src'], files: ['src/listed-only.ts', 'src/deep/c.test.ts'] };

  it('answers inside the listed folders from the listing, elsewhere from the tree', () => {
    const idx = createFileIndex(root, undefined, listed);
    expect(['src/deep/c.test.ts', 'src/listed-only.ts', 'src/b.ts', 'a.ts', 'my dir/ü.ts'].map((p) => idx.exists(p))).toEqual([true, true, false, true, true]);
    expect(idx.under(['src'])).toEqual(['src/deep/c.test.ts', 'src/listed-only.ts']);
    expect(idx.under(['src/deep'])).toEqual(['src/deep/c.test.ts']);
  });

  it('globs inside the listed folders use the listing; others, and negations, walk the tree', () => {
    const idx = createFileIndex(root, undefined, listed);
    expect(idx.glob('src/**/*.ts')).toEqual(['src/deep/c.test.ts', 'src/listed-only.ts']);
    expect(idx.glob('**/b.ts')).toEqual(['src/b.ts']);
    expect(idx.glob('!src/**')).toEqual(['.github/workflows/ci.yml', 'a.ts', 'my dir/ü.ts']);
  });
});
