/**
 * The Vitest plugin on an npm-workspaces monorepo (fixtures/monorepo): inline projects (one with
 * `isolate: false` and one worker, one for colocated `*.test-prop.ts`) plus a project file for
 * packages/app. testsift is COPIED into the temp repo's node_modules, as a user installs it, so
 * its setup file lives under node_modules (where Vitest would load it natively, once per worker).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readMapRecord, type MapRecord } from '../../../src/mappings/coverage/index.js';
import { TempRepo } from '../../helpers/git.js';
import { runNodeScript } from '../../helpers/spawn-node.js';

const MAIN = fileURLToPath(new URL('../../..', import.meta.url));
const FIXTURE = join(MAIN, 'fixtures/monorepo');
const VITEST = join(MAIN, 'node_modules/vitest');

const CORE_UNIT = ['clamp', 'double', 'limit', 'plugins'].map((n) => `packages/core/test/${n}.test.ts`);
const ALL_TESTS = ['packages/app/test/greet.test.ts', 'packages/core/src/math.test-prop.ts', ...CORE_UNIT].sort();

/** Per test file, exactly the files it uses (what an isolated run of that file alone records). */
const EXPECTED: Record<string, string[]> = {
  'packages/app/test/greet.test.ts': ['packages/app/src/greet.ts', 'packages/core/src/constants.ts', 'packages/core/src/index.ts', 'packages/core/src/math.ts'],
  'packages/core/src/math.test-prop.ts': ['packages/core/src/constants.ts', 'packages/core/src/math.ts'],
  // fs read by config.ts's top level: when limit.test.ts loaded config.ts first, nothing is read here.
  'packages/core/test/clamp.test.ts': ['packages/core/data/config.json', 'packages/core/src/config.ts', 'packages/core/src/constants.ts', 'packages/core/src/math.ts'],
  'packages/core/test/double.test.ts': ['packages/core/src/constants.ts', 'packages/core/src/math.ts'],
  // Only constants read (LIMIT, config): no function of constants.ts or config.ts runs here.
  'packages/core/test/limit.test.ts': ['packages/core/data/config.json', 'packages/core/src/config.ts', 'packages/core/src/constants.ts'],
  // import(`./plugins/${name}.ts`): alpha, not beta.
  'packages/core/test/plugins.test.ts': ['packages/core/src/loader.ts', 'packages/core/src/plugins/alpha.ts'],
};

interface Run {
  code: number;
  out: string;
}

/** The fixture in a fresh git repo, testsift installed as a copy (dist + package.json). */
function monorepo(edit?: (root: string) => void): TempRepo {
  const repo = new TempRepo('testsift-mono-');
  cpSync(FIXTURE, repo.root, { recursive: true });
  const nm = join(repo.root, 'node_modules');
  mkdirSync(join(nm, 'testsift'), { recursive: true });
  cpSync(join(MAIN, 'package.json'), join(nm, 'testsift/package.json'));
  cpSync(join(MAIN, 'dist'), join(nm, 'testsift/dist'), { recursive: true });
  // testsift's own dependencies, as npm would hoist them.
  symlinkSync(join(MAIN, 'node_modules'), join(nm, 'testsift/node_modules'), 'dir');
  symlinkSync(VITEST, join(nm, 'vitest'), 'dir');
  // npm workspaces link each package into node_modules.
  mkdirSync(join(nm, '@mono'));
  symlinkSync('../../packages/core', join(nm, '@mono/core'), 'dir');
  symlinkSync('../../packages/app', join(nm, '@mono/app'), 'dir');
  writeFileSync(join(repo.root, '.gitignore'), 'node_modules\n');
  edit?.(repo.root);
  repo.commit('fixture');
  return repo;
}

function runVitest(root: string, args: string[], env: Record<string, string>, vitest = VITEST): Promise<Run> {
  return runNodeScript(join(vitest, 'vitest.mjs'), ['run', ...args], root, env);
}

