/**
 * Every timing-report format (src/sharding/formats/*), through the real CLI entry point:
 * - `shard` and `timings merge` never exit 1 and never throw anything but a typed error;
 * - bad input is a typed error (exit 2) naming the file (`timings merge`, a sharded job), or a
 *   warning naming it (`shard` of the whole split), never a crash;
 * - never fewer tests in the shards than in the input list: every test in exactly one shard,
 *   over all the jobs' parts;
 * - no Infinity, NaN or null in any printed number, whatever durations the report holds.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { isSeconds, parseTimingReport } from '../../../src/sharding/index.js';
import { runMain, typedOutcome } from './cli-io.js';
import { FC_RUNS } from './runs.js';
import { scratchDirs } from '../../helpers/repo-fixture.js';

const scratch = scratchDirs('testsift-prop-formats-');

/**
 * Each case runs the CLI up to a dozen times (every job's part, the plan table, a merge), so the
 * CLI properties try a quarter of FC_RUNS: ~50 cases a format by default, 1,250 in the long run.
 */
const CLI_RUNS = Math.max(10, Math.ceil(FC_RUNS / 4));

const dir = scratch();
const REPORT = join(dir, 'report');
const TESTS = join(dir, 'tests.json');

// --- generators -----------------------------------------------------------------------------

/**
 * Path segments with the characters real suites have, and some they should survive. No ':'
 * here: `file::test` is a pytest id (reduced to its file by design) and `c:/…` a Windows path.
 */
const segment = fc
  .string({ minLength: 1, maxLength: 6, unit: fc.constantFrom('a', 'b', 'z', '0', '_', '-', '.', ' ', 'é', '日', '😀', '[', '(') })
  .filter((s) => s !== '.' && s !== '..');
/** A repo-relative test path: no leading './', no backslash, no empty segment (the normal form). */
const testPath = fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/'));
const testPaths = fc.uniqueArray(testPath, { minLength: 1, maxLength: 25 });

/** A duration as JSON text: plausible, zero, at and past the bound, negative, beyond a double. */
const durationText = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: 0, max: 5000, noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 10_000_000 }).map(String) },
  { weight: 2, arbitrary: fc.constantFrom('0', '-0', '1e7', '10000000.5', '1.79e308', '-1', '-1e-9', '1e400', '-1e999', '2e7', '5e-324') },
);

function logSeconds(text: string): string {
  const v = Math.abs(Number(text));
  if (!/e/i.test(text)) return text.replace(/^-/, '');
  return v >= 1e7 ? '9'.repeat(400) : v.toFixed(6);
}

/** The formats, each producing report text from (path, duration text) entries. */
type Entry = { path: string; seconds: string };
const FORMATS: Record<string, (entries: Entry[]) => string> = {
  knapsack: (es) => `{\n${es.map((e) => `  ${JSON.stringify(e.path)}: ${e.seconds}`).join(',\n')}\n}\n`,
  'pytest-split dict': (es) =>
    `{${es.flatMap((e) => [`${JSON.stringify(`${e.path}::test_a`)}: ${e.seconds}`, `${JSON.stringify(`${e.path}::test_b[x]`)}: 0.5`]).join(', ')}}`,
  'pytest-split pairs': (es) => `[${es.map((e) => `[${JSON.stringify(`${e.path}::t`)}, ${e.seconds}]`).join(', ')}]`,
  'jest --json': (es) =>
    `{"numTotalTests": ${es.length}, "testResults": [${es
      .map((e, i) =>
        i % 2 === 0
          ? `{"name": ${JSON.stringify(join(dir, e.path))}, "startTime": 1000, "endTime": ${e.seconds}}`
          : `{"name": ${JSON.stringify(join(dir, e.path))}, "perfStats": {"runtime": ${e.seconds}}}`,
      )
      .join(', ')}]}`,
  // The log writes plain decimals only: no sign, no exponent (a huge one as 400 digits).
  'parallel_tests log': (es) => `Randomized with seed 1\n${es.map((e) => `${e.path}:${logSeconds(e.seconds)}`).join('\n')}\n\n`,
};

