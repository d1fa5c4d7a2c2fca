import { isSeconds } from './durations.js';
import type { TimingReport } from './types.js';

export type MergeStrategy = 'latest' | 'ema';

export interface MergeOptions {
  /** `latest`: a later report's value replaces an earlier one (GitLab's merge-reports). `ema`: exponential moving average. */
  strategy: MergeStrategy;
  /** EMA weight of the newer value, 0 < alpha ≤ 1. Default 0.3: one slow run moves a file's time by 30%. */
  alpha?: number;
}

export const DEFAULT_ALPHA = 0.3;

/**
 * Merge timing reports given oldest first. A file keeps its value from the reports that have it,
 * so partial reports from parallel CI jobs combine into one, and a file missing from the newest
 * report keeps its older time (use pruning to drop files that no longer exist).
 */
export function mergeTimingReports(reports: readonly TimingReport[], opts: MergeOptions): TimingReport {
  const alpha = opts.alpha ?? DEFAULT_ALPHA;
  if (opts.strategy === 'ema' && !(alpha > 0 && alpha <= 1)) throw new RangeError(`mergeTimingReports: alpha must be in (0, 1], got ${alpha}`);
  const out: TimingReport = new Map();
  for (const report of reports) {
    for (const [path, seconds] of report) {
      const prev = out.get(path);
      // An unusable time (NaN, see TimingReport) never replaces a usable one, nor enters an average.
      if (!isSeconds(seconds)) {
        if (prev === undefined) out.set(path, Number.NaN);
        continue;
      }
      if (prev === undefined || !isSeconds(prev) || opts.strategy === 'latest') out.set(path, seconds);
      else out.set(path, alpha * seconds + (1 - alpha) * prev);
    }
  }
  return out;
}

/** Only the entries whose file `exists`: `--prune-missing`, for deleted and renamed tests. */
export function pruneMissing(report: TimingReport, exists: (path: string) => boolean): { report: TimingReport; pruned: string[] } {
  const kept: TimingReport = new Map();
  const pruned: string[] = [];
  for (const [path, seconds] of report) {
    if (exists(path)) kept.set(path, seconds);
    else pruned.push(path);
  }
  return { report: kept, pruned: pruned.sort() };
}
