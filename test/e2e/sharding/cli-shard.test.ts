import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTimingReport, roundSeconds, shardTests } from '../../../src/sharding/index.js';
import { runCli } from '../../helpers/cli.js';
import { NYPL_ROOT, REAL_TIMINGS } from '../../helpers/real-reports.js';
import { scratchDirs } from '../../helpers/repo-fixture.js';

const scratch = scratchDirs('testsift-cli-shard-');

const DISCOURSE = join(REAL_TIMINGS, 'discourse__discourse__knapsack_rspec_report.json');
const NYPL = join(REAL_TIMINGS, 'NYPL__nypl-design-system__.jest-test-results.json');
/** Without CI variables from the machine running our own tests. */
const NO_CI = { CI_NODE_INDEX: undefined, CI_NODE_TOTAL: undefined };

interface PlanJson {
  shards: Array<{ index: number; tests: string[]; seconds: number }>;
  makespan: number;
  lowerBound: number;
}

function tmp(): string {
  return scratch();
}

describe('testsift shard on every real report', () => {
  for (const name of readdirSync(REAL_TIMINGS).sort()) {
    it(`splits ${name} into 5 shards, every file once, per docs/formats.md`, async () => {
      const file = join(REAL_TIMINGS, name);
      const r = await runCli(['shard', '--timings', file, '--total', '5', '--format', 'json', '--root', NYPL_ROOT], { env: NO_CI });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as PlanJson;
      expect(Object.keys(out)).toEqual(['shards', 'makespan', 'lowerBound']);
      expect(out.shards.map((s) => Object.keys(s))).toEqual(Array(5).fill(['index', 'tests', 'seconds']));
      expect(out.shards.map((s) => s.index)).toEqual([1, 2, 3, 4, 5]);
      const report = await readTimingReport(file, { root: NYPL_ROOT });
      const all = out.shards.flatMap((s) => s.tests);
      expect(all.length).toBe(report.size);
      expect(new Set(all)).toEqual(new Set(report.keys()));
      expect(out.makespan).toBe(Math.max(...out.shards.map((s) => s.seconds)));
      expect(out.makespan).toBeLessThanOrEqual(out.lowerBound * 1.01);
    });
  }
});