/** test → sorted files it is mapped to (its own row left out). */
function byTest(record: MapRecord): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [source, ids] of record.rows) {
    for (const i of ids) {
      const t = record.tests[i]!;
      if (source !== t) (out[t] ??= []).push(source);
    }
  }
  for (const k of Object.keys(out)) out[k]!.sort();
  return out;
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe.each(['threads', 'forks'])('monorepo, isolate: false, pool %s', (pool) => {
  let repo: TempRepo;
  let run: Run;
  beforeAll(async () => {
    repo = monorepo();
    run = await runVitest(repo.root, [], { TESTSIFT_RECORD: '1', FIXTURE_POOL: pool });
  });
  afterAll(() => repo.cleanup());

  test('each test file is mapped to exactly what it uses, across projects and packages', async () => {
    expect(run.code, run.out).toBe(0);
    const got = byTest(await readMapRecord(join(repo.root, '.testsift/map.json')));
    expect(got).toEqual(EXPECTED);
    // Not the "everything loaded earlier in the worker" fallback: one worker ran all four
    // core-unit files, yet each keeps only its own modules.
    expect(got['packages/core/test/plugins.test.ts']).not.toContain('packages/core/src/math.ts');
    expect(got['packages/core/test/limit.test.ts']).not.toContain('packages/core/src/math.ts');
    expect(run.out).not.toContain('no runtime record');
    expect(run.out).not.toContain('did not run');
  });

  test('one map and one timings file for all projects, each message said once', () => {
    expect(count(run.out, 'testsift: recorded 6 test files')).toBe(1);
    expect(Object.keys(JSON.parse(readFileSync(join(repo.root, '.testsift/timings.json'), 'utf8'))).sort()).toEqual(ALL_TESTS);
    expect(run.out).not.toContain('Sourcemap for');
  });

  test('.testsift/ stays out of commits, the clean tree gets no warning', () => {
    expect(existsSync(join(repo.root, '.testsift/.gitignore'))).toBe(true);
    expect(count(run.out, 'wrote .testsift/.gitignore')).toBe(1);
    expect(repo.git('status', '--porcelain')).toBe('');
    expect(run.out).not.toContain('uncommitted changes');
  });
});

describe('monorepo selection and shards', () => {
  let repo: TempRepo;
  beforeAll(() => {
    repo = monorepo();
  });
  afterAll(() => repo.cleanup());

  const selected = ['packages/app/test/greet.test.ts', 'packages/core/src/math.test-prop.ts', 'packages/core/test/limit.test.ts'];

  test('a selection applies across projects, said once', async () => {
    const run = await runVitest(repo.root, [], { TESTSIFT_SELECT: selected.join('\n') });
    expect(run.code, run.out).toBe(0);
    expect(count(run.out, 'running 3 of 6 test files')).toBe(1);
    expect(run.out).not.toMatch(/running \d+ of 3 test files/);
    expect(run.out).toMatch(/Test Files {2}3 passed/);
  });

  test('shards of a selection partition it across projects', async () => {
    const env = { TESTSIFT_SELECT: selected.join('\n') };
    const one = await runVitest(repo.root, ['--shard=1/2'], env);
    const two = await runVitest(repo.root, ['--shard=2/2'], env);
    expect(one.code, one.out).toBe(0);
    expect(two.code, two.out).toBe(0);
    const ran = (out: string): number => Number(/Test Files {2}(\d+) passed/.exec(out)?.[1] ?? 0);
    expect(ran(one.out) + ran(two.out)).toBe(3);
  });
});

describe('monorepo with the plugin at the root only', () => {
  test('inline projects without extends and a project file without the plugin are all recorded', async () => {
    const repo = monorepo((root) => {
      const cfg = join(root, 'vitest.config.ts');
      writeFileSync(cfg, readFileSync(cfg, 'utf8').replaceAll('extends: true,', ''));
      const app = join(root, 'packages/app/vitest.config.ts');
      writeFileSync(app, "import { defineConfig } from 'vitest/config';\nexport default defineConfig({ test: { name: 'app', include: ['test/**/*.test.ts'] } });\n");
    });
    try {
      const run = await runVitest(repo.root, [], { TESTSIFT_RECORD: '1', FIXTURE_POOL: 'threads' });
      expect(run.code, run.out).toBe(0);
      expect(byTest(await readMapRecord(join(repo.root, '.testsift/map.json')))).toEqual(EXPECTED);
      expect(count(run.out, 'testsift: recorded 6 test files')).toBe(1);
    } finally {
      repo.cleanup();
    }
  });
});

