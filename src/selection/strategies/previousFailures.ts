import { readFailedFiles } from '../junit.js';
import type { Strategy, StrategyContext, StrategyResult } from '../types.js';

/**
 * Tests that failed in a previous run (JUnit XML from `--previous-failures`) run again, as in
 * GitLab's rerun-previous-failed-tests job. A missing report is a warning: it adds tests, it never
 * explains a change, so losing it cannot hide a needed test of this diff.
 */
export function previousFailuresStrategy(reports: readonly string[]): Strategy {
  return {
    name: 'previous-failure',
    select(ctx: StrategyContext): StrategyResult {
      const groups: StrategyResult['groups'] = [];
      const warnings: string[] = [];
      for (const report of reports) {
        let files: string[];
        try {
          files = readFailedFiles(report, ctx.root);
        } catch (err) {
          warnings.push(`previous failures: cannot read ${report}: ${(err as Error).message}`);
          continue;
        }
        const tests = files.filter((f) => ctx.isTest(f) && ctx.files.exists(f));
        for (const t of tests) groups.push({ reason: { strategy: 'previous-failure', file: t, detail: report }, tests: [t] });
      }
      return { groups, explained: [], warnings };
    },
  };
}
