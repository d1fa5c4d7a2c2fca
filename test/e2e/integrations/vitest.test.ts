/**
 * The Vitest plugin end to end: the vitest-basic fixture copied into a real temp git repo,
 * run by the real Vitest 4.1 of this package with `testsift/vitest` resolvable, then the
 * recorded map and timings, the files Vitest ran (its JSON reporter) and the CLI's view of
 * them are checked.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readMapRecord, type MapRecord } from '../../../src/mappings/coverage/index.js';
import { TempRepo } from '../../helpers/git.js';
import { runCli } from '../../helpers/cli.js';
import type { Block } from '../../../src/mappings/coverage/types.js';
import { runNodeScript } from '../../helpers/spawn-node.js';

const MAIN = fileURLToPath(new URL('../../..', import.meta.url));
const FIXTURE = join(MAIN, 'fixtures/vitest-basic');
const VITEST_BIN = join(MAIN, 'node_modules/vitest/vitest.mjs');
const ALL_TESTS = ['test/add.test.ts', 'test/greet.test.ts', 'test/mul.test.ts', 'test/plugin.test.ts', 'test/settings.test.ts', 'test/slow.test.ts'];

interface Run {
  code: number;
  out: string;
  /** Test files Vitest ran, from its JSON reporter, repo-relative, sorted. */
  ran: string[];
}

/** The fixture in a fresh git repo, with testsift and vitest linked into node_modules. */
function fixtureRepo(): TempRepo {
  const repo = new TempRepo('testsift-vitest-');
  cpSync(FIXTURE, repo.root, { recursive: true });
  mkdirSync(join(repo.root, 'node_modules'));
  symlinkSync(MAIN, join(repo.root, 'node_modules/testsift'), 'dir');
  symlinkSync(join(MAIN, 'node_modules/vitest'), join(repo.root, 'node_modules/vitest'), 'dir');
  repo.commit('fixture');
  return repo;
}

/** Run the fixture's Vitest as a user would; our own Vitest's variables are not inherited. */
async function runVitest(root: string, args: string[] = [], env: Record<string, string> = {}): Promise<Run> {
  const report = join(root, 'report.json');
  rmSync(report, { force: true });
  const run = await runNodeScript(VITEST_BIN, ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args], root, env);
  let ran: string[] = [];
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, 'utf8')) as { testResults: Array<{ name: string }> };
    ran = json.testResults.map((t) => t.name.slice(root.length + 1)).sort();
  }
  return { ...run, ran };
}

/** source → sorted tests, for readable comparisons. */
function rows(record: MapRecord): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [source, ids] of [...record.rows].sort(([a], [b]) => (a < b ? -1 : 1))) {
    out[source] = [...ids].map((i) => record.tests[i]).sort();
  }
  return out;
}

function timings(path: string): Record<string, number> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, number>;
}

/** What every pool mode must record for the fixture (isolate: true). */
const EXPECTED_ROWS: Record<string, string[]> = {
  'fixtures/expected.txt': ['test/greet.test.ts'], // read with fs by the test file
  'fixtures/punctuation.txt': ['test/greet.test.ts'], // opened and read by fd (fs.openSync) in src/format.ts
  'fixtures/settings.json': ['test/settings.test.ts'], // read with fs by a source module
  'src/format.ts': ['test/greet.test.ts'], // static import chain greet → format
  'src/greet.ts': ['test/greet.test.ts'],
  'src/loader.ts': ['test/plugin.test.ts'],
  'src/math.ts': ['test/add.test.ts', 'test/mul.test.ts'],
  'src/plugins/alpha.ts': ['test/plugin.test.ts'], // dynamic import with a computed path
  'src/settings.ts': ['test/settings.test.ts'],
  ...Object.fromEntries(ALL_TESTS.map((t) => [t, [t]])),
};

