import type { CoverageMap } from '../../mappings/coverage/types.js';
import type { Strategy, StrategyContext, StrategyResult } from '../types.js';
import { testTable, universeJoin } from '../universe.js';

/**
 * The tests a map recorded, when the map can list them. Recorders register every test file they
 * ran, even one that executed nothing else.
 */
export function recordedTests(map: CoverageMap): Set<string> | undefined {
  const tests = map.recordedTests?.();
  return tests ? new Set(tests) : undefined;
}

/**
 * A test file the map never recorded (it crashed, was skipped, was added on the target branch
 * since, or the map came from a partial run) may execute the changed code: nobody knows, so it
 * runs. New tests of this change are selected by `changed-test` already.
 */
export const unrecordedTestsStrategy: Strategy = {
  name: 'unrecorded-test',
  select(ctx: StrategyContext): StrategyResult {
    if (!ctx.map) return { groups: [], explained: [] };
    const changed = new Set(ctx.changes.files.map((f) => f.path));
    let missing: readonly string[];
    const table = testTable(ctx.map);
    if (table) {
      // The globs run only over the files the map lacks (at scale: a few among 25k).
      missing = universeJoin(table, ctx.testFolderFiles()).missing.filter((t) => ctx.isTest(t));
    } else {
      const recorded = recordedTests(ctx.map);
      if (!recorded) {
        return { groups: [], explained: [], warnings: ['the coverage map cannot list its tests, so tests it never recorded are not added'] };
      }
      missing = ctx.universe().filter((t) => !recorded.has(t));
    }
    const tests = missing.filter((t) => !changed.has(t));
    return {
      groups: tests.map((t) => ({ reason: { strategy: 'unrecorded-test', file: t, detail: 'not in the coverage map' }, tests: [t] })),
      explained: [],
    };
  },
};
