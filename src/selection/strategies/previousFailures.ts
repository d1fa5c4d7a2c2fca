import { readFileSync } from 'node:fs';
import { parseJUnitFailures } from '../junit.js';
import type { Strategy, StrategyContext, StrategyResult } from '../types.js';

/**
 * Tests that failed in a previous run (JUnit XML from `--previous-failures`) run again, as in
 * GitLab's rerun-previous-failed-tests job. The report only adds tests, it never explains a
 * change, so:
 * - a missing report is a warning: the artifact is legitimately absent when there was no
 *   previous run (or it passed and kept no report);
 * - a report that exists but cannot be read, or is not a well-formed JUnit document (a job killed
 *   mid-write leaves one cut off), is a full-suite reason: a report was written, so tests may have
 *   failed, and we can no longer say which. Whatever failures it does show are still selected.
 */
export function previousFailuresStrategy(reports: readonly string[]): Strategy {
  return {
    name: 'previous-failure',
    select(ctx: StrategyContext): StrategyResult {
      const groups: StrategyResult['groups'] = [];
      const warnings: string[] = [];
      const fullSuiteReasons: string[] = [];
      for (const report of reports) {
        let xml: string;
        try {
          xml = readFileSync(report, 'utf8');
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'ENOENT') {
            warnings.push(`previous failures: ${report} not found, so no previously failed tests are added (fine if there was no previous run)`);
          } else {
            const why = code === 'EISDIR' ? 'it is a directory' : (code ?? (err as Error).message);
            fullSuiteReasons.push(`previous failures: cannot read ${report} (${why}): which tests failed before is unknown, so the full suite runs`);
          }
          continue;
        }
        const parsed = parseJUnitFailures(xml, ctx.root);
        if (parsed.problem) {
          fullSuiteReasons.push(
            `previous failures: ${report} is not a well-formed JUnit report (${parsed.problem}): which tests failed before is unknown, so the full suite runs`,
          );
        }
        const tests = parsed.files.filter((f) => ctx.isTest(f) && ctx.files.exists(f));
        for (const t of tests) groups.push({ reason: { strategy: 'previous-failure', file: t, detail: report }, tests: [t] });
      }
      // Reasons go to stderr as warnings too, like an unusable coverage map's.
      return { groups, explained: [], warnings: [...warnings, ...fullSuiteReasons], fullSuiteReasons };
    },
  };
}