describe.each(['forks', 'threads'])('recording with pool %s', (pool) => {
  let repo: TempRepo;
  let run: Run;
  beforeAll(async () => {
    repo = fixtureRepo();
    run = await runVitest(repo.root, [], { TESTSIFT_RECORD: '1', FIXTURE_POOL: pool });
  });
  afterAll(() => repo.cleanup());

  test('runs every file and writes the complete map', async () => {
    expect(run.code, run.out).toBe(0);
    expect(run.ran).toEqual(ALL_TESTS);
    const record = await readMapRecord(join(repo.root, '.testsift/map.json'));
    expect(rows(record)).toEqual(EXPECTED_ROWS);
    // Never executed, never read: not in the map (and nothing from node_modules or testsift).
    expect(record.rows.has('src/unused.ts')).toBe(false);
    expect(record.rows.has('src/plugins/beta.ts')).toBe(false);
    expect(record.metadata).toMatchObject({ commit: repo.head(), runner: 'vitest', granularity: 'block', blockLines: 'source' }); // block data is on by default
    expect(record.metadata.runnerVersion).toMatch(/^4\.1\./);
  });

  test('writes the full per-file cost of every file', () => {
    const t = timings(join(repo.root, '.testsift/timings.json'));
    expect(Object.keys(t).sort()).toEqual(ALL_TESTS);
    for (const v of Object.values(t)) expect(v).toBeGreaterThan(0);
    // It sleeps 400 ms. (Not "the heaviest": on a loaded machine the first file of a worker,
    // which pays the worker's start-up, can cost more; that failed before and after this change.)
    expect(t['test/slow.test.ts']).toBeGreaterThanOrEqual(0.4);
  });
});

describe('recording with isolate: false', () => {
  test('gives each file exactly its own rows, as the isolated run does (not everything loaded earlier in the worker)', async () => {
    const repo = fixtureRepo();
    try {
      const run = await runVitest(repo.root, ['--maxWorkers=1'], { TESTSIFT_RECORD: '1', FIXTURE_POOL: 'threads', FIXTURE_ISOLATE: '0' });
      expect(run.code, run.out).toBe(0);
      const record = await readMapRecord(join(repo.root, '.testsift/map.json'));
      expect(rows(record)).toEqual(EXPECTED_ROWS);
      // A shared module's body (and what it called while loading) ran for the first importer
      // only: no block data in this mode, and the run says so.
      expect(record.blocks).toBeUndefined();
      expect(record.metadata.granularity).toBe('file');
      expect(run.out).toContain('isolate: false: no block data for 6 test file(s)');
    } finally {
      repo.cleanup();
    }
  });
});

describe('recording to an output path outside .testsift/', () => {
  // The output folder is left out of the map (the recording must not map its own artifacts). A
  // folder that is the repository root, or holds it, left out every file: an empty map.
  test.each([
    ['in the repository root', 'map.json', 'timings.json'],
    ['in a folder above the repository', '../map-above.json', '../timings-above.json'],
  ])('%s still records every test file', async (_name, mapOut, timingsOut) => {
    const repo = fixtureRepo();
    try {
      const run = await runVitest(repo.root, [], { TESTSIFT_RECORD: '1', TESTSIFT_MAP_OUT: mapOut, TESTSIFT_TIMINGS_OUT: timingsOut });
      expect(run.code, run.out).toBe(0);
      expect(run.out).toContain(`recorded ${ALL_TESTS.length} test files`);
      const record = await readMapRecord(join(repo.root, mapOut));
      expect(rows(record)).toEqual(EXPECTED_ROWS);
      expect(Object.keys(timings(join(repo.root, timingsOut))).sort()).toEqual(ALL_TESTS);
    } finally {
      rmSync(join(repo.root, '../map-above.json'), { force: true });
      rmSync(join(repo.root, '../timings-above.json'), { force: true });
      repo.cleanup();
    }
  });
});

