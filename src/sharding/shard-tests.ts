import { TimingError } from '../errors.js';
import { allocateShards } from './allocate.js';
import { mergeTimingReports } from './merge.js';
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
}

export interface ShardTestsResult {
  plan: ShardPlan;
  shard?: Shard;
  warnings: string[];
}

/**
 * The one call the CLI and the Jest/Vitest sequencers share, so they agree on the same inputs.
 * Fail safe: a missing or corrupt timing report is a warning and every test gets an estimate —
 * the split is then less balanced, but every test still runs in exactly one shard.
 */
export async function shardTests(opts: ShardTestsOptions): Promise<ShardTestsResult> {
  if (opts.index !== undefined && (!Number.isInteger(opts.index) || opts.index < 1 || opts.index > opts.total)) {
    throw new RangeError(`shardTests: index must be an integer in 1..${opts.total}, got ${opts.index}`);
  }
  const warnings: string[] = [];
  const report = await loadTimings(opts.timings, opts.root, warnings);
  const plan = allocateShards(opts.tests, report, opts.total, { jobOverhead: opts.jobOverhead, budgetMs: opts.budgetMs });
  warnings.push(...estimateWarnings(plan, report));
  const shard = opts.index === undefined ? undefined : plan.shards[opts.index - 1];
  return { plan, shard, warnings };
}

/**
 * Read and merge the reports that can be read; each one that cannot (TimingError: missing,
 * corrupt) is a warning, not a crash. Other InputErrors, such as jest --json names outside
 * `root`, are a wrong command line rather than a bad artifact, and go up to the caller.
 */
export async function loadTimings(files: string | string[] | undefined, root: string | undefined, warnings: string[]): Promise<TimingReport> {
  const list = files === undefined ? [] : Array.isArray(files) ? files : [files];
  if (list.length === 0) warnings.push('no timing report given: balancing by estimates (equal times), not by recorded times');
  const reports: TimingReport[] = [];
  for (const file of list) {
    try {
      reports.push(await readTimingReport(file, { root }));
    } catch (err) {
      if (!(err instanceof TimingError)) throw err;
      warnings.push(`ignoring timing report ${err.message}; its tests get estimated times`);
    }
  }
  return mergeTimingReports(reports, { strategy: 'latest' });
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
  if (unknown === testCount) {
    out.push('no test matches a path in the timing report: are the paths relative to the same root (see --root)?');
  }
  return out;
}
