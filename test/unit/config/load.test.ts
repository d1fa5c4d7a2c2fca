import picomatch from 'picomatch';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_FULL_SUITE_CHANGES, DEFAULT_IGNORE, DEFAULT_TESTS, loadConfig } from '../../../src/config/index.js';
import { makeTree, removeTrees } from '../../helpers/tree.js';

afterAll(removeTrees);

const TFF_FILE = `mapping:
  - source: 'src/(?<rest>.+)\\.ts'
    test: 'test/%{rest}.test.ts'
  - source:
      - 'src/cli/.+\\.ts'
      - 'src/util/.+\\.ts'
    test: test/cli/**/*.test.ts
`;

describe('loadConfig: defaults', () => {
  it('with no file, every key has its default', async () => {
    const c = await loadConfig(undefined, { root: makeTree([]) });
    expect(c).toEqual({
      files: [],
      mapping: [],
      tests: [...DEFAULT_TESTS],
      testsDefaulted: true,
      fullSuite: { labels: ['pipeline:run-all-tests'], changes: [...DEFAULT_FULL_SUITE_CHANGES], unmapped: 'full' },
      ignore: ['**/*.md', '**/*.mdx', 'docs/**', 'LICENSE*'],
      coverageMap: '.testsift/map.json',
      failFast: { threshold: 10 },
      warnings: [],
    });
  });

  it('default globs (picomatch, dot files on) catch core files at any depth and JS/TS tests', () => {
    const core = picomatch([...DEFAULT_FULL_SUITE_CHANGES], { dot: true });
    for (const f of [
      'package.json',
      'packages/web/package.json',
      'yarn.lock',
      'apps/api/pnpm-lock.yaml',
      'bun.lockb',
      '.babelrc',
      'packages/x/.babelrc.json',
      'tsconfig.json',
      'packages/x/tsconfig.build.json',
      'vitest.config.ts',
      'apps/web/vite.config.mjs',
      'jest.config.js',
      'src/setupTests.ts',
      'test/vitest.setup.ts',
      '.nvmrc',
      '.node-version',
      '.gitlab-ci.yml',
      '.gitlab/ci/rules.gitlab-ci.yml',
      '.github/workflows/ci.yml',
    ]) {
      expect([f, core(f)]).toEqual([f, true]);
    }
    for (const f of ['src/index.ts', 'docs/package.md', 'src/tsconfig.ts', 'test/a.test.ts']) expect([f, core(f)]).toEqual([f, false]);

    const tests = picomatch([...DEFAULT_TESTS], { dot: true });
    for (const f of ['src/a.test.ts', 'a.spec.tsx', 'pkg/src/__tests__/util.ts', 'x.test.mjs', 'y.spec.cts']) expect([f, tests(f)]).toEqual([f, true]);
    for (const f of ['src/a.ts', 'src/test.ts', 'src/a.test.py']) expect([f, tests(f)]).toEqual([f, false]);

    const ignore = picomatch([...DEFAULT_IGNORE], { dot: true });
    expect(['README.md', 'pkg/CHANGELOG.md', 'docs/x.png', 'LICENSE', 'src/a.ts'].map((f) => ignore(f))).toEqual([true, true, true, true, false]);
  });
});