describe('selection', () => {
  let repo: TempRepo;
  beforeAll(() => {
    repo = fixtureRepo();
  });
  afterAll(() => repo.cleanup());

  test('a plain list runs exactly those files', async () => {
    const run = await runVitest(repo.root, [], { TESTSIFT_SELECT: 'test/add.test.ts\ntest/greet.test.ts\n' });
    expect(run.code, run.out).toBe(0);
    expect(run.ran).toEqual(['test/add.test.ts', 'test/greet.test.ts']);
    expect(run.out).toContain('running 2 of 6 test files');
  });

  test('selected files Vitest does not have are named in a warning (the others still run)', async () => {
    const run = await runVitest(repo.root, [], { TESTSIFT_SELECT: 'test/add.test.ts\nlib/test/add.test.ts\ntest/gone.test.ts\n' });
    expect(run.code, run.out).toBe(0);
    expect(run.ran).toEqual(['test/add.test.ts']);
    expect(run.out).toContain(`2 selected test file(s) are not among this Vitest run's test files`);
    expect(run.out).toContain(`paths are relative to ${repo.root}): lib/test/add.test.ts, test/gone.test.ts`);
  });

  test('detect JSON in a file, named by path, runs exactly its tests', async () => {
    const selection = { mode: 'selective', reasons: [], tests: ['test/mul.test.ts', 'test/plugin.test.ts'], selection: [] };
    writeFileSync(join(repo.root, 'selection.json'), JSON.stringify(selection));
    const run = await runVitest(repo.root, [], { TESTSIFT_SELECT: 'selection.json' });
    expect(run.code, run.out).toBe(0);
    expect(run.ran).toEqual(['test/mul.test.ts', 'test/plugin.test.ts']);
  });

  test('full mode runs everything', async () => {
    const run = await runVitest(repo.root, [], { TESTSIFT_SELECT: JSON.stringify({ mode: 'full', tests: [] }) });
    expect(run.code, run.out).toBe(0);
    expect(run.ran).toEqual(ALL_TESTS);
  });

  test('an empty selective selection runs nothing, says so, and passes', async () => {
    const run = await runVitest(repo.root, [], { TESTSIFT_SELECT: JSON.stringify({ mode: 'selective', tests: [] }) });
    expect(run.code, run.out).toBe(0);
    expect(run.ran).toEqual([]);
    expect(run.out).toContain('testsift: selection from TESTSIFT_SELECT says no test is needed: running none');
  });

  test('a malformed selection runs the whole suite and says what is wrong', async () => {
    const run = await runVitest(repo.root, [], { TESTSIFT_SELECT: '{"mode":"some","tests":[]}' });
    expect(run.code, run.out).toBe(0);
    expect(run.out).toContain('testsift: WARNING: invalid selection: TESTSIFT_SELECT (mode): expected "selective" or "full", got "some"; running the whole suite');
    expect(run.ran).toEqual(ALL_TESTS);
  });

  // The issue: the missing file was read as a one-name list, passWithNoTests was set, and
  // Vitest ran 0 of 6 files with exit 0.
  test('a selection file that does not exist runs the whole suite with a warning naming it', async () => {
    const run = await runVitest(repo.root, [], { TESTSIFT_SELECT: '.testsift/detect.json' });
    expect(run.code, run.out).toBe(0);
    expect(run.ran).toEqual(ALL_TESTS);
    expect(run.out).toContain(
      `testsift: WARNING: the selection file ".testsift/detect.json" named by TESTSIFT_SELECT does not exist (looked for ${join(repo.root, '.testsift/detect.json')}); running the whole suite`,
    );
  });

  test('an empty list file (truncated? unwritten?) runs the whole suite, pointing at --format json', async () => {
    writeFileSync(join(repo.root, 'empty.txt'), '');
    const run = await runVitest(repo.root, [], { TESTSIFT_SELECT: 'empty.txt' });
    expect(run.code, run.out).toBe(0);
    expect(run.ran).toEqual(ALL_TESTS);
    expect(run.out).toMatch(/WARNING: the selection file "empty\.txt" named by TESTSIFT_SELECT: invalid selection: empty\.txt: the list is empty.*detect --format json/);
  });

  test('a selection none of whose files Vitest has is a path mismatch: the whole suite runs', async () => {
    const run = await runVitest(repo.root, [], { TESTSIFT_SELECT: 'lib/test/add.test.ts\nlib/test/mul.test.ts\n' });
    expect(run.code, run.out).toBe(0);
    expect(run.ran).toEqual(ALL_TESTS);
    expect(run.out).toContain(
      `testsift: WARNING: none of the 2 test file(s) selected by TESTSIFT_SELECT is among this Vitest run's 6 test files (paths are relative to ${repo.root}: lib/test/add.test.ts, lib/test/mul.test.ts); a path mismatch, not a selection: running the whole suite`,
    );
  });
});

