/**
 * Defaults of the tests.yml superset. Globs are picomatch-style with dot files matching; `**​/x`
 * also matches `x` at the root, so monorepo packages are covered.
 */

const JS_EXT = '{js,jsx,ts,tsx,mjs,cjs,mts,cts}';

/** The test universe when `tests:` is absent. */
export const DEFAULT_TESTS: readonly string[] = [`**/*.{test,spec}.${JS_EXT}`, `**/__tests__/**/*.${JS_EXT}`];

export const DEFAULT_FULL_SUITE_LABELS: readonly string[] = ['pipeline:run-all-tests'];

/**
 * "Core files": a change here can affect any test, and no map records it. A user's
 * `full_suite.changes` extends this list (see `default_changes`).
 */
export const DEFAULT_FULL_SUITE_CHANGES: readonly string[] = [
  // dependencies
  '**/package.json',
  '**/package-lock.json',
  '**/npm-shrinkwrap.json',
  '**/yarn.lock',
  '**/pnpm-lock.yaml',
  '**/pnpm-workspace.yaml',
  '**/bun.lock',
  '**/bun.lockb',
  // runner, transpiler and type-checker configuration
  '**/vitest.config.*',
  '**/vitest.workspace.*',
  '**/vite.config.*',
  '**/jest.config.*',
  '**/babel.config.*',
  '**/.babelrc*',
  '**/tsconfig*.json',
  // setup files every test loads
  '**/vitest.setup.*',
  '**/jest.setup.*',
  '**/setupTests.*',
  // runtime version
  '**/.nvmrc',
  '**/.node-version',
  // CI configuration
  '.gitlab-ci.yml',
  '.gitlab/ci/**',
  '.github/workflows/**',
];

export const DEFAULT_UNMAPPED = 'full' as const;
/**
 * The age limit applied when the map's commit cannot be checked against the diff base (no git
 * repository). Where it can, the commit-based staleness check already covers the drift, so a
 * quiet weekend does not force a full suite: the age check then runs only when asked for.
 */
export const DEFAULT_MAX_MAP_AGE_HOURS = 24;
export const DEFAULT_IGNORE: readonly string[] = ['**/*.md', '**/*.mdx', 'docs/**', 'LICENSE*'];
export const DEFAULT_COVERAGE_MAP = '.testsift/map.json';
export const DEFAULT_FAIL_FAST_THRESHOLD = 10;
