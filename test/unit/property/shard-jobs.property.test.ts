/**
 * Issue item 2 as a property: whatever timing files the jobs of one pipeline see — the report,
 * none, another version of it, a shard plan — no test is lost silently. For every combination:
 * a job exits 0 or fails loudly (exit 2, naming the report); when all jobs exit 0, either their
 * parts are a partition of the tests, or their logs show different input digests AND
 * `shard verify` over their reports fails (exit 3) naming every lost and doubled test.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runMain, typedOutcome } from './cli-io.js';
import { FC_RUNS } from './runs.js';
import { scratchDirs } from '../../helpers/repo-fixture.js';

const scratch = scratchDirs('testsift-prop-jobs-');

const dir = scratch();
const CLI_RUNS = Math.max(10, Math.ceil(FC_RUNS / 4));

const testPath = fc.stringMatching(/^[a-z]{1,3}(\/[a-z]{1,3}){0,2}\.test\.ts$/);
const seconds = fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: undefined });

type JobInput = 'report' | 'other report' | 'absent' | 'absent, allowed' | 'plan';
const jobInput = fc.constantFrom<JobInput>('report', 'other report', 'absent', 'absent, allowed', 'plan');

function junit(tests: string[]): string {
  return `<testsuites>${tests.map((t) => `<testsuite name="${t}"><testcase classname="${t}" name="ok"/></testsuite>`).join('')}</testsuites>`;
}

const inputsOf = (stderr: string): string | undefined => /; inputs ([0-9a-f]{12}) /.exec(stderr)?.[1];

describe('the jobs of one pipeline, each with its own view of the timing files', () => {
  it('never lose a test silently', async () => {
    const scenario = fc.uniqueArray(testPath, { minLength: 1, maxLength: 14 }).chain((tests) =>
      fc.record({
        tests: fc.constant(tests),
        a: fc.tuple(...tests.map(() => seconds)),
        b: fc.tuple(...tests.map(() => seconds)),
        jobs: fc.array(jobInput, { minLength: 1, maxLength: 5 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(scenario, async ({ tests, a, b, jobs }) => {
        const total = jobs.length;
        const report = (times: Array<number | undefined>) => JSON.stringify(Object.fromEntries(tests.flatMap((t, i) => (times[i] === undefined ? [] : [[t, times[i]]]))));
        writeFileSync(join(dir, 'a.json'), report(a));
        writeFileSync(join(dir, 'b.json'), report(b));
        writeFileSync(join(dir, 'tests.txt'), `${tests.join('\n')}\n`);
        const write = await runMain(['shard', '--timings', 'a.json', '--tests', 'tests.txt', '--total', String(total), '--write-plan', 'plan.json'], dir);
        expect(write.code, write.stderr).toBe(0);

        const results = [];
        for (const [k, input] of jobs.entries()) {
          const index = ['--total', String(total), '--index', String(k + 1), '--tests', 'tests.txt'];
          const args =
            input === 'plan'
              ? ['shard', '--from-plan', 'plan.json', ...index]
              : [
                  'shard',
                  '--timings',
                  input === 'report' ? 'a.json' : input === 'other report' ? 'b.json' : 'gone.json',
                  ...index,
                  ...(input === 'absent, allowed' ? ['--allow-missing-timings'] : []),
                ];
          const r = await runMain(args, dir);
          expect(typedOutcome(r), r.stderr).toBe(true);
          if (input === 'absent') {
            expect(r.code).toBe(2); // loud: the job that lost the report does not run a guess
            expect(r.stderr).toContain('gone.json');
          } else expect(r.code, r.stderr).toBe(0);
          results.push({ input, r, ran: r.stdout.split('\n').filter((l) => l !== '') });
        }
        if (results.some((x) => x.r.code !== 0)) return; // the pipeline fails: nothing is silent

        const all = results.flatMap((x) => x.ran);
        const isPartition = all.length === tests.length && new Set(all).size === all.length;
        const digests = new Set(results.map((x) => inputsOf(x.r.stderr)));
        expect(digests.has(undefined)).toBe(false);
        // Same digest in every log ⇒ same split ⇒ a partition.
        if (digests.size === 1) expect(isPartition).toBe(true);

        results.forEach((x, k) => writeFileSync(join(dir, `job${k + 1}.xml`), junit(x.ran)));
        const verify = await runMain(['shard', 'verify', '--tests', 'tests.txt', ...results.map((_, k) => `job${k + 1}.xml`)], dir);
        expect(typedOutcome(verify), verify.stderr).toBe(true);
        if (isPartition) expect(verify.code, verify.stdout).toBe(0);
        else {
          // Not a partition: the logs disagree, and the final stage fails naming each test.
          expect(digests.size).toBeGreaterThan(1);
          expect(verify.code).toBe(3);
          for (const t of tests) {
            const n = all.filter((x) => x === t).length;
            if (n === 0) expect(verify.stdout).toContain(`  ${t}\n`);
            if (n > 1) expect(verify.stdout).toContain(`  ${t}  in `);
          }
        }
      }),
      { numRuns: CLI_RUNS },
    );
  });

  it('jobs that all take their part from the plan partition the tests, whatever timing files they have, and verify proves it', async () => {
    const scenario = fc
      .uniqueArray(testPath, { minLength: 0, maxLength: 20 })
      .chain((tests) => fc.record({ tests: fc.constant(tests), times: fc.tuple(...tests.map(() => seconds)), total: fc.integer({ min: 1, max: 7 }) }));
    await fc.assert(
      fc.asyncProperty(scenario, async ({ tests, times, total }) => {
        writeFileSync(join(dir, 'p.json'), JSON.stringify(Object.fromEntries(tests.flatMap((t, i) => (times[i] === undefined ? [] : [[t, times[i]]])))));
        writeFileSync(join(dir, 'p-tests.txt'), tests.map((t) => `${t}\n`).join(''));
        const write = await runMain(['shard', '--timings', 'p.json', '--tests', 'p-tests.txt', '--total', String(total), '--write-plan', 'p-plan.json'], dir);
        expect(write.code, write.stderr).toBe(0);
        const parts: string[][] = [];
        for (let i = 1; i <= total; i++) {
          const r = await runMain(['shard', '--from-plan', 'p-plan.json', '--tests', 'p-tests.txt', '--index', String(i)], dir, { CI_NODE_TOTAL: String(total) });
          expect(r.code, r.stderr).toBe(0);
          parts.push(r.stdout.split('\n').filter((l) => l !== ''));
          writeFileSync(join(dir, `p-job${i}.xml`), junit(parts[i - 1]!));
        }
        const all = parts.flat();
        expect(all.sort()).toEqual([...tests].sort());
        const reports = parts.map((_, i) => `p-job${i + 1}.xml`);
        const verify = await runMain(['shard', 'verify', '--plan', 'p-plan.json', ...reports], dir);
        expect(verify.code, verify.stdout).toBe(0);
        // A job whose report is lost: its tests are named, with their shard.
        const lost = parts.findIndex((p) => p.length > 0);
        if (lost >= 0 && total > 1) {
          const partial = await runMain(['shard', 'verify', '--plan', 'p-plan.json', ...reports.filter((_, i) => i !== lost)], dir);
          expect(partial.code).toBe(3);
          for (const t of parts[lost]!) expect(partial.stdout).toContain(`  ${t}  (plan: shard ${lost + 1})`);
        }
      }),
      { numRuns: CLI_RUNS },
    );
  });
});