describe('sharding and partial maps', () => {
  let repo: TempRepo;
  beforeAll(() => {
    repo = fixtureRepo();
  });
  afterAll(() => repo.cleanup());

  test('--shard=i/n with a timing report partitions the files by time, as testsift shard does', async () => {
    // The slow file alone weighs as much as all others together: the only balanced split.
    const report = Object.fromEntries(ALL_TESTS.map((t) => [t, t === 'test/slow.test.ts' ? 5 : 1]));
    writeFileSync(join(repo.root, 'timings-in.json'), JSON.stringify(report));
    const env = { TESTSIFT_TIMINGS: 'timings-in.json' };
    const one = await runVitest(repo.root, ['--shard=1/2'], env);
    const two = await runVitest(repo.root, ['--shard=2/2'], env);
    expect(one.code, one.out).toBe(0);
    expect(two.code, two.out).toBe(0);
    expect([...one.ran, ...two.ran].sort()).toEqual(ALL_TESTS);
    expect(one.ran.filter((t) => two.ran.includes(t))).toEqual([]);
    const slowShard = one.ran.includes('test/slow.test.ts') ? one.ran : two.ran;
    expect(slowShard).toEqual(['test/slow.test.ts']);
    const cli = await runCli(['shard', '--timings', 'timings-in.json', '--total', '2', '--format', 'json'], { cwd: repo.root });
    expect(cli.code, cli.stderr).toBe(0);
    const plan = JSON.parse(cli.stdout) as { shards: Array<{ index: number; tests: string[] }> };
    expect(plan.shards.map((s) => [...s.tests].sort())).toEqual([one.ran, two.ran]);
  });

  test('selection and sharding combine: the shards partition the selection', async () => {
    const env = { TESTSIFT_TIMINGS: 'timings-in.json', TESTSIFT_SELECT: 'test/add.test.ts\ntest/mul.test.ts\ntest/slow.test.ts' };
    const one = await runVitest(repo.root, ['--shard=1/2'], env);
    const two = await runVitest(repo.root, ['--shard=2/2'], env);
    expect(one.code, one.out).toBe(0);
    expect(two.code, two.out).toBe(0);
    expect([...one.ran, ...two.ran].sort()).toEqual(['test/add.test.ts', 'test/mul.test.ts', 'test/slow.test.ts']);
    expect(one.ran.filter((t) => two.ran.includes(t))).toEqual([]);
  });

  test('a shard plan (issue item 2): both jobs run their part with the timing report lost, log one digest, and shard verify over their JSON reports passes', async () => {
    const write = await runCli(['shard', '--timings', 'timings-in.json', '--total', '2', '--write-plan', 'plan.json'], { cwd: repo.root });
    expect(write.code, write.stderr).toBe(0);
    const env = { TESTSIFT_SHARD_PLAN: 'plan.json', TESTSIFT_TIMINGS: 'gone.json' };
    const runs = [];
    for (const i of [1, 2]) {
      const run = await runVitest(repo.root, [`--shard=${i}/2`], env);
      expect(run.code, run.out).toBe(0);
      expect(run.out).toContain(`testsift: shard ${i}/2: ${run.ran.length} of 6 tests`);
      expect(run.out).toContain(`split from plan ${join(repo.root, 'plan.json')}`);
      cpSync(join(repo.root, 'report.json'), join(repo.root, `report-${i}.json`));
      runs.push(run);
    }
    expect([...runs[0]!.ran, ...runs[1]!.ran].sort()).toEqual(ALL_TESTS);
    const digest = (out: string): string | undefined => /; inputs ([0-9a-f]{12}) /.exec(out)?.[1];
    expect(digest(runs[0]!.out)).toBeDefined();
    expect(digest(runs[0]!.out)).toBe(digest(runs[1]!.out));
    const verify = await runCli(['shard', 'verify', '--plan', 'plan.json', 'report-1.json', 'report-2.json'], { cwd: repo.root });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    // One job's report alone: the other job's tests are named as missing, with their shard.
    const half = await runCli(['shard', 'verify', '--plan', 'plan.json', 'report-1.json'], { cwd: repo.root });
    expect(half.code).toBe(3);
    expect(half.stdout).toContain(`  ${runs[1]!.ran[0]}  (plan: shard 2)`);
  });

  test('without a plan, a sharded run whose timing report is lost fails instead of splitting differently', async () => {
    const run = await runVitest(repo.root, ['--shard=1/2'], { TESTSIFT_TIMINGS: 'gone.json' });
    expect(run.code).not.toBe(0);
    expect(run.ran).toEqual([]);
    expect(run.out).toContain('cannot compute its part without this timing report');
    const allowed = await runVitest(repo.root, ['--shard=1/2'], { TESTSIFT_TIMINGS: 'gone.json', TESTSIFT_ALLOW_MISSING_TIMINGS: '1' });
    expect(allowed.code, allowed.out).toBe(0);
    expect(allowed.ran.length).toBe(3);
  });

  test('recording under --shard writes partial files whose merge equals the unsharded map', async () => {
    const env = { TESTSIFT_RECORD: '1', TESTSIFT_TIMINGS: 'timings-in.json' };
    const full = await runVitest(repo.root, [], env);
    expect(full.code, full.out).toBe(0);
    for (const i of [1, 2]) {
      const part = await runVitest(repo.root, [`--shard=${i}/2`], env);
      expect(part.code, part.out).toBe(0);
      expect(existsSync(join(repo.root, `.testsift/map.shard-${i}-of-2.json`))).toBe(true);
      expect(existsSync(join(repo.root, `.testsift/timings.shard-${i}-of-2.json`))).toBe(true);
    }
    const merged = await runCli(['map', 'merge', '.testsift/map.shard-1-of-2.json', '.testsift/map.shard-2-of-2.json', '--output', 'merged.json'], { cwd: repo.root });
    expect(merged.code, merged.stderr).toBe(0);
    const whole = await readMapRecord(join(repo.root, '.testsift/map.json'));
    expect(rows(await readMapRecord(join(repo.root, 'merged.json')))).toEqual(rows(whole));
    expect(rows(whole)).toEqual(EXPECTED_ROWS);
    const t = await runCli(['timings', 'merge', '.testsift/timings.shard-1-of-2.json', '.testsift/timings.shard-2-of-2.json', '--output', 'timings-merged.json'], {
      cwd: repo.root,
    });
    expect(t.code, t.stderr).toBe(0);
    expect(Object.keys(timings(join(repo.root, 'timings-merged.json'))).sort()).toEqual(ALL_TESTS);
  });
});

