import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FULL_SUITE_CHANGES, DEFAULT_IGNORE, DEFAULT_TESTS } from '../../../src/config/defaults.js';
import { globTest } from '../../../src/util/globs.js';

// Patterns of every shape testsift's configs use, and paths built to sit on the edges of their
// literal parts (the shortcuts globTest takes before compiling).
const PATTERNS = [
  ...DEFAULT_FULL_SUITE_CHANGES,
  ...DEFAULT_IGNORE,
  ...DEFAULT_TESTS,
  'spec/**/*_spec.rb',
  'ee/spec/**/*_spec.rb',
  'src/**',
  'src/*.ts',
  'a?c/x*y.ts',
  '!src/**',
  './src/**/*.ts',
  'src/{a,b}/*.ts',
  'src/[ab]/*.ts',
  'src/@(a|b)/*.ts',
  'test/**/x\\*.ts',
  'package.json',
];
const PATHS = [
  'package.json',
  'a/package.json',
  'a/package.json.bak',
  'apackage.json',
  '.gitlab-ci.yml',
  '.gitlab/ci',
  '.gitlab/ci/x.yml',
  '.gitlab/cix/y.yml',
  '.github/workflows/a.yml',
  'vitest.config.ts',
  'pkg/vitest.config.mts',
  'vitest.configts',
  'x/.babelrc.json',
  'tsconfig.json',
  'tsconfig.base.json',
  'a/tsconfig.json',
  'docs',
  'docs/a.md',
  'README.md',
  'LICENSE',
  'LICENSE.txt',
  'src',
  'src/a.ts',
  'src/a/b.ts',
  'src/b/c.ts',
  'src/c/d.ts',
  'src/.x.ts',
  'srcx/a.ts',
  'spec/a_spec.rb',
  'spec/x/y/b_spec.rb',
  'spec/a_spec.rbx',
  'ee/spec/a_spec.rb',
  'ee/specs/a_spec.rb',
  'abc/x1y.ts',
  'abc/xy.ts',
  'test/a/x*.ts',
  'test/a/xx.ts',
  'a/b.test.ts',
  'a/__tests__/b.ts',
  'b.spec.mjs',
  'node_modules/a/b.test.ts',
];

describe('globTest', () => {
  it('answers as picomatch does (dot files included) for every pattern shape and edge path', () => {
    const wrong: string[] = [];
    for (const g of PATTERNS) {
      const ours = globTest(g);
      const theirs = picomatch(g, { dot: true });
      for (const p of PATHS) if (ours(p) !== theirs(p)) wrong.push(`${g} ${p}: ours ${ours(p)}`);
    }
    expect(wrong).toEqual([]);
  });
});