/** Text damaged the ways artifacts get damaged: cut short, a byte changed, wrapped in nesting. */
function damaged(text: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.nat({ max: text.length }).map((n) => text.slice(0, n)),
    fc
      .tuple(fc.nat({ max: text.length }), fc.constantFrom('{', '[', '"', ',', ':', '\n', '\u0000', 'x', '-', '\\'))
      .map(([n, c]) => text.slice(0, n) + c + text.slice(n + 1)),
    fc.integer({ min: 1, max: 60_000 }).map((d) => `${'['.repeat(d)}${text}`),
    fc.integer({ min: 1, max: 60_000 }).map((d) => `{"a": ${'['.repeat(d)}${']'.repeat(d)}}`),
  );
}

// --- helpers --------------------------------------------------------------------------------

interface PlanJson {
  shards: Array<{ index: number; tests: string[]; seconds: unknown }>;
  makespan: unknown;
  lowerBound: unknown;
}

function finiteNumbers(out: PlanJson): boolean {
  return [...out.shards.map((s) => s.seconds), out.makespan, out.lowerBound].every((v) => typeof v === 'number' && Number.isFinite(v));
}

/** Exactly a partition of `tests`: every one once, nothing else. */
function partitions(parts: string[][], tests: readonly string[]): boolean {
  const all = parts.flat();
  return all.length === tests.length && new Set(all).size === all.length && all.every((t) => tests.includes(t));
}

// --- properties -----------------------------------------------------------------------------

describe.each(Object.entries(FORMATS))('%s', (_name, format) => {
  const entries = testPaths.chain((paths) => fc.tuple(...paths.map((path) => durationText.map((seconds) => ({ path, seconds })))));

  it('any durations: shard places every listed test in exactly one shard, over every job, with finite numbers; merge never exits 1', async () => {
    await fc.assert(
      fc.asyncProperty(entries, fc.integer({ min: 1, max: 5 }), async (es, total) => {
        const tests = es.map((e) => e.path);
        writeFileSync(REPORT, format(es));
        writeFileSync(TESTS, JSON.stringify({ mode: 'selective', tests }));
        const whole = await runMain(['shard', '--timings', REPORT, '--tests', TESTS, '--total', String(total), '--format', 'json', '--root', dir], dir);
        expect(typedOutcome(whole), whole.stderr).toBe(true);
        expect(whole.code, whole.stderr).toBe(0);
        const plan = JSON.parse(whole.stdout) as PlanJson;
        expect(finiteNumbers(plan)).toBe(true);
        expect(
          partitions(
            plan.shards.map((s) => s.tests),
            tests,
          ),
        ).toBe(true);
        // Each job's part, as the jobs of a pipeline compute them from the same inputs.
        const parts: string[][] = [];
        for (let i = 1; i <= total; i++) {
          const job = await runMain(
            ['shard', '--timings', REPORT, '--tests', TESTS, '--total', String(total), '--index', String(i), '--format', 'json', '--root', dir],
            dir,
          );
          expect(job.code, job.stderr).toBe(0);
          parts.push((JSON.parse(job.stdout) as PlanJson).shards[0]!.tests);
        }
        expect(partitions(parts, tests)).toBe(true);
        // Without --tests: the report's own files, none lost to a bad duration.
        const own = await runMain(['shard', '--timings', REPORT, '--total', String(total), '--format', 'json', '--root', dir], dir);
        expect(own.code, own.stderr).toBe(0);
        expect(
          partitions(
            (JSON.parse(own.stdout) as PlanJson).shards.map((s) => s.tests),
            tests,
          ),
        ).toBe(true);
        const advice = await runMain(['shard', '--timings', REPORT, '--tests', TESTS, '--total', String(total), '--plan', '--root', dir], dir);
        expect(advice.code, advice.stderr).toBe(0);
        expect(advice.stdout).not.toMatch(/Infinity|NaN/);
        const merge = await runMain(['timings', 'merge', REPORT, '--output', join(dir, 'merged.json'), '--root', dir], dir);
        expect(typedOutcome(merge), merge.stderr).toBe(true);
        expect(merge.code, merge.stderr).toBe(0);
      }),
      { numRuns: CLI_RUNS },
    );
  });

  it('damaged reports: a typed error naming the file (exit 2) or a warning naming it; never exit 1; never fewer tests', async () => {
    const damagedReport = entries.chain((es) => damaged(format(es)).map((text) => ({ es, text })));
    await fc.assert(
      fc.asyncProperty(damagedReport, fc.integer({ min: 1, max: 4 }), async ({ es, text }, total) => {
        const tests = es.map((e) => e.path);
        writeFileSync(REPORT, text);
        writeFileSync(TESTS, JSON.stringify({ mode: 'selective', tests }));
        const merge = await runMain(['timings', 'merge', REPORT, '--output', join(dir, 'merged.json'), '--root', dir], dir);
        expect(typedOutcome(merge), merge.stderr).toBe(true);
        if (merge.code !== 0) {
          expect(merge.code).toBe(2);
          expect(merge.stderr).toContain(REPORT);
        }
        // The whole split: a corrupt report is a warning naming it, and every test is still
        // placed; a report that is fine but wrong for this command line (jest --json names
        // outside --root) is exit 2 naming it.
        const whole = await runMain(['shard', '--timings', REPORT, '--tests', TESTS, '--total', String(total), '--format', 'json', '--root', dir], dir);
        expect(typedOutcome(whole), whole.stderr).toBe(true);
        if (merge.code === 2) expect(whole.stderr).toContain(REPORT);
        if (whole.code === 0)
          expect(
            partitions(
              (JSON.parse(whole.stdout) as PlanJson).shards.map((s) => s.tests),
              tests,
            ),
          ).toBe(true);
        else {
          expect(whole.code).toBe(2);
          expect(whole.stderr).toContain('is outside the root');
          expect(whole.stdout).toBe('');
        }
        // A job's part: all jobs agree (all 0 and a partition, or all 2 naming the report).
        const jobs = [];
        for (let i = 1; i <= total; i++) {
          jobs.push(
            await runMain(['shard', '--timings', REPORT, '--tests', TESTS, '--total', String(total), '--index', String(i), '--format', 'json', '--root', dir], dir),
          );
        }
        for (const j of jobs) expect(typedOutcome(j), j.stderr).toBe(true);
        if (jobs.every((j) => j.code === 0))
          expect(
            partitions(
              jobs.map((j) => (JSON.parse(j.stdout) as PlanJson).shards[0]!.tests),
              tests,
            ),
          ).toBe(true);
        else {
          for (const j of jobs) {
            expect(j.code).toBe(2);
            expect(j.stderr).toContain(REPORT);
            expect(j.stdout).toBe('');
          }
        }
      }),
      { numRuns: CLI_RUNS },
    );
  });
});