describe('recording next to coverage', () => {
  test("says once that it records from Vitest's V8 coverage, nothing about istanbul", async () => {
    const repo = fixtureRepo();
    try {
      // The note comes from configureVitest, before Vitest loads the coverage provider; this
      // package does not install @vitest/coverage-*, so Vitest then stops for the missing one
      // (the shared-session recording itself is tested in vitest-monorepo.test.ts when it is).
      const v8 = await runVitest(repo.root, ['--coverage.enabled', '--coverage.provider=v8'], { TESTSIFT_RECORD: '1' });
      expect(v8.out.split("recording from Vitest's own per-file coverage takes").length - 1, v8.out).toBe(1);
      const istanbul = await runVitest(repo.root, ['--coverage.enabled', '--coverage.provider=istanbul'], { TESTSIFT_RECORD: '1' });
      expect(istanbul.out).not.toContain('V8 coverage');
    } finally {
      repo.cleanup();
    }
  });
});

describe('faults', () => {
  test('a test file that crashes while importing still leaves the others recorded', async () => {
    const repo = fixtureRepo();
    try {
      repo.write({
        'test/crash.test.ts': [
          "import { test } from 'vitest';",
          "import { greet } from '../src/greet.js';",
          "greet('x');",
          "throw new Error('crash while importing');",
          "test('never runs', () => {});",
          '',
        ].join('\n'),
      });
      const run = await runVitest(repo.root, [], { TESTSIFT_RECORD: '1' });
      expect(run.code).not.toBe(0);
      expect(run.out).toContain('crash while importing');
      expect(run.out).toContain('mapped by static imports: test/crash.test.ts');
      const got = rows(await readMapRecord(join(repo.root, '.testsift/map.json')));
      for (const [source, tests] of Object.entries(EXPECTED_ROWS)) {
        expect(got[source], source).toEqual(expect.arrayContaining(tests));
      }
      // The crashed file is mapped to what it imports, so a change there still selects it.
      expect(got['src/greet.ts']).toContain('test/crash.test.ts');
      expect(got['src/format.ts']).toContain('test/crash.test.ts');
      expect(Object.keys(timings(join(repo.root, '.testsift/timings.json')))).toContain('test/crash.test.ts');
    } finally {
      repo.cleanup();
    }
  });

  test('an interrupted (bailed) run does not replace the map with a partial one', async () => {
    const repo = fixtureRepo();
    try {
      writeFileSync(join(repo.root, 'test/fail.test.ts'), "import { test, expect } from 'vitest';\ntest('fails', () => expect(1).toBe(2));\n");
      mkdirSync(join(repo.root, '.testsift'), { recursive: true });
      writeFileSync(join(repo.root, '.testsift/map.json'), 'previous');
      const run = await runVitest(repo.root, ['--bail=1', '--maxWorkers=1'], { TESTSIFT_RECORD: '1' });
      expect(run.code).not.toBe(0);
      // Vitest reports a bailed run as interrupted: the previous map must survive untouched.
      expect(run.out).toContain('run interrupted: not writing the map or timings');
      expect(readFileSync(join(repo.root, '.testsift/map.json'), 'utf8')).toBe('previous');
    } finally {
      repo.cleanup();
    }
  });
});

