import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMapRecord } from '../../../src/mappings/coverage/index.js';
import { runCli } from '../../helpers/cli.js';
import { TempRepo } from '../../helpers/git.js';

/**
 * Real Jest 30 runs on fixtures/jest-basic, copied into a temp git repo with testsift (this
 * checkout, built) and jest linked into its node_modules, as a user would install them.
 */

const MAIN = join(import.meta.dirname, '..', '..', '..');
const JEST_BIN = join(MAIN, 'node_modules', 'jest', 'bin', 'jest.js');
const FIXTURE = join(MAIN, 'fixtures', 'jest-basic');
const ALL_TESTS = ['tests/data.test.js', 'tests/extra/math.test.js', 'tests/math.test.js', 'tests/plugins.test.js', 'tests/slow.test.js'];

interface JestRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Repo-relative test files Jest ran (from its --json output), sorted. */
  ran: string[];
  json: { testResults: Array<{ name: string; status: string }> } | undefined;
}

class JestProject {
  readonly repo: TempRepo;
  private readonly cacheDir: string;

  constructor() {
    this.repo = new TempRepo('testsift-jest-');
    cpSync(FIXTURE, this.repo.root, { recursive: true });
    // node_modules/testsift → this checkout (built); node_modules/jest → the installed Jest 30.
    mkdirSync(join(this.repo.root, 'node_modules'));
    symlinkSync(MAIN, join(this.repo.root, 'node_modules', 'testsift'), 'dir');
    symlinkSync(join(MAIN, 'node_modules', 'jest'), join(this.repo.root, 'node_modules', 'jest'), 'dir');
    this.repo.commit('fixture');
    this.cacheDir = mkdtempSync(join(tmpdir(), 'testsift-jest-cache-'));
  }

  get root(): string {
    return this.repo.root;
  }

  /** Run Jest (in band unless args set workers; JSON results) with only the given TESTSIFT_* variables set. */
  run(args: string[], env: Record<string, string> = {}): Promise<JestRun> {
    const outFile = join(this.cacheDir, `results-${Math.random().toString(36).slice(2)}.json`);
    const cleanEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('TESTSIFT_')) cleanEnv[k] = v;
    Object.assign(cleanEnv, env);
    const workers = args.some((a) => a === '-w' || a.startsWith('--maxWorkers')) ? [] : ['-w', '1'];
    const cache = args.some((a) => a.startsWith('--cacheDirectory')) ? [] : [`--cacheDirectory=${join(this.cacheDir, 'jest')}`];
    const argv = [JEST_BIN, ...workers, ...cache, '--ci', '--json', `--outputFile=${outFile}`, ...args];
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, argv, { cwd: this.root, env: cleanEnv, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => {
        const json = existsSync(outFile) ? (JSON.parse(readFileSync(outFile, 'utf8')) as JestRun['json']) : undefined;
        const ran = (json?.testResults ?? []).map((r) => r.name.slice(this.root.length + 1)).sort();
        resolve({ code: code ?? 1, stdout, stderr, ran, json });
      });
    });
  }

  /** A new empty folder that is cleaned up with the project. */
  freshDir(): string {
    return mkdtempSync(join(this.cacheDir, 'fresh-'));
  }

  write(path: string, content: string): void {
    writeFileSync(join(this.root, path), content);
  }

  async map(path = '.testsift/map.json'): Promise<Record<string, string[]>> {
    const record = await readMapRecord(join(this.root, path));
    const rows: Record<string, string[]> = {};
    for (const [source, ids] of record.rows) rows[source] = [...ids].map((i) => record.tests[i]!).sort();
    return rows;
  }

  timings(path = '.testsift/timings.json'): Record<string, number> {
    return JSON.parse(readFileSync(join(this.root, path), 'utf8')) as Record<string, number>;
  }

  cleanup(): void {
    this.repo.cleanup();
    rmSync(this.cacheDir, { recursive: true, force: true });
  }
}

