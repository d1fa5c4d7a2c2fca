/**
 * Sharding: timing reports (read, write, merge) and the time-balanced allocator.
 *
 * - Reports: knapsack JSON (the contract, DESIGN §2.3), pytest-split `.test_durations` (dict or
 *   list of pairs; test ids summed per file), parallel_tests runtime logs (`path:seconds` lines,
 *   noise skipped), `jest --json` (absolute names made relative to `root`). Told apart by content.
 * - Allocator: canonical order (seconds desc, path asc) → greedy LPT → moves/swaps out of the
 *   heaviest shard within a deterministic work budget. Never worse than LPT; same inputs, same
 *   shards. Unknown tests: median of the nearest folder's recorded times (estimate.ts).
 * - shardTests: the one call the CLI and the Jest/Vitest sequencers share; a missing or corrupt
 *   report degrades to estimates with a warning, never fewer tests.
 */
export type * from './types.js';
export { readTimingReport, parseTimingReport, type ReadTimingOptions } from './read.js';
export { writeTimingReport, formatTimingReport } from './write.js';
export { allocateShards, timedTests, DEFAULT_BUDGET_MS, MAX_SHARDS, type TimedTest } from './allocate.js';
export { shardTests, loadTimings, estimateWarnings, type ShardTestsOptions, type ShardTestsResult } from './shard-tests.js';
export { mergeTimingReports, pruneMissing, DEFAULT_ALPHA, type MergeOptions, type MergeStrategy } from './merge.js';
export { estimateUnknown, DEFAULT_ESTIMATE_SECONDS } from './estimate.js';
export { hashCountShards } from './hash-count.js';
export { greedyLpt } from './lpt.js';
export { adviseShardCount, recommendShardCount, imbalanceOf, RECOMMEND_TOLERANCE, type ShardCountAdvice, type ShardCountRow } from './plan.js';
export { parseTestList, type TestList } from './test-list.js';
export { planJson, planList, planTable, adviceJson, roundSeconds } from './format-plan.js';
