/**
 * Stale-rule check for `verify-mapping --stale`: parts of a tests.yml that no longer point at
 * anything in the tree, usually after a rename. Hand-curated test lists rot silently otherwise.
 */
import type { MappingRule } from '../../config/types.js';
import type { FileIndex } from '../../util/files.js';
import { compileRule } from './compile.js';
import { isRiskyRule, type LintFinding } from './lint.js';
import { rubyGlob } from './ruby-glob.js';

export function staleFindings(rules: readonly MappingRule[], files: FileIndex): LintFinding[] {
  const out: LintFinding[] = [];
  const all = files.all();
  for (const rule of rules) {
    const c = compileRule(rule);
    // A source that can backtrack for minutes is not run over every file (lint reports it).
    if (!isRiskyRule(rule))
      c.sources.forEach((src, i) => {
        if (!all.some((f) => src.regex.test(f))) {
          out.push({ file: rule.file, line: rule.sourceLines?.[i] ?? rule.line, source: src.source, message: 'matches no file in the tree (renamed or removed?)' });
        }
      });
    for (const t of c.templates) {
      // Only fixed templates can be judged: one with %{…}/%s depends on the changed path.
      if (t.names.length > 0 || t.positional > 0) continue;
      const path = t.text.replace(/%%/g, '%');
      const found = t.glob ? rubyGlob(files, path).length > 0 : files.exists(path.replace(/^(?:\.\/)+/, ''));
      if (!found) {
        out.push({
          file: rule.file,
          line: rule.line,
          source: rule.sources.join(', '),
          message: t.glob ? `test glob '${t.text}' matches no file` : `test '${t.text}' does not exist`,
        });
      }
    }
  }
  return out;
}
