import { InputError, TimingError } from '../errors.js';
import { shardRunLine, type ShardDigest } from './digest.js';
import { mergeTimingReports } from './merge.js';
import { checkPlanFits, computeSplit, readPlanFile } from './plan-file.js';
import { testsIn } from './plan.js';
import { readTimingReport } from './read.js';
import type { Shard, ShardPlan, TimingReport } from './types.js';

export interface ShardTestsOptions {
  tests: string[];
  /** Timing report file(s); when several, a later file's time wins. */
  timings?: string | string[];
  total: number;
  /** 1-based; when given, `shard` is that shard. */
  index?: number;
  /** The checkout the reports were recorded in (for Jest `--json` absolute paths). */
  root?: string;
  jobOverhead?: number;
  budgetMs?: number;
  /**
   * A shard plan file (see plan-file.ts): the split is taken from it, not computed, and `timings`
   * is not read. Its N must equal `total` and its tests must be exactly `tests` (InputError).
   */
  plan?: string;
  /**
   * With `index` (a job's part) and `timings` given, a report that cannot be read is an
   * InputError unless this is set; then every report is ignored and the split is by test count.
   */
  allowMissingTimings?: boolean;
}

export interface ShardTestsResult {
  plan: ShardPlan;
  shard?: Shard;
  warnings: string[];
  /** The digest of the split's inputs (the plan's, when read from one). */
  digest: ShardDigest;
  /** The one line a sharded run prints: part, digest of inputs, where the split came from. */
  line?: string;
}

/**
 * The one call the Jest/Vitest sequencers make, so they agree with `testsift shard` on the same
 * inputs. Fail safe, by what a job can know:
 * - with a plan, the plan's part, after checking it fits this job (N, tests);
 * - a job's part (`index`) computed here needs every timing report it was given: a job that lost
 *   the report would split differently from jobs that have it, and tests would run twice or in
 *   no job, every job green. So an unreadable report is an error unless `allowMissingTimings`;
 * - the whole split (no `index`) degrades to estimates with a warning: every test is still in
 *   exactly one shard of it.
 */
export async function shardTests(opts: ShardTestsOptions): Promise<ShardTestsResult> {
  if (opts.index !== undefined && (!Number.isInteger(opts.index) || opts.index < 1 || opts.index > opts.total)) {
    throw new RangeError(`shardTests: index must be an integer in 1..${opts.total}, got ${opts.index}`);
  }
  if (opts.plan !== undefined) {
    const loaded = await readPlanFile(opts.plan);
    checkPlanFits(loaded, { total: opts.total, totalSource: `the runner's shard count`, tests: opts.tests, testsSource: 'this run' });
    const warnings =
      opts.timings !== undefined && [opts.timings].flat().length > 0 ? [`the shard plan ${opts.plan} fixes the split: the timing report(s) are not read`] : [];
    const shard = opts.index === undefined ? undefined : loaded.plan.shards[opts.index - 1];
    return { plan: loaded.plan, shard, warnings, digest: loaded.digest, line: shard && runLine(loaded.plan, shard, loaded.digest, `split from plan ${opts.plan}`) };
  }
  const warnings: string[] = [];
  const loaded = await loadTimingsFor(opts.timings, {
    root: opts.root,
    warnings,
    job: opts.index === undefined ? undefined : `${opts.index}/${opts.total}`,
    allowMissing: opts.allowMissingTimings,
  });
  const { plan, digest } = computeSplit(opts.tests, loaded.report, opts.total, { jobOverhead: opts.jobOverhead, budgetMs: opts.budgetMs });
  warnings.push(...estimateWarnings(plan, loaded.report));
  const shard = opts.index === undefined ? undefined : plan.shards[opts.index - 1];
  return { plan, shard, warnings, digest, line: shard && runLine(plan, shard, digest, loaded.source) };
}

function runLine(plan: ShardPlan, shard: Shard, digest: ShardDigest, source: string): string {
  return shardRunLine({ index: shard.index, total: plan.shards.length, tests: shard.tests.length, ofTests: testsIn(plan), seconds: shard.seconds, digest, source });
}

