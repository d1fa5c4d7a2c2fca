import { allocateShards } from './allocate.js';
import type { ShardPlan, TimingReport } from './types.js';

/** One row of the "how many jobs?" table. */
export interface ShardCountRow {
  shards: number;
  /** Predicted wall-clock: the heaviest job, overhead included. */
  wallClock: number;
  /** What all jobs cost together: the tests' total plus N × overhead. */
  machineTime: number;
  lowerBound: number;
  /** (makespan − lower bound) / lower bound: how far from a perfect split. */
  imbalance: number;
}

export interface ShardCountAdvice {
  rows: ShardCountRow[];
  /** The recommended N (see {@link recommendShardCount}). */
  best: number;
}

/** How far from the fastest wall-clock the recommended N may be: 1%, or this many seconds. */
export const RECOMMEND_TOLERANCE = { relative: 0.01, seconds: 1 };

/** Distinct tests in a plan (the allocator drops duplicates, so each is in one shard once). */
export function testsIn(plan: Pick<ShardPlan, 'shards'>): number {
  let n = 0;
  for (const s of plan.shards) n += s.tests.length;
  return n;
}

export function imbalanceOf(plan: Pick<ShardPlan, 'makespan' | 'lowerBound'>): number {
  return plan.lowerBound > 0 ? (plan.makespan - plan.lowerBound) / plan.lowerBound : 0;
}

/**
 * Predict wall-clock and machine time for N = 1…maxShards and recommend the smallest N whose
 * wall-clock is within 1% (or 1 s) of the fastest: past that point the longest test file bounds
 * the wall-clock, and every extra job only adds its overhead to the machine time.
 */
export function adviseShardCount(
  tests: readonly string[],
  timings: TimingReport,
  opts: { maxShards?: number; jobOverhead?: number; budgetMs?: number } = {},
): ShardCountAdvice {
  const max = opts.maxShards ?? 64;
  const rows: ShardCountRow[] = [];
  for (let n = 1; n <= max; n++) {
    const plan = allocateShards(tests, timings, n, { jobOverhead: opts.jobOverhead, budgetMs: opts.budgetMs });
    const machineTime = plan.shards.reduce((s, sh) => s + sh.seconds, 0);
    rows.push({ shards: n, wallClock: plan.makespan, machineTime, lowerBound: plan.lowerBound, imbalance: imbalanceOf(plan) });
  }
  return { rows, best: recommendShardCount(rows) };
}

export function recommendShardCount(rows: readonly ShardCountRow[]): number {
  const fastest = Math.min(...rows.map((r) => r.wallClock));
  const slack = Math.max(fastest * RECOMMEND_TOLERANCE.relative, RECOMMEND_TOLERANCE.seconds);
  return rows.find((r) => r.wallClock <= fastest + slack)?.shards ?? 1;
}