describe('testsift shard', () => {
  it('prints one shard as a plain list with --index, and the shards together make the whole', async () => {
    const all = JSON.parse((await runCli(['shard', '--timings', DISCOURSE, '--total', '3', '--format', 'json'], { env: NO_CI })).stdout) as PlanJson;
    for (const i of [1, 2, 3]) {
      const r = await runCli(['shard', '--timings', DISCOURSE, '--total', '3', '--index', String(i)], { env: NO_CI });
      expect(r.code).toBe(0);
      expect(r.stdout.trimEnd().split('\n')).toEqual(all.shards[i - 1]!.tests);
    }
  });

  it('prints only the requested shard in JSON with --index, keeping the plan’s makespan and lower bound', async () => {
    const all = JSON.parse((await runCli(['shard', '--timings', DISCOURSE, '--total', '3', '--format', 'json'], { env: NO_CI })).stdout) as PlanJson;
    const one = JSON.parse((await runCli(['shard', '--timings', DISCOURSE, '--total', '3', '--index', '2', '--format', 'json'], { env: NO_CI })).stdout) as PlanJson;
    expect(one).toEqual({ shards: [all.shards[1]], makespan: all.makespan, lowerBound: all.lowerBound });
  });

  it('agrees with shardTests (the call the Jest/Vitest sequencers make) on the same inputs', async () => {
    const report = await readTimingReport(DISCOURSE);
    const selection = [...[...report.keys()].filter((_, i) => i % 4 === 1), 'spec/models/not_timed_spec.rb'];
    const timings = [join(tmp(), 'missing.json'), DISCOURSE];
    const lib = await shardTests({ tests: selection, timings, total: 7 });
    const r = await runCli(['shard', '--timings', ...timings, '--tests', '-', '--total', '7', '--format', 'json'], { env: NO_CI, input: selection.join('\n') });
    expect(r.code).toBe(0);
    const cli = JSON.parse(r.stdout) as PlanJson;
    expect(cli.shards).toEqual(lib.plan.shards.map((s) => ({ ...s, seconds: roundSeconds(s.seconds) })));
    expect(r.stderr.trim().split('\n')).toEqual(lib.warnings.map((w) => `testsift shard: warning: ${w}`));
  });

  it('reads CI_NODE_INDEX / CI_NODE_TOTAL when the flags are absent', async () => {
    const viaEnv = await runCli(['shard', '--timings', DISCOURSE], { env: { CI_NODE_TOTAL: '4', CI_NODE_INDEX: '2' } });
    const viaFlags = await runCli(['shard', '--timings', DISCOURSE, '--total', '4', '--index', '2'], { env: NO_CI });
    expect(viaEnv.code).toBe(0);
    expect(viaEnv.stdout).toBe(viaFlags.stdout);
    expect(viaEnv.stdout.length).toBeGreaterThan(0);
  });

  it('prints all shards under `# shard i/N (s)` headers without --index, and that output reads back as --tests', async () => {
    const r = await runCli(['shard', '--timings', DISCOURSE, '--total', '3'], { env: NO_CI });
    expect(r.code).toBe(0);
    const headers = r.stdout.split('\n').filter((l) => l.startsWith('#'));
    expect(headers).toHaveLength(3);
    expect(headers[0]).toMatch(/^# shard 1\/3 \(\d+\.\d+s\)$/);
    const again = await runCli(['shard', '--timings', DISCOURSE, '--tests', '-', '--total', '3'], { env: NO_CI, input: r.stdout });
    expect(again.stdout).toBe(r.stdout);
  });

  it('shards only the tests given with --tests (detect JSON or a plain list), with estimates for unknown ones', async () => {
    const dir = tmp();
    const detect = join(dir, 'detect.json');
    const selection = ['spec/requests/categories_controller_spec.rb', 'spec/models/brand_new_spec.rb', 'spec/lib/not_timed_yet_spec.rb'];
    writeFileSync(detect, JSON.stringify({ mode: 'selective', reasons: [], tests: selection, selection: [], changedFiles: [] }));
    const r = await runCli(['shard', '--timings', DISCOURSE, '--tests', detect, '--total', '2', '--format', 'json'], { env: NO_CI });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('2 of 3 tests have no recorded time');
    const out = JSON.parse(r.stdout) as PlanJson;
    expect(out.shards.flatMap((s) => s.tests).sort()).toEqual([...selection].sort());
    const list = join(dir, 'list.txt');
    writeFileSync(list, `${selection.join('\n')}\n`);
    const fromList = await runCli(['shard', '--timings', DISCOURSE, '--tests', list, '--total', '2', '--format', 'json'], { env: NO_CI });
    expect(fromList.stdout).toBe(r.stdout);
  });

  it('makes absolute --tests paths relative to the current directory', async () => {
    const dir = tmp();
    const r = await runCli(['shard', '--timings', DISCOURSE, '--tests', '-', '--total', '1', '--format', 'json'], {
      cwd: dir,
      env: NO_CI,
      input: `${join(dir, 'spec/models/user_spec.rb')}\n./spec/requests/categories_controller_spec.rb\n`,
    });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as PlanJson).shards[0]!.tests.sort()).toEqual(['spec/models/user_spec.rb', 'spec/requests/categories_controller_spec.rb']);
  });

  it('leaves shards empty when there are more shards than tests', async () => {
    const r = await runCli(['shard', '--timings', DISCOURSE, '--tests', '-', '--total', '4', '--index', '4'], {
      env: NO_CI,
      input: 'spec/requests/categories_controller_spec.rb\nspec/models/user_spec.rb\n',
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
  });

  it('degrades to estimates with a warning when the timing report is missing, and still lists every test', async () => {
    const r = await runCli(['shard', '--timings', join(tmp(), 'absent.json'), '--tests', '-', '--total', '2', '--format', 'json'], {
      env: NO_CI,
      input: 'a.test.ts\nb.test.ts\nc.test.ts\n',
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning');
    expect(r.stderr).toContain('absent.json');
    expect((JSON.parse(r.stdout) as PlanJson).shards.flatMap((s) => s.tests).sort()).toEqual(['a.test.ts', 'b.test.ts', 'c.test.ts']);
  });

  it('reads jest --json with --root', async () => {
    const r = await runCli(['shard', '--timings', NYPL, '--root', NYPL_ROOT, '--total', '2', '--format', 'json'], { env: NO_CI });
    const tests = (JSON.parse(r.stdout) as PlanJson).shards.flatMap((s) => s.tests);
    expect(tests).toHaveLength(66);
    expect(tests).toContain('src/components/FeedbackBox/FeedbackBox.test.tsx');
  });

  it('--plan prints the split, the lower bound, the imbalance and the N = 1…64 table with one recommended N', async () => {
    const r = await runCli(['shard', '--timings', DISCOURSE, '--total', '4', '--plan', '--job-overhead', '60'], { env: NO_CI });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('lower bound');
    expect(r.stdout).toContain('imbalance');
    const rows = r.stdout.split('\n').filter((l) => /^\s+\*?\s*\d+\s+\d+\.\d\s+\d+\.\d\s+-?\d+\.\d+%$/.test(l));
    expect(rows).toHaveLength(64);
    expect(rows.filter((l) => l.includes('*'))).toHaveLength(1);
    const json = await runCli(['shard', '--timings', DISCOURSE, '--plan', '--job-overhead', '60', '--format', 'json'], { env: NO_CI });
    const advice = JSON.parse(json.stdout) as { counts: Array<{ shards: number; wallClock: number; machineTime: number }>; best: number };
    expect(advice.counts.map((c) => c.shards)).toEqual(Array.from({ length: 64 }, (_, i) => i + 1));
    // Machine time grows by the overhead per job; the fastest wall-clock is never better than the recommended by more than 1%.
    expect(advice.counts[9]!.machineTime - advice.counts[8]!.machineTime).toBeCloseTo(60, 2);
    const fastest = Math.min(...advice.counts.map((c) => c.wallClock));
    expect(advice.counts[advice.best - 1]!.wallClock).toBeLessThanOrEqual(fastest * 1.01 + 1);
    if (advice.best > 1) expect(advice.counts[advice.best - 2]!.wallClock).toBeGreaterThan(fastest * 1.01);
  });

  it('spreads zero-second files over the shards (they used to all land in shard 1)', async () => {
    const dir = tmp();
    const names = ['a', 'b', 'c', 'd', 'e', 'f'].map((x) => `spec/${x}_spec.rb`);
    writeFileSync(join(dir, 'zeros.json'), JSON.stringify(Object.fromEntries(names.map((n) => [n, 0]))));
    const r = await runCli(['shard', '--timings', join(dir, 'zeros.json'), '--total', '3', '--format', 'json'], { env: NO_CI });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as PlanJson;
    expect(out.shards.map((s) => s.tests.length)).toEqual([2, 2, 2]);
    expect(out.shards.flatMap((s) => s.tests).sort()).toEqual(names);
  });

  it('counts a test listed several times once in the "no recorded time" warning', async () => {
    const r = await runCli(['shard', '--timings', DISCOURSE, '--tests', '-', '--total', '2'], {
      env: NO_CI,
      input: 'spec/models/new_spec.rb\nspec/models/new_spec.rb\n./spec/models/new_spec.rb\nspec/models/user_spec.rb\n',
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('1 of 2 tests have no recorded time');
    expect(
      r.stdout
        .split('\n')
        .filter((l) => l !== '' && !l.startsWith('#'))
        .sort(),
    ).toEqual(['spec/models/new_spec.rb', 'spec/models/user_spec.rb']);
  });

  it('--plan ignores $CI_NODE_INDEX: the plan covers every shard', async () => {
    const r = await runCli(['shard', '--timings', DISCOURSE, '--total', '2', '--plan'], { env: { CI_NODE_INDEX: '2', CI_NODE_TOTAL: undefined } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Split of 559 tests into 2 shards');
  });

  describe('jest --json read with a wrong or missing --root', () => {
    for (const [what, extra] of [
      ['without --tests', []],
      ['with --tests', ['--tests', '-']],
    ] as const) {
      it(`exits 2 ${what}, naming the report, the first path outside and --root`, async () => {
        const r = await runCli(['shard', '--timings', NYPL, '--total', '2', ...extra], { cwd: tmp(), env: NO_CI, input: 'src/a.test.tsx\n' });
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr).toContain(
          `testsift: ${NYPL} (testResults[0].name): test file ${NYPL_ROOT}/src/components/SocialMediaLinks/SocialMediaLinks.test.tsx is outside the root`,
        );
        expect(r.stderr).toContain("pass --root with the directory the report was recorded in (Jest's rootDir)");
      });
    }
  });

  describe('bad usage exits 2 with a message', () => {
    const cases: Array<[string, string[], string, Record<string, string | undefined>?]> = [
      ['index > total', ['--total', '2', '--index', '3'], 'greater than'],
      ['total < 1', ['--total', '0'], '--total'],
      ['no --total and no CI_NODE_TOTAL', [], '--total is required'],
      ['index from CI_NODE_INDEX > total', ['--total', '2'], 'CI_NODE_INDEX', { CI_NODE_INDEX: '5' }],
      ['unreadable --tests', ['--total', '2', '--tests', '/nonexistent/tests.txt'], '/nonexistent/tests.txt'],
      ['bad --format', ['--total', '2', '--format', 'xml'], '--format'],
      ['unknown flag', ['--total', '2', '--frobnicate'], 'frobnicate'],
      ['an absurd --total', ['--total', '4294967296'], 'shard: --total must be at most 10000, got 4294967296'],
      ['an absurd $CI_NODE_TOTAL', [], 'shard: $CI_NODE_TOTAL must be at most 10000', { CI_NODE_TOTAL: '99999999999999999999' }],
      ['--index 0', ['--total', '2', '--index', '0'], "shard: --index must be an integer ≥ 1, got '0'"],
      ['CI_NODE_INDEX=0', ['--total', '2'], "shard: $CI_NODE_INDEX must be an integer ≥ 1, got '0'", { CI_NODE_INDEX: '0' }],
      ['CI_NODE_TOTAL=abc', [], "shard: $CI_NODE_TOTAL must be an integer ≥ 1, got 'abc'", { CI_NODE_TOTAL: 'abc' }],
      ['a negative --job-overhead', ['--total', '2', '--job-overhead=-1'], "shard: --job-overhead expects a number ≥ 0, got '-1'"],
      ['a NaN --job-overhead', ['--total', '2', '--job-overhead', 'NaN'], "shard: --job-overhead expects a number ≥ 0, got 'NaN'"],
      ['--plan with --index', ['--total', '2', '--plan', '--index', '1'], 'shard: --plan prints every shard and takes no --index'],
    ];
    for (const [what, args, message, env] of cases) {
      it(what, async () => {
        const r = await runCli(['shard', '--timings', DISCOURSE, ...args], { env: { ...NO_CI, ...env } });
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(message);
        // One prefix (main.ts adds `testsift: `), and a message rather than a stack trace.
        expect(r.stderr).toMatch(/^testsift: (shard: |\/)/);
        expect(r.stderr).not.toContain('testsift: testsift');
        expect(r.stderr).not.toMatch(/\n\s+at /);
        expect(r.stdout).toBe('');
      });
    }

    it('no tests at all: no readable report and no --tests', async () => {
      const r = await runCli(['shard', '--timings', join(tmp(), 'absent.json'), '--total', '2'], { env: NO_CI });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('no tests to shard');
    });
  });

  it('has --help', async () => {
    const r = await runCli(['shard', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--passWithNoTests');
    expect(r.stdout).toContain('Exit codes');
  });
});
