import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../../helpers/cli.js';
import { scratchDirs } from '../../helpers/repo-fixture.js';

const scratch = scratchDirs('testsift-shard-plan-');

/**
 * Issue item 2: jobs of one pipeline that see different inputs must never silently lose a test.
 * The case: 10 tests, 2 jobs, job 1 has the timing report and job 2 lost it.
 */
const NO_CI = { CI_NODE_INDEX: undefined, CI_NODE_TOTAL: undefined, TESTSIFT_ALLOW_MISSING_TIMINGS: undefined };
const TESTS = Array.from({ length: 10 }, (_, i) => `test/t${i}.test.ts`);
const SECONDS = [30, 25, 20, 8, 6, 5, 4, 3, 2, 1];

function workspace(): string {
  const dir = scratch();
  writeFileSync(join(dir, 'timings.json'), JSON.stringify(Object.fromEntries(TESTS.map((t, i) => [t, SECONDS[i]]))));
  writeFileSync(join(dir, 'tests.txt'), `${TESTS.join('\n')}\n`);
  return dir;
}

const lines = (r: CliResult): string[] => r.stdout.split('\n').filter((l) => l !== '');
/** The `inputs <digest>` a job's run line shows. */
const inputsOf = (r: CliResult): string => /shard \d+\/\d+: .*; inputs ([0-9a-f]{12}) /.exec(r.stderr)?.[1] ?? 'none';

/** What a runner given `tests` would write: Vitest's JUnit layout (suite = file, relative). */
function junit(tests: string[]): string {
  const suites = tests.map((t) => `  <testsuite name="${t}" tests="1"><testcase classname="${t}" name="works" time="0.1"/></testsuite>`);
  return `<?xml version="1.0" encoding="UTF-8" ?>\n<testsuites name="vitest tests">\n${suites.join('\n')}\n</testsuites>\n`;
}

function jestJson(root: string, tests: string[]): string {
  return JSON.stringify({ numTotalTestSuites: tests.length, testResults: tests.map((t) => ({ name: join(root, t), status: 'passed', assertionResults: [] })) });
}

