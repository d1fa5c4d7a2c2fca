import type { BuiltinStrategyName, Strategy } from '../types.js';
import { changedTestsStrategy } from './changed-tests.js';
import { coverageMapStrategy } from './coverage-map.js';
import { staticMappingStrategy } from './static-mapping.js';
import { unrecordedTestsStrategy } from './unrecorded-tests.js';

/**
 * What `detect` runs unless told otherwise (`DetectOptions.strategies`), in this order: the
 * order of each test's reasons. `previous-failure` joins when reports are given.
 */
export const builtinStrategies: readonly Strategy<BuiltinStrategyName>[] = [changedTestsStrategy, staticMappingStrategy, coverageMapStrategy, unrecordedTestsStrategy];

export { previousFailuresStrategy } from './previous-failures.js';