describe('Jest 30: recording with testsift/jest/reporter + setup', () => {
  let p: JestProject;
  beforeAll(() => {
    p = new JestProject();
  });
  afterAll(() => p.cleanup());

  it('records executed files (static and computed requires), fs reads and required JSON per test file', async () => {
    const run = await p.run([], { TESTSIFT_RECORD: '1' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.ran).toEqual(ALL_TESTS);
    const rows = await p.map();
    expect(rows).toEqual({
      // read with fs.readFileSync at import time
      'data/cases.json': ['tests/data.test.js'],
      'src/loader.js': ['tests/plugins.test.js'],
      'src/math.js': ['tests/data.test.js', 'tests/extra/math.test.js', 'tests/math.test.js', 'tests/slow.test.js'],
      // loaded through a computed path: only a runtime recorder can see it
      'src/plugins/alpha.js': ['tests/plugins.test.js'],
      'src/strings.js': ['tests/data.test.js'],
      // require()d JSON is not instrumented; the setup file saw Jest read it
      'src/strings.json': ['tests/data.test.js'],
    });
    // Never loaded: neither a row nor attributed to anyone.
    expect(rows['src/plugins/beta.js']).toBeUndefined();
    expect(rows['src/unused.js']).toBeUndefined();
    const record = await readMapRecord(join(p.root, '.testsift/map.json'));
    expect(record.metadata.runner).toBe('jest');
    expect(record.metadata.runnerVersion).toMatch(/^30\./);
    expect(record.metadata.commit).toBe(p.repo.head());
  });

  it('records the same rows from worker processes (the setup file learns its folder from the env)', async () => {
    // A fresh cache has no timings, so Jest cannot decide the files are fast: -w 2 runs workers.
    const run = await p.run(['-w', '2', `--cacheDirectory=${p.freshDir()}`], {
      TESTSIFT_RECORD: '1',
      TESTSIFT_MAP_OUT: '.testsift/workers-map.json',
      TESTSIFT_TIMINGS_OUT: '.testsift/workers-timings.json',
    });
    expect(run.code, run.stderr).toBe(0);
    expect(await p.map('.testsift/workers-map.json')).toEqual(await p.map());
  });

  it('records per-file seconds from perfStats, the slow file above its 1.2 s sleep', async () => {
    const t = p.timings();
    expect(Object.keys(t).sort()).toEqual(ALL_TESTS);
    expect(t['tests/slow.test.js']).toBeGreaterThanOrEqual(1.2);
    for (const test of ALL_TESTS) expect(t[test]).toBeGreaterThan(0);
  });

  it('records the same rows with coverageProvider v8', async () => {
    const run = await p.run(['--coverageProvider=v8'], { TESTSIFT_RECORD: '1', TESTSIFT_MAP_OUT: '.testsift/v8-map.json' });
    expect(run.code, run.stderr).toBe(0);
    const rows = await p.map('.testsift/v8-map.json');
    expect(rows['src/plugins/alpha.js']).toEqual(['tests/plugins.test.js']);
    expect(rows['src/loader.js']).toEqual(['tests/plugins.test.js']);
    expect(rows['data/cases.json']).toEqual(['tests/data.test.js']);
    expect(rows['src/math.js']).toHaveLength(4);
    expect(rows['src/plugins/beta.js']).toBeUndefined();
  });

  it('records the same map with Jest coverage on (istanbul): the recorder does not need it and leaves it alone', async () => {
    const coverageDir = p.freshDir();
    const run = await p.run(['--coverage', '--coverageReporters=json', `--coverageDirectory=${coverageDir}`], {
      TESTSIFT_RECORD: '1',
      TESTSIFT_TIMINGS_OUT: '.testsift/cov-timings.json',
      TESTSIFT_MAP_OUT: '.testsift/cov-map.json',
    });
    expect(run.code, run.stderr).toBe(0);
    expect(await p.map('.testsift/cov-map.json')).toEqual(await p.map());
    // The user's coverage report is still written, whole.
    const report = JSON.parse(readFileSync(join(coverageDir, 'coverage-final.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(report).some((f) => f.endsWith('src/math.js'))).toBe(true);
    expect(Object.keys(p.timings('.testsift/cov-timings.json')).sort()).toEqual(ALL_TESTS);
  });

  it('writes nothing when recording is not asked for', async () => {
    const run = await p.run([], { TESTSIFT_MAP_OUT: '.testsift/off-map.json', TESTSIFT_TIMINGS_OUT: '.testsift/off-timings.json' });
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(p.root, '.testsift/off-map.json'))).toBe(false);
    expect(existsSync(join(p.root, '.testsift/off-timings.json'))).toBe(false);
  });

  it('fails the run, naming the problem, when the map cannot be written, and leaves the old map intact', async () => {
    const before = readFileSync(join(p.root, '.testsift/map.json'));
    mkdirSync(join(p.root, '.testsift/blocked.json'));
    const run = await p.run(['tests/math.test.js'], { TESTSIFT_RECORD: '1', TESTSIFT_MAP_OUT: '.testsift/blocked.json' });
    expect(run.code).toBe(1);
    expect(run.json?.testResults.every((r) => r.status === 'passed')).toBe(true);
    expect(run.stderr).toContain('testsift: recording failed');
    expect(readFileSync(join(p.root, '.testsift/map.json')).equals(before)).toBe(true);
  });

  it('refuses to record a -t run (it understates what files execute) and warns on a partial run', async () => {
    const named = await p.run(['-t', 'adds'], { TESTSIFT_RECORD: '1', TESTSIFT_MAP_OUT: '.testsift/t-map.json' });
    expect(named.code, named.stderr).toBe(0);
    expect(named.stderr).toContain('a test name filter (-t) is active: not writing the map or timings');
    expect(existsSync(join(p.root, '.testsift/t-map.json'))).toBe(false);

    const some = await p.run(['tests/math'], { TESTSIFT_RECORD: '1', TESTSIFT_MAP_OUT: '.testsift/part-map.json' });
    expect(some.code, some.stderr).toBe(0);
    expect(some.stderr).toContain('recorded a partial run (test path patterns)');
    expect(some.ran).toEqual(['tests/math.test.js']);
    expect([...new Set(Object.values(await p.map('.testsift/part-map.json')).flat())]).toEqual(['tests/math.test.js']);
  });

  it('writes per-shard partial files under --shard', async () => {
    const run = await p.run(['--shard=2/2'], { TESTSIFT_RECORD: '1', TESTSIFT_MAP_OUT: '.testsift/sh.json', TESTSIFT_TIMINGS_OUT: '.testsift/sh-t.json' });
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(p.root, '.testsift/sh.json'))).toBe(false);
    const timings = p.timings('.testsift/sh-t.shard-2-of-2.json');
    expect(Object.keys(timings).sort()).toEqual(run.ran);
    const rows = await p.map('.testsift/sh.shard-2-of-2.json');
    const tests = new Set(Object.values(rows).flat());
    for (const t of tests) expect(run.ran).toContain(t);
  });
});