describe('loadConfig: files', () => {
  it('a plain tff file loads unchanged, with positions, and defaults for the rest', async () => {
    const root = makeTree({ 'tests.yml': TFF_FILE });
    const c = await loadConfig('tests.yml', { root });
    expect(c.files).toEqual(['tests.yml']);
    expect(c.warnings).toEqual([]);
    expect(c.mapping).toEqual([
      { sources: ['src/(?<rest>.+)\\.ts'], tests: ['test/%{rest}.test.ts'], file: 'tests.yml', line: 2, index: 0, sourceLines: [2] },
      { sources: ['src/cli/.+\\.ts', 'src/util/.+\\.ts'], tests: ['test/cli/**/*.test.ts'], file: 'tests.yml', line: 4, index: 1, sourceLines: [5, 6] },
    ]);
    expect(c.tests).toEqual([...DEFAULT_TESTS]);
  });

  it('testsift keys: full_suite.changes and labels EXTEND the defaults', async () => {
    const root = makeTree({
      'tests.yml': `${TFF_FILE}tests: ['test/**/*.test.ts']
full_suite:
  labels: [run-everything]
  changes: ['config/**']
  unmapped: ignore
  max_map_age_hours: 0
ignore: ['*.txt']
coverage_map: artifacts/map.json
fail_fast: { threshold: 3 }
`,
    });
    const c = await loadConfig('tests.yml', { root });
    expect(c.tests).toEqual(['test/**/*.test.ts']);
    expect(c.fullSuite).toEqual({
      labels: ['pipeline:run-all-tests', 'run-everything'],
      changes: [...DEFAULT_FULL_SUITE_CHANGES, 'config/**'],
      unmapped: 'ignore',
      maxMapAgeHours: 0,
    });
    expect(c.ignore).toEqual(['*.txt']);
    expect(c.coverageMap).toBe('artifacts/map.json');
    expect(c.failFast).toEqual({ threshold: 3 });
  });

  it('default_changes: false / default_labels: false replace the defaults instead', async () => {
    const root = makeTree({
      'tests.yml': `full_suite:
  changes: ['only/this/**']
  default_changes: false
  labels: [all]
  default_labels: false
`,
    });
    const c = await loadConfig('tests.yml', { root });
    expect(c.mapping).toEqual([]); // a testsift-only file may leave out mapping
    expect(c.fullSuite.changes).toEqual(['only/this/**']);
    expect(c.fullSuite.labels).toEqual(['all']);
  });

  it('several files: mappings and lists concatenate, scalars from the later file win', async () => {
    const root = makeTree({
      'a.yml': `${TFF_FILE}full_suite: { unmapped: ignore, changes: [a/**] }\ntests: [a/**/*.test.ts]\nfail_fast: { threshold: 4 }\n`,
      'b.yml': `mapping:\n  - source: lib/(.+)\\.ts\n    test: test/lib/%s.test.ts\nfull_suite: { unmapped: full, changes: [b/**] }\ntests: [b/**/*.test.ts]\n`,
    });
    const c = await loadConfig(['a.yml', 'b.yml'], { root });
    expect(c.files).toEqual(['a.yml', 'b.yml']);
    expect(c.mapping.map((r) => `${r.file}:${r.line}#${r.index}`)).toEqual(['a.yml:2#0', 'a.yml:4#1', 'b.yml:2#0']);
    expect(c.fullSuite.unmapped).toBe('full');
    expect(c.fullSuite.changes.slice(-2)).toEqual(['a/**', 'b/**']);
    expect(c.tests).toEqual(['a/**/*.test.ts', 'b/**/*.test.ts']);
    expect(c.failFast.threshold).toBe(4);
  });

  it('unknown keys are warnings with file:line, not errors', async () => {
    const root = makeTree({
      'tests.yml': `${TFF_FILE}full_suit: {}\nfull_suite:\n  lables: [x]\n`,
    });
    const c = await loadConfig('tests.yml', { root });
    expect(c.warnings).toEqual([
      "tests.yml:8: unknown key 'full_suit' ignored (known: mapping, tests, full_suite, ignore, coverage_map, fail_fast)",
      "tests.yml:10: unknown key 'full_suite.lables' ignored (known: labels, changes, unmapped, max_map_age_hours, default_changes, default_labels)",
    ]);
  });

  it('paths outside the root are named as given; inside, repo-relative', async () => {
    const root = makeTree({ 'sub/tests.yml': TFF_FILE });
    const c = await loadConfig(`${root}/sub/tests.yml`, { root });
    expect(c.mapping[0]!.file).toBe('sub/tests.yml');
    const other = makeTree([]);
    const d = await loadConfig(`${root}/sub/tests.yml`, { root: other });
    expect(d.mapping[0]!.file).toBe(`${root}/sub/tests.yml`);
  });
});

describe('mappings.example.yml (repo root)', () => {
  const repoRoot = new URL('../../../', import.meta.url).pathname;

  it('loads with no warnings and sets every key testsift reads', async () => {
    const c = await loadConfig('mappings.example.yml', { root: repoRoot });
    expect(c.warnings).toEqual([]);
    expect(c.mapping).toHaveLength(5);
    expect(c.tests).toEqual(['test/**/*.test.ts', 'src/**/*.{test,spec}.ts']);
    expect(c.fullSuite).toEqual({
      labels: ['pipeline:run-all-tests', 'run-all-tests'],
      changes: [...DEFAULT_FULL_SUITE_CHANGES, 'src/config/**', 'test/helpers/**'],
      unmapped: 'full',
    });
    expect(c.ignore).toEqual(['**/*.md', 'docs/**', '.vscode/**']);
    expect(c.coverageMap).toBe('.testsift/map.json');
    expect(c.failFast).toEqual({ threshold: 10 });
  });

  it('its rules select what their comments say', async () => {
    const { matchStatic, testsOf } = await import('../../../src/mappings/static/index.js');
    const { createFileIndex } = await import('../../../src/util/files.js');
    const c = await loadConfig('mappings.example.yml', { root: repoRoot });
    const files = createFileIndex('/nonexistent', [
      'test/util/paths.test.ts',
      'src/util/paths.spec.ts',
      'test/cli/a.test.ts',
      'test/cli/sub/b.test.ts',
      'test/integration/database.test.ts',
      'packages/core/test/x.test.ts',
      'test/x.test.ts',
    ]);
    const sel = (p: string): string[] => testsOf(matchStatic(c.mapping, [p], files));
    expect(sel('src/util/paths.ts')).toEqual(['src/util/paths.spec.ts', 'test/util/paths.test.ts']);
    expect(sel('src/cli/main.ts')).toEqual(['test/cli/a.test.ts', 'test/cli/sub/b.test.ts']);
    expect(sel('db/migrations/001_init.sql')).toEqual(['test/integration/database.test.ts']);
    expect(sel('packages/core/src/x.ts')).toEqual(['packages/core/test/x.test.ts']);
    expect(sel('src/x.ts')).toEqual(['test/x.test.ts']);
  });
});