describe('recording truthfully', () => {
  test('a run with a failing file still writes the map, says so, and warns about the dirty tree', async () => {
    const repo = monorepo();
    try {
      // Uncommitted: the recording describes code that is not in HEAD.
      repo.write({
        'packages/core/test/flaky.test.ts':
          "import { expect, test } from 'vitest';\nimport { double } from '../src/math.js';\ntest('fails', () => expect(double(1)).toBe(3));\n",
      });
      const run = await runVitest(repo.root, [], { TESTSIFT_RECORD: '1' });
      expect(run.code).not.toBe(0);
      expect(run.out).toContain('1 test file(s) failed in this run; recorded anyway');
      expect(run.out).toContain('uncommitted changes (packages/core/test/flaky.test.ts)');
      const got = byTest(await readMapRecord(join(repo.root, '.testsift/map.json')));
      expect(got['packages/core/test/flaky.test.ts']).toEqual(['packages/core/src/constants.ts', 'packages/core/src/math.ts']);
      expect(got['packages/core/test/limit.test.ts']).toEqual(EXPECTED['packages/core/test/limit.test.ts']);
    } finally {
      repo.cleanup();
    }
  });
});

/**
 * Recording in the user's `--coverage` run. Needs @vitest/coverage-v8 of the same version as
 * Vitest: this package's dev dependencies have both; TESTSIFT_COVERAGE_V8_VITEST can point at
 * another node_modules that has both (to try another Vitest version).
 */
const coverageModules = process.env.TESTSIFT_COVERAGE_V8_VITEST ?? join(MAIN, 'node_modules');
function hasCoverageV8(): boolean {
  if (!coverageModules) return false;
  try {
    createRequire(join(coverageModules, 'x.js')).resolve('@vitest/coverage-v8/package.json');
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!hasCoverageV8())('recording next to V8 coverage (TESTSIFT_COVERAGE_V8_VITEST)', () => {
  test("one run serves both: the user's coverage report is byte-identical, the map is the same", async () => {
    const vitest = join(coverageModules!, 'vitest');
    const repo = monorepo((root) => {
      rmSync(join(root, 'node_modules/vitest'));
      symlinkSync(vitest, join(root, 'node_modules/vitest'), 'dir');
      mkdirSync(join(root, 'node_modules/@vitest'));
      symlinkSync(join(coverageModules!, '@vitest/coverage-v8'), join(root, 'node_modules/@vitest/coverage-v8'), 'dir');
      writeFileSync(join(root, '.gitignore'), 'node_modules\ncov-*\n');
    });
    try {
      const args = (dir: string): string[] => ['--coverage.enabled', '--coverage.reporter=json', `--coverage.reportsDirectory=${dir}`];
      const plain = await runVitest(repo.root, args('cov-plain'), {}, vitest);
      const recorded = await runVitest(repo.root, args('cov-rec'), { TESTSIFT_RECORD: '1' }, vitest);
      expect(plain.code, plain.out).toBe(0);
      expect(recorded.code, recorded.out).toBe(0);
      expect(recorded.out).toContain("recording from Vitest's own per-file coverage takes");
      const report = (dir: string): string => readFileSync(join(repo.root, dir, 'coverage-final.json'), 'utf8');
      expect(report('cov-rec')).toBe(report('cov-plain'));
      expect(byTest(await readMapRecord(join(repo.root, '.testsift/map.json')))).toEqual(EXPECTED);
    } finally {
      repo.cleanup();
    }
  });
});
