/**
 * `verify-mapping`: templates that name existing files which are not tests of the universe. detect
 * ignores such a file (it is not a test a rule yields), so the rule maps nothing for that change:
 * usually the template lost its `.test` (`test/%{n}.ts` names the helper `test/a.ts`, not
 * `test/a.test.ts`).
 */
import type { MappingRule } from '../../config/types.js';
import type { FileIndex } from '../../util/files.js';
import { matchStatic } from './index.js';
import type { LintFinding } from './lint.js';

/**
 * Every rule run over every file of the tree (what a change to that file would select), one
 * finding per rule with the first example. `skip` leaves out rules not safe to run (see
 * regex-risk.ts): they are reported on their own.
 */
export function nonTestFindings(
  rules: readonly MappingRule[],
  files: FileIndex,
  isTest: (path: string) => boolean,
  skip: (rule: MappingRule) => boolean = () => false,
): LintFinding[] {
  const runnable = rules.filter((r) => !skip(r));
  const first = new Map<MappingRule, { source: string; test: string; count: number }>();
  for (const m of matchStatic(runnable, files.all(), files)) {
    if (isTest(m.test)) continue;
    const seen = first.get(m.rule);
    if (seen) seen.count++;
    else first.set(m.rule, { source: m.source, test: m.test, count: 1 });
  }
  return runnable.flatMap((rule) => {
    const f = first.get(rule);
    if (!f) return [];
    const more = f.count > 1 ? ` (and ${f.count - 1} more)` : '';
    return [
      {
        file: rule.file,
        line: rule.line,
        source: rule.sources.join(', '),
        message: `test template(s) ${rule.tests.map((t) => `'${t}'`).join(', ')} give ${f.test} for ${f.source}${more}: an existing file that is not a test of the universe (tests: globs), so detect selects nothing for it; fix the template or the tests: globs`,
      },
    ];
  });
}
