/**
 * Knapsack JSON: repo-relative POSIX test path → seconds. NaN: the report names the file but its
 * duration was unusable (negative, infinite, absurd; a warning said which), so it is a known test
 * with an unknown time: sharded with an estimate, never written back.
 */
export type TimingReport = Map<string, number>;

export interface Shard {
  /** 1-based, like CI_NODE_INDEX and `--shard=i/n`. */
  index: number;
  tests: string[];
  /** Predicted seconds (including any per-job overhead). */
  seconds: number;
}

export interface ShardPlan {
  shards: Shard[];
  /** The predicted wall-clock time: the heaviest shard. */
  makespan: number;
  /** max(longest test, total / N): no split can beat it. */
  lowerBound: number;
  /** Tests that had no timing and got an estimate, with the estimate used. */
  estimated: Record<string, number>;
}

export interface AllocateOptions {
  /** Constant seconds each shard pays before its first test (boot, install, …). */
  jobOverhead?: number;
  /**
   * Budget for improving on greedy LPT, in milliseconds of work on a slow CI machine — counted
   * as work units (improve.ts WORK_PER_MS), not measured on the clock, so the same inputs give
   * the same shards on any machine. 0 = plain LPT. Default 5.
   */
  budgetMs?: number;
}
