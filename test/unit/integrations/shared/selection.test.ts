/**
 * The selection reader both runner integrations share: a selection that cannot be used is the
 * whole suite with the reason (never zero tests by accident); only detect's JSON saying
 * "selective, no tests" runs nothing.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { readSelection } from '../../../../src/integrations/shared/selection.js';

const dir = mkdtempSync(join(tmpdir(), 'testsift-selection-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const read = (value: string) => readSelection(value, { cwd: dir });

describe('a selection file that cannot be used runs the whole suite, naming the file and why', () => {
  test('a missing file (the issue: it was read as a one-name list and ran nothing)', () => {
    expect(read('.testsift/detect.json')).toEqual({
      mode: 'full',
      tests: [],
      origin: '.testsift/detect.json',
      unusable: `the selection file ".testsift/detect.json" named by TESTSIFT_SELECT does not exist (looked for ${join(dir, '.testsift/detect.json')})`,
    });
    // Any single line that is not a test source names a file: .txt, .list, no extension.
    for (const name of ['tests.txt', 'sel.list', 'out/selection', 'selection']) {
      expect(read(name).unusable, name).toContain(`"${name}" named by TESTSIFT_SELECT does not exist`);
    }
  });

  test('a directory, or a file that cannot be read', () => {
    mkdirSync(join(dir, 'seldir'));
    expect(read('seldir').unusable).toBe(`the selection file "seldir" named by TESTSIFT_SELECT is a directory (${join(dir, 'seldir')})`);
    // Permissions do not stop root: a fifo-free way to fail a read is a dangling symlink (ENOENT),
    // so EACCES is checked only as an ordinary user.
    if (process.getuid?.() !== 0) {
      writeFileSync(join(dir, 'secret.json'), '{}');
      chmodSync(join(dir, 'secret.json'), 0o000);
      expect(read('secret.json').unusable).toContain('cannot be read (EACCES)');
    }
  });

  test('malformed JSON in the file, or the wrong shape', () => {
    writeFileSync(join(dir, 'trunc.json'), '{"mode":"selective","tests":["a.test.ts"');
    const sel = read('trunc.json');
    expect(sel.mode).toBe('full');
    expect(sel.unusable).toMatch(/^the selection file "trunc\.json" named by TESTSIFT_SELECT: invalid selection: trunc\.json: invalid JSON selection: /);
    writeFileSync(join(dir, 'shape.json'), '{"mode":"partial","tests":[]}');
    expect(read('shape.json').unusable).toContain('shape.json (mode): expected "selective" or "full", got "partial"');
  });

  test('an empty file, a file of comments, an empty JSON array: cannot say "no test needed"', () => {
    writeFileSync(join(dir, 'empty.txt'), '');
    expect(read('empty.txt').unusable).toContain('the list is empty');
    expect(read('empty.txt').unusable).toContain('detect --format json');
    writeFileSync(join(dir, 'comments.txt'), '# nothing\n\n');
    expect(read('comments.txt').mode).toBe('full');
    writeFileSync(join(dir, 'arr.json'), '[]');
    expect(read('arr.json').unusable).toContain('an empty JSON array says nothing');
    expect(read('[]').mode).toBe('full');
  });

  test('only detect JSON {"mode":"selective","tests":[]} runs nothing', () => {
    writeFileSync(join(dir, 'none.json'), JSON.stringify({ mode: 'selective', reasons: [], tests: [], selection: [] }));
    expect(read('none.json')).toEqual({ mode: 'selective', tests: [], origin: 'none.json' });
    expect(read('{"mode":"selective","tests":[]}')).toEqual({ mode: 'selective', tests: [], origin: 'TESTSIFT_SELECT' });
  });
});

describe('valid selections', () => {
  test('a single test source path is a one-test list, whether or not it exists', () => {
    expect(read('tests/a.test.ts')).toEqual({ mode: 'selective', tests: ['tests/a.test.ts'], origin: 'TESTSIFT_SELECT' });
    expect(read('tests/b.spec.mjs').tests).toEqual(['tests/b.spec.mjs']);
  });

  test('a list file; a line starting with # and no space is a path, "# x" a comment', () => {
    writeFileSync(join(dir, 'list.txt'), '# shard 1/2 (3.0s)\n#hash.test.ts\ntests/a.test.ts\r\n\n#\n');
    expect(read('list.txt')).toEqual({ mode: 'selective', tests: ['#hash.test.ts', 'tests/a.test.ts'], origin: 'list.txt' });
  });

  test('a NUL-separated list file (detect --format list -z) keeps a path with a newline whole', () => {
    writeFileSync(join(dir, 'z.list'), 'tests/new\nline.test.ts\0tests/# odd.test.ts\0');
    expect(read('z.list').tests).toEqual(['tests/# odd.test.ts', 'tests/new\nline.test.ts']);
  });
});

describe('a list names tests relative to the current directory, like detect --format list prints them', () => {
  test('run from a package of a monorepo, the list is made repo-relative; detect JSON stays as it is', () => {
    const repo = mkdtempSync(join(tmpdir(), 'testsift-selection-repo-'));
    const pkg = join(repo, 'packages/shop');
    mkdirSync(join(repo, '.git'));
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'tests.txt'), 'test/cart.test.ts\n../other/test/o.test.ts\n');
    writeFileSync(join(pkg, 'detect.json'), JSON.stringify({ mode: 'selective', tests: ['packages/shop/test/cart.test.ts'] }));
    const before = process.cwd();
    try {
      process.chdir(pkg);
      expect(readSelection('tests.txt', { cwd: pkg }).tests).toEqual(['packages/other/test/o.test.ts', 'packages/shop/test/cart.test.ts']);
      expect(readSelection('detect.json', { cwd: pkg }).tests).toEqual(['packages/shop/test/cart.test.ts']);
      process.chdir(repo);
      writeFileSync(join(repo, 'root.txt'), 'packages/shop/test/cart.test.ts\n');
      expect(readSelection('root.txt', { cwd: repo }).tests).toEqual(['packages/shop/test/cart.test.ts']);
    } finally {
      process.chdir(before);
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
