import { readFileSync } from 'node:fs';
import { listFiles } from '../../util/list-files.js';
import { describeCase, makePlacer } from '../junit-place.js';
import { readJUnitReport, type JUnitCase } from '../junit.js';
import type { Strategy, StrategyContext, StrategyResult } from '../types.js';

/**
 * Tests that failed in a previous run (JUnit XML from `--previous-failures`) run again, as in
 * GitLab's rerun-previous-failed-tests job. The report only adds tests, it never explains a
 * change, so:
 * - a missing report is a warning: the artifact is legitimately absent when there was no
 *   previous run (or it passed and kept no report);
 * - a report that exists but cannot be read, is empty, or is not well-formed JUnit XML (a job
 *   killed mid-write, a reporter that does not escape quotes) is a full-suite reason: a report
 *   was written, so tests may have failed, and we can no longer say which. Whatever failures it
 *   does show are still selected;
 * - a failed case that names no test of the universe (another checkout's absolute path is
 *   placed by its longest suffix first) is a full-suite reason naming the case: dropping it
 *   would skip a test known to fail.
 */
export function previousFailuresStrategy(reports: readonly string[]): Strategy<'previous-failure'> {
  return {
    name: 'previous-failure',
    // A failure is where to look first, but not a test mapped to the change.
    direct: false,
    reasonsName: 'test',
    describe: (r) => `failed in the previous run (${r.detail})`,
    select(ctx: StrategyContext): StrategyResult<'previous-failure'> {
      const groups: StrategyResult<'previous-failure'>['groups'] = [];
      const warnings: string[] = [];
      const fullSuiteReasons: string[] = [];
      let place: ReturnType<typeof makePlacer> | undefined;
      const placer = () => (place ??= makePlacer({ universe: new Set(ctx.universe()), changes: ctx.changes.files }));
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
        const parsed = readJUnitReport(xml);
        if (parsed.problem) {
          fullSuiteReasons.push(
            `previous failures: ${report} is not a well-formed JUnit report (${parsed.problem}): which tests failed before is unknown, so the full suite runs`,
          );
        }
        const unplaced: JUnitCase[] = [];
        for (const c of parsed.failed) {
          const p = placer()(c);
          if (p.kind === 'tests') {
            for (const t of p.tests) groups.push({ reason: { strategy: 'previous-failure', file: t, detail: `${report}:${c.line}` }, tests: [t] });
          } else if (p.kind === 'deleted') {
            warnings.push(`previous failures: ${report}: ${describeCase(c)} failed in ${p.path}, which this change deletes: nothing to run again`);
          } else {
            unplaced.push(c);
          }
        }
        if (unplaced.length > 0) {
          fullSuiteReasons.push(
            `previous failures: ${report}: failed test case ${listFiles(unplaced.map(describeCase))} names no test file of the test universe ` +
              `(looked at its file, classname and name, and their path suffixes; jest-junit needs addFileAttribute: true): which test to run again is unknown, so the full suite runs`,
          );
        }
      }
      // Reasons go to stderr as warnings too, like an unusable coverage map's.
      return { groups, explained: [], warnings: [...warnings, ...fullSuiteReasons], fullSuiteReasons };
    },
  };
}