describe("the issue's 10-test case: job 1 has the timing report, job 2 lost it", () => {
  it('job 2 fails loudly (exit 2, naming the report and the ways out) instead of running a different split', async () => {
    const dir = workspace();
    const job1 = await runCli(['shard', '--timings', 'timings.json', '--tests', 'tests.txt', '--total', '2', '--index', '1'], { cwd: dir, env: NO_CI });
    const job2 = await runCli(['shard', '--timings', 'gone.json', '--tests', 'tests.txt', '--total', '2', '--index', '2'], { cwd: dir, env: NO_CI });
    expect(job1.code).toBe(0);
    expect(job2.code).toBe(2);
    expect(job2.stdout).toBe('');
    expect(job2.stderr).toContain(`testsift: ${join(dir, 'gone.json')}: file not found. Shard 2/2 cannot compute its part`);
    expect(job2.stderr).toContain('--allow-missing-timings');
    expect(job2.stderr).toContain('--write-plan');
    expect(job2.stderr).not.toMatch(/\n\s+at /);
    // The same through the CI variables a GitLab parallel job has.
    const viaEnv = await runCli(['shard', '--timings', 'gone.json', '--tests', 'tests.txt'], { cwd: dir, env: { ...NO_CI, CI_NODE_TOTAL: '2', CI_NODE_INDEX: '2' } });
    expect(viaEnv.code).toBe(2);
  });

  it('with a shard plan written once, both jobs run their part of one split: every test exactly once, same digest in both logs', async () => {
    const dir = workspace();
    const write = await runCli(['shard', '--timings', 'timings.json', '--tests', 'tests.txt', '--total', '2', '--write-plan', '.testsift/shard-plan.json'], {
      cwd: dir,
      env: NO_CI,
    });
    expect(write.code, write.stderr).toBe(0);
    expect(write.stderr).toMatch(/wrote shard plan \.testsift\/shard-plan\.json: 10 tests in 2 shards; inputs digest [0-9a-f]{12}/);
    // The job that lost the timing report does not need it any more: the plan holds the split.
    const jobs = [];
    for (const i of [1, 2]) {
      const r = await runCli(['shard', '--from-plan', '.testsift/shard-plan.json', '--tests', 'tests.txt', '--index', String(i)], {
        cwd: dir,
        env: { ...NO_CI, CI_NODE_TOTAL: '2' },
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`shard ${i}/2: `);
      expect(r.stderr).toContain('split from plan .testsift/shard-plan.json');
      jobs.push(r);
    }
    const ran = jobs.flatMap(lines);
    expect(ran.sort()).toEqual([...TESTS].sort());
    expect(new Set(ran).size).toBe(ran.length);
    expect(inputsOf(jobs[0]!)).toBe(inputsOf(jobs[1]!));
    expect(write.stderr).toContain(inputsOf(jobs[0]!));
    // A job that had the report and computed the split itself shows the same digest: same inputs.
    const computed = await runCli(['shard', '--timings', 'timings.json', '--tests', 'tests.txt', '--total', '2', '--index', '1'], { cwd: dir, env: NO_CI });
    expect(inputsOf(computed)).toBe(inputsOf(jobs[0]!));
    expect(lines(computed)).toEqual(lines(jobs[0]!));

    // The final stage proves it from the jobs' reports.
    writeFileSync(join(dir, 'job1.xml'), junit(lines(jobs[0]!)));
    writeFileSync(join(dir, 'job2.xml'), junit(lines(jobs[1]!)));
    const verify = await runCli(['shard', 'verify', '--plan', '.testsift/shard-plan.json', 'job1.xml', 'job2.xml'], { cwd: dir, env: NO_CI });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toContain('10 selected test file(s), 2 report(s): every selected test ran exactly once');
  });

  it('when job 2 is allowed to go on without the report, the digests differ and shard verify names the lost and doubled tests (exit 3)', async () => {
    const dir = workspace();
    const job1 = await runCli(['shard', '--timings', 'timings.json', '--tests', 'tests.txt', '--total', '2', '--index', '1'], { cwd: dir, env: NO_CI });
    const job2 = await runCli(['shard', '--timings', 'gone.json', '--tests', 'tests.txt', '--total', '2', '--index', '2'], {
      cwd: dir,
      env: { ...NO_CI, TESTSIFT_ALLOW_MISSING_TIMINGS: '1' },
    });
    expect(job1.code).toBe(0);
    expect(job2.code).toBe(0);
    expect(job2.stderr).toContain('missing timings allowed');
    expect(inputsOf(job1)).not.toBe(inputsOf(job2));
    // This is the silent loss the issue describes: each job green, the union not the whole.
    const ran = [...lines(job1), ...lines(job2)];
    const lost = TESTS.filter((t) => !ran.includes(t));
    const twice = TESTS.filter((t) => ran.filter((x) => x === t).length > 1);
    expect(lost.length).toBeGreaterThan(0);

    writeFileSync(join(dir, 'job1.json'), jestJson(dir, lines(job1)));
    writeFileSync(join(dir, 'job2.xml'), junit(lines(job2)));
    const verify = await runCli(['shard', 'verify', '--tests', 'tests.txt', 'job1.json', 'job2.xml'], { cwd: dir, env: NO_CI });
    expect(verify.code).toBe(3);
    expect(verify.stdout).toContain(`FAILED: 10 selected test file(s), 2 report(s): ${lost.length} ran in no job, ${twice.length} ran in more than one`);
    for (const t of lost) expect(verify.stdout).toContain(`  ${t}\n`);
    for (const t of twice) expect(verify.stdout).toContain(`  ${t}  in job1.json, job2.xml`);
  });

  it('with --allow-missing-timings every job that misses a report splits by count alone, identically, even if it has another report', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ 'test/t9.test.ts': 500 }));
    const a = await runCli(['shard', '--timings', 'gone.json', 'other.json', '--tests', 'tests.txt', '--total', '2', '--index', '1', '--allow-missing-timings'], {
      cwd: dir,
      env: NO_CI,
    });
    const b = await runCli(['shard', '--timings', 'timings.json', 'gone-too.json', '--tests', 'tests.txt', '--total', '2', '--index', '2', '--allow-missing-timings'], {
      cwd: dir,
      env: NO_CI,
    });
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(inputsOf(a)).toBe(inputsOf(b));
    expect([...lines(a), ...lines(b)].sort()).toEqual([...TESTS].sort());
  });
});

