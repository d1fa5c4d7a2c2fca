/**
 * testsift's public API. The CLI and the runner integrations are thin adapters over these
 * functions; each stage's own index.ts is its public face.
 */
export * from './errors.js';
export type * from './changes/types.js';
export type * from './config/types.js';
export type * from './mappings/coverage/types.js';
export type * from './selection/types.js';
export type * from './sharding/types.js';

// Which tests does this change need?
export { detectTests, type DetectOptions, type DetectResult } from './detect.js';
export { builtinStrategies, previousFailuresStrategy } from './selection/strategies/builtin.js';
export { getChangeSet } from './changes/index.js';
export { loadConfig } from './config/index.js';
export { matchStatic, type StaticMatch } from './mappings/static/index.js';
export { selectionJson, selectionList, selectionExplain, DEFAULT_EXPLAIN_LIMIT, type ExplainOptions } from './outputs/index.js';

// Coverage maps.
export { MapBuilder, MemoryCoverageMap, type MapRecord } from './mappings/coverage/model.js';
export { UnionCoverageMap } from './mappings/coverage/union-map.js';
export { loadCoverageMap, readMapRecord, writeCoverageMap, type LoadOptions } from './mappings/coverage/index.js';

// How do we split the tests over N jobs?
export {
  allocateShards,
  shardTests,
  readTimingReport,
  writeTimingReport,
  mergeTimingReports,
  type ReadTimingOptions,
  type MergeOptions,
  type ShardTestsOptions,
  type ShardTestsResult,
} from './sharding/index.js';
