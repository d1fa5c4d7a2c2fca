import type { AllocateOptions, ShardPlan, TimingReport } from './types.js';
export type * from './types.js';

/** Stub: read a knapsack JSON / .test_durations / parallel_tests log / Jest --json report. */
export async function readTimingReport(_path: string, _opts?: { root?: string }): Promise<TimingReport> {
  throw new Error('readTimingReport: not implemented yet');
}

/** Stub: write knapsack JSON atomically (sorted keys). */
export async function writeTimingReport(_path: string, _report: TimingReport): Promise<void> {
  throw new Error('writeTimingReport: not implemented yet');
}

/** Stub: deterministic time-balanced split into `total` shards (1-based indexes). */
export function allocateShards(_tests: readonly string[], _timings: TimingReport, _total: number, _opts?: AllocateOptions): ShardPlan {
  throw new Error('allocateShards: not implemented yet');
}
