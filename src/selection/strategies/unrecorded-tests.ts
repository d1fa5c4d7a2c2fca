import type { Strategy, StrategyContext, StrategyResult } from '../types.js';

/**
 * A test file the map never recorded (it crashed, was skipped, was added on the target branch
 * since, or the map came from a partial run) may execute the changed code: nobody knows, so it
 * runs. New tests of this change are selected by `changed-test` already.
 */
export const unrecordedTestsStrategy: Strategy<'unrecorded-test'> = {
  name: 'unrecorded-test',
  direct: false,
  reasonsName: 'test',
  describe: () => 'the coverage map never recorded this test, so what it executes is unknown',
  select(ctx: StrategyContext): StrategyResult<'unrecorded-test'> {
    if (!ctx.map) return { groups: [], explained: [] };
    const changed = new Set(ctx.changes.files.map((f) => f.path));
    // The globs run only over the files the map lacks (at scale: a few among 25k).
    const missing = ctx.universeJoin(ctx.map).missing.filter((t) => ctx.isTest(t));
    const tests = missing.filter((t) => !changed.has(t));
    return {
      groups: tests.map((t) => ({ reason: { strategy: 'unrecorded-test', file: t, detail: 'not in the coverage map' }, tests: [t] })),
      explained: [],
    };
  },
};