describe('a shard plan that does not fit the job is an error (exit 2), never a partial run', () => {
  async function planned(): Promise<string> {
    const dir = workspace();
    const w = await runCli(['shard', '--timings', 'timings.json', '--tests', 'tests.txt', '--total', '2', '--write-plan', 'plan.json'], { cwd: dir, env: NO_CI });
    expect(w.code, w.stderr).toBe(0);
    return dir;
  }

  const cases: Array<[string, (dir: string) => string[], string, Record<string, string>?]> = [
    ['another N (--total)', () => ['--from-plan', 'plan.json', '--total', '3', '--index', '1'], 'the plan splits the tests into 2 shards, but --total says 3'],
    ['another N ($CI_NODE_TOTAL)', () => ['--from-plan', 'plan.json'], 'but $CI_NODE_TOTAL says 4', { CI_NODE_TOTAL: '4', CI_NODE_INDEX: '1' }],
    [
      'a test the plan does not have',
      (dir) => {
        writeFileSync(join(dir, 'more.txt'), `${TESTS.join('\n')}\ntest/new.test.ts\n`);
        return ['--from-plan', 'plan.json', '--tests', 'more.txt', '--index', '1'];
      },
      '1 test(s) --tests more.txt has are not in the plan (they would run in no job): test/new.test.ts',
    ],
    [
      'a plan test the job does not have',
      (dir) => {
        writeFileSync(join(dir, 'fewer.txt'), `${TESTS.slice(1).join('\n')}\n`);
        return ['--from-plan', 'plan.json', '--tests', 'fewer.txt', '--index', '1'];
      },
      '1 test(s) of the plan are not among --tests fewer.txt: test/t0.test.ts',
    ],
    ['a missing plan', () => ['--from-plan', 'absent.json', '--index', '1'], 'absent.json: shard plan not found'],
    [
      'a plan edited after it was written',
      (dir) => {
        const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as { seconds: Record<string, number> };
        plan.seconds['test/t0.test.ts'] = 1;
        writeFileSync(join(dir, 'edited.json'), JSON.stringify(plan));
        return ['--from-plan', 'edited.json', '--index', '1'];
      },
      'edited.json (digest): does not match the tests and seconds in the file',
    ],
    [
      'a plan with a test moved into two shards',
      (dir) => {
        const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as { shards: Array<{ tests: string[] }> };
        plan.shards[1]!.tests.push(plan.shards[0]!.tests[0]!);
        writeFileSync(join(dir, 'twice.json'), JSON.stringify(plan));
        return ['--from-plan', 'twice.json', '--index', '1'];
      },
      'is in shard 1 and shard 2',
    ],
    [
      'a plan cut short',
      (dir) => {
        writeFileSync(join(dir, 'cut.json'), readFileSync(join(dir, 'plan.json'), 'utf8').slice(0, 300));
        return ['--from-plan', 'cut.json', '--index', '1'];
      },
      'invalid JSON in the shard plan',
    ],
    ['--timings next to --from-plan', () => ['--from-plan', 'plan.json', '--timings', 'timings.json', '--index', '1'], '--from-plan and --timings'],
  ];
  for (const [what, args, message, env] of cases) {
    it(what, async () => {
      const dir = await planned();
      const r = await runCli(['shard', ...args(dir)], { cwd: dir, env: { ...NO_CI, ...env } });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }
});

describe('help', () => {
  it('shard --help documents the plan, the missing-timings rule and the run line', async () => {
    const r = await runCli(['shard', '--help']);
    expect(r.code).toBe(0);
    for (const s of ['--write-plan FILE', '--from-plan FILE', '--allow-missing-timings', 'TESTSIFT_ALLOW_MISSING_TIMINGS=1', 'inputs digest', 'testsift shard verify']) {
      expect(r.stdout).toContain(s);
    }
  });

  it('shard verify --help (and help shard verify) documents its own flags and exit codes', async () => {
    for (const args of [
      ['shard', 'verify', '--help'],
      ['help', 'shard', 'verify'],
    ]) {
      const r = await runCli(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Usage: testsift shard verify');
      expect(r.stdout).toContain('Exit codes: 0 every selected test ran exactly once; 3 some ran in no report or in');
    }
  });

  it('detect --help documents --shards, --timings and --write-plan', async () => {
    const r = await runCli(['detect', '--help']);
    for (const s of ['--shards N', '--timings FILE', '--write-plan FILE']) expect(r.stdout).toContain(s);
  });
});
