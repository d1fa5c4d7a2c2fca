/** testsift's public API. Stages export their public face from their own index.ts. */
export * from './errors.js';
export type * from './changes/types.js';
export type * from './config/types.js';
export type * from './mappings/coverage/types.js';
export type * from './selection/types.js';
export type * from './sharding/types.js';
export { MapBuilder, MemoryCoverageMap, type MapRecord } from './mappings/coverage/model.js';