describe('Jest 30: hooks named by path in a CommonJS config', () => {
  let p: JestProject;
  const dist = join(MAIN, 'dist', 'integrations', 'jest');
  beforeAll(() => {
    p = new JestProject();
  });
  afterAll(() => p.cleanup());

  it('warns that the setup file belongs in setupFilesAfterEnv, and still records executed files', async () => {
    p.write(
      'jest.setupfiles.config.js',
      `module.exports = ${JSON.stringify({
        testMatch: ['<rootDir>/tests/**/*.test.js'],
        collectCoverage: true,
        coverageReporters: [],
        setupFiles: [join(dist, 'setup.cjs')],
        reporters: ['default', [join(dist, 'reporter.js'), { record: true, map: 'out/map.json', timings: 'out/timings.json' }]],
      })};\n`,
    );
    const run = await p.run(['-c', 'jest.setupfiles.config.js']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('testsift/jest/setup must be listed in setupFilesAfterEnv');
    const rows = await p.map('out/map.json');
    expect(rows['src/plugins/alpha.js']).toEqual(['tests/plugins.test.js']);
    expect(rows['data/cases.json']).toBeUndefined(); // no reads without the setup file in place
    expect(Object.keys(p.timings('out/timings.json')).sort()).toEqual(ALL_TESTS);
  });
});

describe('Jest 30: hooks named in package.json, no config file, no --coverage', () => {
  let p: JestProject;
  beforeAll(() => {
    p = new JestProject();
    rmSync(join(p.root, 'jest.config.mjs'));
  });
  afterAll(() => p.cleanup());

  const packageJson = (jest: Record<string, unknown>): void => {
    const pkg = JSON.parse(readFileSync(join(p.root, 'package.json'), 'utf8')) as Record<string, unknown>;
    p.write('package.json', `${JSON.stringify({ ...pkg, jest }, null, 2)}\n`);
  };
  const hooks = {
    testEnvironment: 'node',
    testMatch: ['<rootDir>/tests/**/*.test.js'],
    reporters: ['default', 'testsift/jest/reporter'],
    testSequencer: 'testsift/jest/sequencer',
    filter: 'testsift/jest/filter',
  };

  it('records the map: the recorder needs no Jest coverage', async () => {
    packageJson({ ...hooks, setupFilesAfterEnv: ['testsift/jest/setup'] });
    const run = await p.run([], { TESTSIFT_RECORD: '1' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.ran).toEqual(ALL_TESTS);
    const rows = await p.map();
    expect(rows['src/plugins/alpha.js']).toEqual(['tests/plugins.test.js']);
    expect(rows['data/cases.json']).toEqual(['tests/data.test.js']);
    expect(rows['src/math.js']).toEqual(['tests/data.test.js', 'tests/extra/math.test.js', 'tests/math.test.js', 'tests/slow.test.js']);
    // The package.json filter entry selects, too.
    const sel = await p.run([], { TESTSIFT_SELECT: 'tests/math.test.js' });
    expect(sel.code, sel.stderr).toBe(0);
    expect(sel.ran).toEqual(['tests/math.test.js']);
  });

  it('fails the run, saying why, when the setup file is missing: no green run without a map', async () => {
    packageJson(hooks);
    const run = await p.run([], { TESTSIFT_RECORD: '1', TESTSIFT_MAP_OUT: '.testsift/nosetup-map.json' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the recorder did not run for 5 test file(s) whose tests ran: add testsift/jest/setup to setupFilesAfterEnv');
    expect(existsSync(join(p.root, '.testsift/nosetup-map.json'))).toBe(false);
  });
});

describe('Jest 30: a test file that crashes at import', () => {
  let p: JestProject;
  beforeAll(() => {
    p = new JestProject();
    // Reads a fixture, loads a module, then throws before any test is defined.
    p.write(
      'tests/crash.test.js',
      "'use strict';\nconst fs = require('fs');\nconst path = require('path');\n" +
        "fs.readFileSync(path.join(__dirname, '..', 'data', 'cases.json'), 'utf8');\nrequire('../src/strings');\n" +
        "throw new Error('boom at import');\n",
    );
    p.repo.commit('crashing test');
  });
  afterAll(() => p.cleanup());

  it('leaves the other files recorded, and maps the crashed one by its requires and reads', async () => {
    const run = await p.run([], { TESTSIFT_RECORD: '1' });
    expect(run.code).toBe(1);
    expect(run.json?.testResults.find((r) => r.name.endsWith('crash.test.js'))?.status).toBe('failed');
    expect(run.stderr).toContain('1 test file(s) failed to run; mapped by what they loaded, their static requires and reads: tests/crash.test.js');
    const rows = await p.map();
    expect(rows['src/plugins/alpha.js']).toEqual(['tests/plugins.test.js']);
    expect(rows['src/math.js']).toEqual(['tests/data.test.js', 'tests/extra/math.test.js', 'tests/math.test.js', 'tests/slow.test.js']);
    // The crashed file: what it loaded, and Jest's static dependency index (transitively).
    expect(rows['src/strings.js']).toEqual(['tests/crash.test.js', 'tests/data.test.js']);
    expect(rows['src/strings.json']).toEqual(['tests/crash.test.js', 'tests/data.test.js']);
    expect(rows['tests/crash.test.js']).toEqual(['tests/crash.test.js']);
    // Its reads were appended as they happened, so the crash did not lose them.
    expect(rows['data/cases.json']).toEqual(['tests/crash.test.js', 'tests/data.test.js']);
    const t = p.timings();
    expect(Object.keys(t).sort()).toEqual([...ALL_TESTS, 'tests/crash.test.js'].sort());
    expect(t['tests/crash.test.js']).toBeGreaterThan(0);
  });
});

describe('Jest 30: selection with testsift/jest/filter', () => {
  let p: JestProject;
  beforeAll(() => {
    p = new JestProject();
  });
  afterAll(() => p.cleanup());

  it('runs exactly the selected files from detect JSON, matching whole repo-relative paths', async () => {
    const selection = JSON.stringify({ mode: 'selective', tests: ['tests/math.test.js', 'tests/plugins.test.js'], reasons: [] });
    const run = await p.run([], { TESTSIFT_SELECT: selection });
    expect(run.code, run.stderr).toBe(0);
    // tests/extra/math.test.js ends with the same name: a substring match would have run it.
    expect(run.ran).toEqual(['tests/math.test.js', 'tests/plugins.test.js']);
    expect(run.stderr).toContain('running 2 of 5 test files');
  });

  it('reads a list file named by TESTSIFT_SELECT and reports selected files Jest does not have', async () => {
    p.write('selection.txt', 'tests/extra/math.test.js\ntests/gone.test.js\n');
    const run = await p.run([], { TESTSIFT_SELECT: 'selection.txt' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.ran).toEqual(['tests/extra/math.test.js']);
    expect(run.stderr).toMatch(/1 selected test file\(s\) are not among this Jest run's test files.*tests\/gone\.test\.js/);
  });

  it('runs everything in full mode and without a selection', async () => {
    const full = await p.run([], { TESTSIFT_SELECT: JSON.stringify({ mode: 'full', tests: [] }) });
    expect(full.code, full.stderr).toBe(0);
    expect(full.ran).toEqual(ALL_TESTS);
    const none = await p.run([]);
    expect(none.code, none.stderr).toBe(0);
    expect(none.ran).toEqual(ALL_TESTS);
  });

  it('works as --filter=<module> on the command line too', async () => {
    const filter = join(MAIN, 'dist', 'integrations', 'jest', 'filter.cjs');
    const run = await p.run([`--filter=${filter}`], { TESTSIFT_SELECT: 'tests/slow.test.js' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.ran).toEqual(['tests/slow.test.js']);
  });

  it('runs the whole suite and names the problem for an invalid selection', async () => {
    const run = await p.run([], { TESTSIFT_SELECT: '{"mode":"some","tests":[]}' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('testsift: WARNING: invalid selection: TESTSIFT_SELECT (mode): expected "selective" or "full", got "some"; running the whole suite');
    expect(run.ran).toEqual(ALL_TESTS);
  });

  // The issue: the missing file was read as a one-name list and Jest ran nothing.
  it('runs the whole suite, with a warning naming it, when the selection file does not exist', async () => {
    const run = await p.run(['--passWithNoTests'], { TESTSIFT_SELECT: '.testsift/detect.json' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.ran).toEqual(ALL_TESTS);
    expect(run.stderr).toContain(
      `testsift: WARNING: the selection file ".testsift/detect.json" named by TESTSIFT_SELECT does not exist (looked for ${join(p.root, '.testsift/detect.json')}); running the whole suite`,
    );
  });

  it('runs the whole suite for an empty list file and for selected paths that exist nowhere (a path mismatch)', async () => {
    p.write('empty.txt', '');
    const empty = await p.run(['--passWithNoTests'], { TESTSIFT_SELECT: 'empty.txt' });
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.ran).toEqual(ALL_TESTS);
    expect(empty.stderr).toContain('the list is empty');
    const mismatch = await p.run(['--passWithNoTests'], { TESTSIFT_SELECT: 'pkg/tests/math.test.js\npkg/tests/slow.test.js\n' });
    expect(mismatch.code, mismatch.stderr).toBe(0);
    expect(mismatch.ran).toEqual(ALL_TESTS);
    expect(mismatch.stderr).toContain("WARNING: none of the 2 test file(s) selected by TESTSIFT_SELECT is among this Jest run's 5 test files");
  });

  it('runs nothing, and says so, only for a selection that says no test is needed', async () => {
    const run = await p.run(['--passWithNoTests'], { TESTSIFT_SELECT: JSON.stringify({ mode: 'selective', tests: [] }) });
    expect(run.code, run.stderr).toBe(0);
    expect(run.ran).toEqual([]);
    expect(run.stderr).toContain('testsift: selection from TESTSIFT_SELECT says no test is needed: running none');
  });
});

describe('Jest 30: time-balanced shards with testsift/jest/sequencer', () => {
  let p: JestProject;
  const timings = {
    'tests/data.test.js': 0.3,
    'tests/extra/math.test.js': 0.1,
    'tests/math.test.js': 0.2,
    'tests/plugins.test.js': 0.4,
    'tests/slow.test.js': 1.3,
  };
  beforeAll(() => {
    p = new JestProject();
    p.write('timings.json', JSON.stringify(timings));
  });
  afterAll(() => p.cleanup());

  it('--shard=1/2 and 2/2 partition the files by time and agree with `testsift shard`', async () => {
    const env = { TESTSIFT_TIMINGS: 'timings.json' };
    const [one, two] = [await p.run(['--shard=1/2'], env), await p.run(['--shard=2/2'], env)];
    expect(one.code, one.stderr).toBe(0);
    expect(two.code, two.stderr).toBe(0);
    // Exactly a partition: every file once.
    expect([...one.ran, ...two.ran].sort()).toEqual(ALL_TESTS);
    expect(one.ran.filter((t) => two.ran.includes(t))).toEqual([]);
    // By time: the 1.3 s file alone balances 1.0 s of the rest best.
    const sum = (r: string[]): number => r.reduce((s, t) => s + timings[t as keyof typeof timings], 0);
    expect(Math.max(sum(one.ran), sum(two.ran))).toBeCloseTo(1.3, 5);

    const cli = await runCli(['shard', '--timings', join(p.root, 'timings.json'), '--tests', '-', '--total', '2', '--format', 'json'], {
      cwd: p.root,
      input: ALL_TESTS.join('\n') + '\n',
    });
    expect(cli.code, cli.stderr).toBe(0);
    const plan = JSON.parse(cli.stdout) as { shards: Array<{ index: number; tests: string[] }> };
    expect(plan.shards.map((s) => [...s.tests].sort())).toEqual([one.ran, two.ran]);
  });

  it('still partitions exactly without a timing report (estimates)', async () => {
    const runs = [await p.run(['--shard=1/3']), await p.run(['--shard=2/3']), await p.run(['--shard=3/3'])];
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    expect(runs.flatMap((r) => r.ran).sort()).toEqual(ALL_TESTS);
    expect(runs[0]!.stderr).toContain('no timing report given');
  });

  it('says so when a shard gets no file, and --passWithNoTests keeps it green', async () => {
    const env = { TESTSIFT_TIMINGS: 'timings.json', TESTSIFT_SELECT: 'tests/math.test.js\n' };
    const empty = (await p.run(['--shard=2/2'], env)).ran.length === 0 ? 2 : 1;
    const run = await p.run([`--shard=${empty}/2`, '--passWithNoTests'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.ran).toEqual([]);
    expect(run.stderr).toContain(`shard ${empty}/2 has no test files`);
  });

  it('shards only the selected files when combined with the filter', async () => {
    const env = { TESTSIFT_TIMINGS: 'timings.json', TESTSIFT_SELECT: 'tests/slow.test.js\ntests/math.test.js\ntests/data.test.js\n' };
    const [one, two] = [await p.run(['--shard=1/2'], env), await p.run(['--shard=2/2'], env)];
    expect([...one.ran, ...two.ran].sort()).toEqual(['tests/data.test.js', 'tests/math.test.js', 'tests/slow.test.js']);
    expect([one.ran, two.ran]).toContainEqual(['tests/slow.test.js']);
  });
});

describe('Jest 30: record → change → detect → run the selection', () => {
  let p: JestProject;
  beforeAll(() => {
    p = new JestProject();
  });
  afterAll(() => p.cleanup());

  it('selects by recorded blocks and the filter runs exactly that selection', async () => {
    const rec = await p.run([], { TESTSIFT_RECORD: '1', TESTSIFT_GRANULARITY: 'block' });
    expect(rec.code, rec.stderr).toBe(0);
    const record = await readMapRecord(join(p.root, '.testsift/map.json'));
    const math = record.blocks?.get('src/math.js');
    expect(math?.blocks.map((b) => b.name)).toEqual(['', 'add', 'mul']);
    const executedBy = Object.fromEntries([...math!.executed].map(([tid, ids]) => [record.tests[tid], ids]));
    expect(executedBy).toEqual({
      'tests/data.test.js': [0, 1],
      'tests/extra/math.test.js': [0, 1],
      'tests/math.test.js': [0, 1, 2],
      'tests/slow.test.js': [0, 2],
    });

    // Change only the body of mul(), on a branch.
    p.repo.git('checkout', '-q', '-b', 'change');
    p.write('src/math.js', readFileSync(join(p.root, 'src/math.js'), 'utf8').replace('return a * b;', 'return b * a;'));
    p.repo.commit('mul: swap operands');
    const detect = async (granularity: string): Promise<{ mode: string; tests: string[] }> => {
      const r = await runCli(['detect', '--base', 'main', '--granularity', granularity, '--format', 'json'], { cwd: p.root });
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { mode: string; tests: string[] };
    };
    const fileLevel = await detect('file');
    expect(fileLevel).toMatchObject({ mode: 'selective', tests: ['tests/data.test.js', 'tests/extra/math.test.js', 'tests/math.test.js', 'tests/slow.test.js'] });
    // The Jest recorder maps its block lines to the source and marks them so: block level narrows.
    const blockLevel = await detect('block');
    expect(blockLevel).toMatchObject({ mode: 'selective', tests: ['tests/math.test.js', 'tests/slow.test.js'] });

    const run = await p.run([], { TESTSIFT_SELECT: JSON.stringify(blockLevel) });
    expect(run.code, run.stderr).toBe(0);
    expect(run.ran).toEqual(['tests/math.test.js', 'tests/slow.test.js']);
  });

  it('selects the test that reads a changed fixture file', async () => {
    p.write('data/cases.json', '[{ "a": 2, "b": 2, "sum": 4 }]\n');
    p.repo.commit('new cases');
    const r = await runCli(['detect', '--base', 'main', '--format', 'json'], { cwd: p.root });
    expect(r.code, r.stderr).toBe(0);
    const sel = JSON.parse(r.stdout) as { mode: string; tests: string[] };
    expect(sel.mode).toBe('selective');
    expect(sel.tests).toContain('tests/data.test.js');
    expect(sel.tests).not.toContain('tests/plugins.test.js');
  });
});
