import type { CoverageMap } from '../mappings/coverage/types.js';
import type { TestIdTable } from './types.js';
import { comparePaths } from './union.js';

/** How a map's test table meets a sorted list of existing files (the test folders). */
export interface UniverseJoin {
  /** Bitset over the table's ids: the test is in the list, so it exists. */
  present: Uint32Array;
  /** Files of the list the table does not have (the map never recorded them, if they are tests). */
  missing: string[];
}

/** The map's test table, when it has the integer API (its names sorted by id). */
export function testTable(map: CoverageMap): TestIdTable | undefined {
  return map.testNames && map.testNamesOf && map.testCount !== undefined ? (map as TestIdTable) : undefined;
}

const joins = new WeakMap<TestIdTable, { universe: readonly string[]; join: UniverseJoin }>();

/**
 * One merge of two sorted lists — existing files and the table's names — instead of a Set of
 * 25k names and a lookup per selected test (GitLab scale). Cached per table and universe, so
 * the unrecorded-test strategy and the existence filter share it.
 */
export function universeJoin(table: TestIdTable, universe: readonly string[]): UniverseJoin {
  const hit = joins.get(table);
  if (hit && hit.universe === universe) return hit.join;
  const join = mergeJoin(table.testNames(), table.testCount, universe);
  joins.set(table, { universe, join });
  return join;
}

// The merge loop runs once per detect; a cache hit must not call it again, or V8 compiles the
// loop a second time (it had already optimised it mid-loop).
function mergeJoin(names: readonly string[], testCount: number, universe: readonly string[]): UniverseJoin {
  const present = new Uint32Array((testCount + 31) >>> 5);
  const missing: string[] = [];
  let i = 0;
  let j = 0;
  while (i < universe.length) {
    const file = universe[i];
    // Equal is the common case (a map of the tests on disk): one comparison, not two.
    if (j < names.length && file === names[j]) {
      present[j >>> 5] |= 1 << (j & 31);
      i++;
      j++;
    } else if (j >= names.length || comparePaths(file, names[j]) < 0) {
      missing.push(file);
      i++;
    } else j++;
  }
  return { present, missing };
}
