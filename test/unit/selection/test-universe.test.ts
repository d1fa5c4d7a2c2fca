import { describe, expect, test } from 'vitest';
import { parseUniverse, universeMatcher, universeRoots, UniverseShapeError } from '../../../src/selection/test-universe.js';
import { jestUniverse } from '../../../src/integrations/jest/universe.js';
import { vitestUniverse } from '../../../src/integrations/vitest/universe.js';

const matcher = (u: unknown) => universeMatcher(parseUniverse(u));

describe('a stored Vitest universe', () => {
  const isTest = matcher({
    runner: 'vitest',
    projects: [
      { name: 'unit', root: 'packages/core', include: ['test/**/*.test.ts'], exclude: ['**/node_modules/**', 'test/fixtures/**'] },
      { name: 'prop', root: 'packages/core', include: ['src/**/*.test-prop.ts'], exclude: [] },
      { root: '', include: ['scripts/*.spec.ts'], exclude: [] },
    ],
  });

  test('globs match relative to each project root', () => {
    expect(isTest('packages/core/test/a.test.ts')).toBe(true);
    expect(isTest('packages/core/test/deep/b.test.ts')).toBe(true);
    expect(isTest('packages/core/src/math.test-prop.ts')).toBe(true);
    expect(isTest('scripts/x.spec.ts')).toBe(true);
  });

  test('outside the roots, excluded, or matched by no include: not a test', () => {
    expect(isTest('tools/test/a.test.ts')).toBe(false); // another workspace
    expect(isTest('test/a.test.ts')).toBe(false); // the include, but at the repository root
    expect(isTest('packages/core/test/fixtures/c.test.ts')).toBe(false);
    expect(isTest('packages/core/src/math.ts')).toBe(false);
    expect(isTest('packages/core-extra/test/a.test.ts')).toBe(false); // a sibling whose name starts alike
  });
});

describe('a stored Jest universe', () => {
  test('testMatch under the roots, minus testPathIgnorePatterns', () => {
    const isTest = matcher({
      runner: 'jest',
      projects: [
        {
          roots: ['src', 'lib'],
          testMatch: ['**/__tests__/**/*.[jt]s?(x)', '**/?(*.)+(spec|test).[jt]s?(x)'],
          testPathIgnorePatterns: ['/node_modules/', '/src/legacy/'],
        },
      ],
    });
    expect(isTest('src/__tests__/a.js')).toBe(true);
    expect(isTest('lib/b.spec.tsx')).toBe(true);
    expect(isTest('src/legacy/old.test.js')).toBe(false);
    expect(isTest('e2e/c.test.js')).toBe(false);
    expect(isTest('src/c.js')).toBe(false);
  });

  test('testRegex is tested against "/" + the repo-relative path', () => {
    const isTest = matcher({ runner: 'jest', projects: [{ roots: [''], testRegex: ['(/__tests__/.*|(\\.|/)(test|spec))\\.[jt]sx?$'] }] });
    expect(isTest('__tests__/a.js')).toBe(true);
    expect(isTest('pkg/x.test.ts')).toBe(true);
    expect(isTest('pkg/x.ts')).toBe(false);
  });

  test('roots of the stored universe are what detect lists', () => {
    expect(universeRoots(parseUniverse({ runner: 'jest', projects: [{ roots: ['a', 'b'], testMatch: ['**/*.js'] }] }))).toEqual(['a', 'b']);
  });
});

describe('a stored universe that cannot be used is refused (detect keeps the default globs)', () => {
  test.each([
    ['no projects', { runner: 'vitest', projects: [] }],
    ['an unknown runner', { runner: 'mocha', projects: [{ root: '', include: [], exclude: [] }] }],
    ['a root outside the repository', { runner: 'vitest', projects: [{ root: '../other', include: ['**/*.ts'], exclude: [] }] }],
    ['a bad regex', { runner: 'jest', projects: [{ roots: [''], testRegex: ['(unclosed'] }] }],
    ['Jest without testMatch or testRegex', { runner: 'jest', projects: [{ roots: [''] }] }],
    ['include not a list', { runner: 'vitest', projects: [{ root: '', include: 'x', exclude: [] }] }],
  ])('%s', (_what, stored) => {
    expect(() => matcher(stored)).toThrow(UniverseShapeError);
  });
});

describe('what the recorders store', () => {
  test('Vitest: dir (else root) made repo-relative, absolute globs made relative to it; typecheck include too', () => {
    const u = vitestUniverse(
      [
        { name: 'a', config: { root: '/repo/packages/a', include: ['/repo/packages/a/src/**/*.test.ts', 'test/**'], exclude: ['**/node_modules/**'] } },
        {
          name: 'b',
          config: {
            root: '/repo',
            dir: '/repo/packages/b',
            include: ['**/*.spec.ts'],
            exclude: [],
            typecheck: { enabled: true, include: ['**/*.test-d.ts'], exclude: [] },
          },
        },
      ],
      '/repo',
    );
    expect(u).toEqual({
      runner: 'vitest',
      projects: [
        { name: 'a', root: 'packages/a', include: ['src/**/*.test.ts', 'test/**'], exclude: ['**/node_modules/**'] },
        { name: 'b', root: 'packages/b', include: ['**/*.spec.ts'], exclude: [] },
        { name: 'b', root: 'packages/b', include: ['**/*.test-d.ts'], exclude: [] },
      ],
    });
    expect(vitestUniverse([{ config: { root: '/elsewhere', include: ['**'], exclude: [] } }], '/repo')).toBeUndefined();
  });

  test('Jest: roots repo-relative (rootDir when none), <rootDir> removed from globs and regexes', () => {
    const u = jestUniverse(
      [
        {
          rootDir: '/repo/web',
          testMatch: ['/repo/web/src/**/*.test.js'],
          testRegex: '/repo/web/x\\.js$',
          testPathIgnorePatterns: ['/node_modules/', '/repo/web/dist/'],
        },
      ],
      '/repo',
    );
    expect(u).toEqual({
      runner: 'jest',
      projects: [{ roots: ['web'], testMatch: ['web/src/**/*.test.js'], testRegex: ['/web/x\\.js$'], testPathIgnorePatterns: ['/node_modules/', '/web/dist/'] }],
    });
    expect(jestUniverse([{ rootDir: '/repo', roots: ['/other'], testMatch: ['**/*.js'] }], '/repo')).toBeUndefined();
  });
});
