/** Sharding: timing reports (read, write, merge) and the time-balanced allocator. */
export type * from './types.js';
export { readTimingReport, parseTimingReport, type ReadTimingOptions } from './read.js';
export { writeTimingReport, formatTimingReport } from './write.js';
export { allocateShards, timedTests, DEFAULT_BUDGET_MS, type TimedTest } from './allocate.js';
export { shardTests, loadTimings, estimateWarnings, type ShardTestsOptions, type ShardTestsResult } from './shard-tests.js';
export { mergeTimingReports, pruneMissing, DEFAULT_ALPHA, type MergeOptions, type MergeStrategy } from './merge.js';
export { estimateUnknown, DEFAULT_ESTIMATE_SECONDS } from './estimate.js';
export { hashCountShards } from './hash-count.js';
export { greedyLpt } from './lpt.js';
export { adviseShardCount, recommendShardCount, imbalanceOf, RECOMMEND_TOLERANCE, type ShardCountAdvice, type ShardCountRow } from './plan.js';
export { parseTestList, type TestList } from './test-list.js';
export { planJson, planList, planTable, adviceJson, roundSeconds } from './format-plan.js';
