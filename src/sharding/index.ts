/**
 * Sharding: timing reports (read, write, merge) and the time-balanced allocator.
 *
 * - Reports: knapsack JSON (the contract, docs/formats.md), pytest-split `.test_durations` (dict or
 *   list of pairs; test ids summed per file), parallel_tests runtime logs (`path:seconds` lines,
 *   noise skipped), `jest --json` (absolute names made relative to `root`). Told apart by content.
 * - Allocator: canonical order (seconds desc, path asc) → greedy LPT → moves/swaps out of the
 *   heaviest shard within a deterministic work budget. Never worse than LPT; same inputs, same
 *   shards. Unknown tests: median of the nearest folder's recorded times (estimate.ts).
 * - shardTests: the one call the Jest/Vitest sequencers make (the CLI uses the same parts); a
 *   job's part comes from a shard plan (plan-file.ts) or is computed with a digest of its inputs
 *   (digest.ts); a job whose timing report is missing fails unless that is allowed.
 * - Durations: negative, infinite or absurd (> MAX_SECONDS) entries are warned about and unknown.
 */
export type * from './types.js';
export { readTimingReport, parseTimingReport, type ReadTimingOptions } from './read.js';
export { writeTimingReport } from './write.js';
export { allocateShards, MAX_SHARDS } from './allocate.js';
export { shardTests, loadTimingsFor, estimateWarnings, type ShardTestsOptions, type ShardTestsResult } from './shard-tests.js';
export { computeSplit, planFileOf, writePlanFile, readPlanFile, checkPlanFits } from './plan-file.js';
export { shardRunLine } from './digest.js';
export { MAX_SECONDS, isSeconds } from './durations.js';
export { mergeTimingReports, pruneMissing, DEFAULT_ALPHA, type MergeOptions, type MergeStrategy } from './merge.js';
export { estimateUnknown } from './estimate.js';
export { hashCountShards } from './hash-count.js';
export { adviseShardCount, recommendShardCount, testsIn, type ShardCountRow } from './plan.js';
export { parseTestList, type TestList } from './test-list.js';
export { planJson, planList, planTable, adviceJson, roundSeconds } from './format-plan.js';
