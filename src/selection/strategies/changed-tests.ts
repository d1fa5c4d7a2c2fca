import type { Strategy, StrategyContext, StrategyResult } from '../types.js';

/** A changed or added test file selects itself (a deleted one cannot run; a renamed one runs under its new path). */
export const changedTestsStrategy: Strategy<'changed-test'> = {
  name: 'changed-test',
  direct: true,
  reasonsName: 'changed-file',
  describe: (r) => `the test itself changed (${r.detail ?? 'modified'})`,
  select(ctx: StrategyContext): StrategyResult<'changed-test'> {
    const groups: StrategyResult<'changed-test'>['groups'] = [];
    const explained: string[] = [];
    for (const f of ctx.changes.files) {
      if (!ctx.isTest(f.path)) continue;
      explained.push(f.path);
      if (f.status !== 'deleted') {
        groups.push({ reason: { strategy: 'changed-test', file: f.path, detail: f.status }, tests: [f.path] });
      }
    }
    return { groups, explained };
  },
};
