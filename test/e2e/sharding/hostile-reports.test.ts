import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { scratchDirs } from '../../helpers/repo-fixture.js';

const scratch = scratchDirs('testsift-hostile-');

/** Without CI variables from the machine running our own tests. */
const NO_CI = { CI_NODE_INDEX: undefined, CI_NODE_TOTAL: undefined, TESTSIFT_ALLOW_MISSING_TIMINGS: undefined };
const DEPTH = 100_000;

function tmp(): string {
  return scratch();
}

/** A typed error or a warning, never an unexpected error with a stack trace. */
function noCrash(r: { code: number; stderr: string }): void {
  expect(r.code).not.toBe(1);
  expect(r.stderr).not.toContain('unexpected error');
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr).not.toContain('Maximum call stack');
}

describe('a deeply nested timing report (issue item 11)', () => {
  const dir = tmp();
  const reports: Array<[string, string]> = [
    // JSON.parse fails: the error line used to be found by a recursive scan.
    ['unterminated', '['.repeat(DEPTH)],
    ['unterminated in an object', `{"a.test.ts": ${'['.repeat(DEPTH)}`],
    // JSON.parse succeeds: the bad value used to be quoted with JSON.stringify.
    ['a nested value', `{"a.test.ts": ${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}}`],
    ['a nested pair', `[${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}]`],
    ['nested objects', `{"a.test.ts": ${'{"x":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}}`],
  ];
  for (const [what, text] of reports) {
    it(`${what}: shard warns and still places every test (exit 0); timings merge exits 2 naming the file`, async () => {
      const file = join(dir, `${what.replaceAll(' ', '-')}.json`);
      writeFileSync(file, text);
      const shard = await runCli(['shard', '--timings', file, '--tests', '-', '--total', '2', '--format', 'json'], {
        env: NO_CI,
        input: 'a.test.ts\nb.test.ts\n',
      });
      noCrash(shard);
      expect(shard.code).toBe(0);
      expect(shard.stderr).toContain(file);
      const out = JSON.parse(shard.stdout) as { shards: Array<{ tests: string[] }> };
      expect(out.shards.flatMap((s) => s.tests).sort()).toEqual(['a.test.ts', 'b.test.ts']);

      const merge = await runCli(['timings', 'merge', file, '--output', join(dir, 'out.json')], { env: NO_CI });
      noCrash(merge);
      expect(merge.code).toBe(2);
      expect(merge.stderr).toContain(`testsift: ${file}`);
      expect(merge.stderr.length).toBeLessThan(500); // a one-line message, not the value
    });
  }

  it('the sharded job with a nested report fails with exit 2 naming it, not exit 1', async () => {
    const file = join(dir, 'job.json');
    writeFileSync(file, '['.repeat(DEPTH));
    const r = await runCli(['shard', '--timings', file, '--tests', '-', '--total', '2', '--index', '1'], { env: NO_CI, input: 'a.test.ts\n' });
    noCrash(r);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`testsift: ${file}:1: invalid JSON`);
  });
});

describe('absurd durations (issue item 12)', () => {
  const dir = tmp();
  const tests = Array.from({ length: 6 }, (_, i) => `spec/t${i}_spec.rb`);
  const knapsack = join(dir, 'knapsack.json');
  writeFileSync(knapsack, `{\n${tests.map((t, i) => `  "${t}": ${i < 2 ? '1.79e308' : i === 2 ? '-5' : i === 3 ? '2e7' : String(i)}`).join(',\n')}\n}\n`);

  it('shard --format json: every seconds value is a number (never null), the absurd entries named by file, line and entry', async () => {
    const r = await runCli(['shard', '--timings', knapsack, '--total', '2', '--format', 'json'], { env: NO_CI });
    noCrash(r);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { shards: Array<{ tests: string[]; seconds: unknown }>; makespan: unknown; lowerBound: unknown };
    for (const v of [...out.shards.map((s) => s.seconds), out.makespan, out.lowerBound]) {
      expect(typeof v).toBe('number');
      expect(Number.isFinite(v)).toBe(true);
    }
    // Every file of the report is still split, the absurd ones as unknown.
    expect(out.shards.flatMap((s) => s.tests).sort()).toEqual(tests);
    expect(r.stderr).toContain(`${knapsack}:2 (spec/t0_spec.rb): duration 1.79e308 (1.79e+308) is more than 10000000 s`);
    expect(r.stderr).toContain(`${knapsack}:3 (spec/t1_spec.rb)`);
    expect(r.stderr).toContain(`${knapsack}:4 (spec/t2_spec.rb): duration -5 is negative`);
    expect(r.stderr).toContain(`${knapsack}:5 (spec/t3_spec.rb): duration 2e7 (20000000) is more than`);
  });

  it('shard --plan prints no Infinity or NaN', async () => {
    const r = await runCli(['shard', '--timings', knapsack, '--total', '3', '--plan'], { env: NO_CI });
    noCrash(r);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/Infinity|NaN/);
    const json = await runCli(['shard', '--timings', knapsack, '--total', '3', '--plan', '--format', 'json'], { env: NO_CI });
    expect(json.stdout).not.toContain('null');
  });

  it('an absurd --job-overhead is a usage error, not Infinity machine time', async () => {
    const r = await runCli(['shard', '--timings', knapsack, '--plan', '--job-overhead', '1e308'], { env: NO_CI });
    noCrash(r);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--job-overhead expects at most 10000000 seconds');
  });

  it('timings merge leaves the absurd entries out (an older time stays) and says which', async () => {
    const older = join(dir, 'older.json');
    writeFileSync(older, JSON.stringify({ 'spec/t0_spec.rb': 12 }));
    const out = join(dir, 'merged.json');
    const r = await runCli(['timings', 'merge', older, knapsack, '--output', out], { env: NO_CI });
    noCrash(r);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${knapsack}:2 (spec/t0_spec.rb)`);
    const merged = JSON.parse(readFileSync(out, 'utf8')) as Record<string, number>;
    expect(merged).toEqual({ 'spec/t0_spec.rb': 12, 'spec/t4_spec.rb': 4, 'spec/t5_spec.rb': 5 });
  });

  it('a parallel_tests log line of 400 digits is named by line, not silently skipped', async () => {
    const log = join(dir, 'parallel_runtime_rspec.log');
    writeFileSync(log, `spec/a_spec.rb:1.5\nspec/b_spec.rb:${'9'.repeat(400)}\n`);
    const r = await runCli(['shard', '--timings', log, '--total', '2', '--format', 'json'], { env: NO_CI });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${log}:2 (spec/b_spec.rb): duration 9999`);
    expect((JSON.parse(r.stdout) as { shards: Array<{ tests: string[] }> }).shards.flatMap((s) => s.tests).sort()).toEqual(['spec/a_spec.rb', 'spec/b_spec.rb']);
  });
});