/** Timing reports as read for a split. */
export interface LoadedTimings {
  report: TimingReport;
  /** The reports given, and those that could not be read. */
  files: string[];
  unreadable: string[];
  /** Where the times came from, for the run line. */
  source: string;
}

/**
 * Read and merge the reports. One that cannot be read (TimingError: missing, corrupt):
 * - for a job's part (`job` set, e.g. "2/4"): an InputError, unless `allowMissing`, in which case
 *   every report is ignored — not only the unreadable one — so all jobs that miss any report
 *   agree with each other on a split by test count alone;
 * - otherwise a warning, and the other reports are used.
 * Other InputErrors, such as jest --json names outside `root`, are a wrong command line rather
 * than a bad artifact, and go up to the caller.
 */
export async function loadTimingsFor(
  files: string | string[] | undefined,
  o: { root?: string; warnings: string[]; job?: string; allowMissing?: boolean },
): Promise<LoadedTimings> {
  const list = files === undefined ? [] : Array.isArray(files) ? files : [files];
  const { warnings } = o;
  if (list.length === 0) {
    warnings.push('no timing report given: balancing by estimates (equal times), not by recorded times');
    return { report: new Map(), files: [], unreadable: [], source: 'split computed here by test count (no timing report)' };
  }
  const reports: TimingReport[] = [];
  const unreadable: TimingError[] = [];
  const entryWarnings: string[] = [];
  for (const file of list) {
    try {
      reports.push(await readTimingReport(file, { root: o.root, warnings: entryWarnings }));
    } catch (err) {
      if (!(err instanceof TimingError)) throw err;
      unreadable.push(err);
    }
  }
  const unreadableFiles = unreadable.map((e) => e.location.file);
  if (unreadable.length > 0 && o.job !== undefined) {
    if (!o.allowMissing) {
      const e = unreadable[0]!;
      throw new InputError(
        e.location,
        `${e.message.slice(e.message.indexOf(': ', e.location.file.length) + 2)}. Shard ${o.job} cannot compute its part without this timing report: ` +
          'jobs that have it would split the tests differently, and some tests would run twice or in no job. ' +
          'Give every job the same report, or compute the split once (a shard plan: `testsift shard --write-plan` or ' +
          '`detect-tests --shards N`, then TESTSIFT_SHARD_PLAN / `shard --from-plan` in each job), or allow it with ' +
          '--allow-missing-timings / TESTSIFT_ALLOW_MISSING_TIMINGS=1',
        { cause: e },
      );
    }
    for (const e of unreadable) warnings.push(`ignoring timing report ${e.message}`);
    warnings.push(
      `missing timings allowed: shard ${o.job} ignores every timing report and splits by test count, as every job missing a report does; ` +
        'a job that did read the report split by time, differently: compare the inputs digests of the jobs, or run `testsift shard verify`',
    );
    return { report: new Map(), files: list, unreadable: unreadableFiles, source: 'split computed here by test count (timing report unreadable, allowed)' };
  }
  for (const e of unreadable) warnings.push(`ignoring timing report ${e.message}; its tests get estimated times`);
  warnings.push(...entryWarnings);
  const read = list.filter((f) => !unreadableFiles.includes(f));
  return {
    report: mergeTimingReports(reports, { strategy: 'latest' }),
    files: list,
    unreadable: unreadableFiles,
    source: read.length > 0 ? `split computed here from ${read.join(', ')}` : 'split computed here by test count (no readable timing report)',
  };
}

/**
 * Warnings about estimated times: how many tests, and a hint when no path matched at all. Both
 * counts are of distinct tests, as placed in the plan: a list naming one file three times is
 * one test, not "1 of 3".
 */
export function estimateWarnings(plan: ShardPlan, report: TimingReport): string[] {
  const unknown = Object.keys(plan.estimated).length;
  if (unknown === 0 || report.size === 0) return [];
  const testCount = testsIn(plan);
  const out = [`${unknown} of ${testCount} tests have no recorded time; each got the median time of its folder in the report`];
  // Not when the report does name the tests, with unusable times (NaN): those were warned about.
  if (unknown === testCount && !Object.keys(plan.estimated).some((t) => report.has(t))) {
    out.push('no test matches a path in the timing report: are the paths relative to the same root (see --root)?');
  }
  return out;
}