describe('partial runs', () => {
  test('a test name filter does not replace the map; a file filter records with a warning', async () => {
    const repo = fixtureRepo();
    try {
      mkdirSync(join(repo.root, '.testsift'), { recursive: true });
      writeFileSync(join(repo.root, '.testsift/map.json'), 'previous');
      const named = await runVitest(repo.root, ['-t', 'add'], { TESTSIFT_RECORD: '1' });
      expect(named.code, named.out).toBe(0);
      expect(named.out).toContain('a test name filter (-t) is active: not writing the map or timings');
      expect(readFileSync(join(repo.root, '.testsift/map.json'), 'utf8')).toBe('previous');
      const filtered = await runVitest(repo.root, ['test/add.test.ts'], { TESTSIFT_RECORD: '1' });
      expect(filtered.code, filtered.out).toBe(0);
      expect(filtered.out).toContain('recorded a partial run');
      expect(rows(await readMapRecord(join(repo.root, '.testsift/map.json')))).toEqual({
        'src/math.ts': ['test/add.test.ts'],
        'test/add.test.ts': ['test/add.test.ts'],
      });
    } finally {
      repo.cleanup();
    }
  });
});

describe('block level', () => {
  let repo: TempRepo;
  let base: string;
  beforeAll(async () => {
    repo = fixtureRepo();
    base = repo.head();
    const run = await runVitest(repo.root, [], { TESTSIFT_RECORD: '1', TESTSIFT_GRANULARITY: 'block' });
    expect(run.code, run.out).toBe(0);
  });
  afterAll(() => repo.cleanup());

  /** Edit src/math.ts on a fresh branch from the recorded commit; detect at block level. */
  async function detectAfter(branch: string, edit: (text: string) => string): Promise<string[]> {
    repo.git('checkout', '-q', '-b', branch, base);
    const path = join(repo.root, 'src/math.ts');
    writeFileSync(path, edit(readFileSync(path, 'utf8')));
    repo.commit(branch);
    const r = await runCli(['detect', '--base', base, '--granularity', 'block', '--format', 'json'], { cwd: repo.root });
    expect(r.code, r.stderr).toBe(0);
    const sel = JSON.parse(r.stdout) as { mode: string; tests: string[] };
    expect(sel.mode).toBe('selective');
    return sel.tests;
  }

  test('records the functions of a file (original lines) and which test executed which', async () => {
    const record = await readMapRecord(join(repo.root, '.testsift/map.json'));
    expect(record.metadata.granularity).toBe('block');
    const math = record.blocks?.get('src/math.ts');
    expect(math).toBeDefined();
    const byName = (n: string): Block => math!.blocks.find((b) => b.name === n)!;
    expect(math!.blocks[0]).toEqual({ id: 0, name: '', start: 1, end: 10 });
    expect(byName('add')).toMatchObject({ start: 2, end: 4 });
    expect(byName('mul')).toMatchObject({ start: 6, end: 10 });
    const executed = (test: string): number[] => math!.executed.get(record.tests.indexOf(test)) ?? [];
    expect(executed('test/add.test.ts')).toContain(byName('add').id);
    expect(executed('test/add.test.ts')).not.toContain(byName('mul').id);
    expect(executed('test/mul.test.ts')).toContain(byName('mul').id);
    expect(executed('test/mul.test.ts')).not.toContain(byName('add').id);
  });

  test('a change inside one function selects only the test that executed it', async () => {
    expect(await detectAfter('inside-mul', (t) => t.replace('product += a;', 'product = product + a;'))).toEqual(['test/mul.test.ts']);
  });

  test('a change at module level falls back to every test of the file', async () => {
    expect(await detectAfter('module-level', (t) => `${t}\nexport const LIMIT = 10;\n`)).toEqual(['test/add.test.ts', 'test/mul.test.ts']);
  });

  test('a changed function header falls back to file level', async () => {
    expect(
      await detectAfter('header', (t) =>
        t.replace('export function add(a: number, b: number)', 'export function add(x: number, b: number)').replace('return a + b;', 'return x + b;'),
      ),
    ).toEqual(['test/add.test.ts', 'test/mul.test.ts']);
  });
});
