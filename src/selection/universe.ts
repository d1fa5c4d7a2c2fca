import type { TestIdTable, UniverseJoin } from './types.js';
import { comparePaths } from './union.js';

/**
 * `StrategyContext.universeJoin` for one detect: one merge of two sorted lists — existing files
 * and the table's names — instead of a Set of 25k names and a lookup per selected test (GitLab
 * scale). Cached per table for this detect only (the context owns it: no module-level cache that
 * outlives the run or ties a join to a universe by identity).
 */
export function universeJoiner(universe: () => readonly string[]): (table: TestIdTable) => UniverseJoin {
  const joins = new Map<TestIdTable, UniverseJoin>();
  return (table) => {
    let join = joins.get(table);
    if (!join) joins.set(table, (join = mergeJoin(table.testNames(), table.testCount, universe())));
    return join;
  };
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