describe('parseTimingReport on any text', () => {
  it('returns times that are usable or NaN (unknown), or throws an InputError naming the file; nothing else', () => {
    const anyText = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.json({ maxDepth: 4 }),
      fc.array(fc.tuple(fc.string({ maxLength: 20 }), fc.oneof(fc.double(), fc.string(), fc.constant(null))), { maxLength: 8 }).map((pairs) => JSON.stringify(pairs)),
      fc.dictionary(fc.string({ maxLength: 20 }), fc.oneof(fc.double(), fc.integer(), fc.string(), fc.constant(null)), { maxKeys: 8 }).map((d) => JSON.stringify(d)),
      fc
        .array(
          fc.tuple(
            fc.string({ maxLength: 15 }).filter((s) => !s.includes('\n')),
            fc.stringMatching(/^[0-9.]{1,400}$/),
          ),
          { maxLength: 6 },
        )
        .map((ls) => ls.map(([p, s]) => `${p}:${s}`).join('\n')),
    );
    fc.assert(
      fc.property(anyText, (text) => {
        const warnings: string[] = [];
        try {
          const report = parseTimingReport('the-file.json', text, { root: '/r', warnings });
          for (const v of report.values()) expect(isSeconds(v) || Number.isNaN(v)).toBe(true);
          for (const w of warnings) expect(w).toContain('the-file.json');
        } catch (err) {
          expect(err).toBeInstanceOf(InputError);
          expect((err as InputError).exitCode).toBe(2);
          expect((err as InputError).message).toContain('the-file.json');
        }
      }),
      { numRuns: FC_RUNS * 5 },
    );
  });
});
