import { posix } from 'node:path';
import type { MappingRule } from '../../config/types.js';
import type { FileIndex } from '../../util/files.js';
import { compileRule } from './compile.js';
import { capturesOf } from '../../config/ruby-regex.js';
import { renderTemplate } from '../../config/template.js';
import { rubyGlob } from './ruby-glob.js';

/** One tests.yml hit: changed `source` path → existing `test` file, through `rule`. */
export interface StaticMatch {
  source: string;
  test: string;
  rule: MappingRule;
  /** The template that produced the test (after substitution). */
  template: string;
}

/** A rule's regexes took longer than the budget over the changed paths: the rule and the time. */
export class RuleBudgetError extends Error {
  constructor(
    readonly rule: MappingRule,
    readonly source: string,
    readonly spentMs: number,
    readonly budgetMs: number,
  ) {
    super(`source '${source}' of ${rule.file}:${rule.line} took ${Math.round(spentMs)} ms (budget ${budgetMs} ms) over the changed paths`);
    this.name = 'RuleBudgetError';
  }
}

export interface MatchOptions {
  /**
   * Time a rule's source regexes may take together over all paths; past it RuleBudgetError.
   * Checked after each match call (a single call cannot be interrupted: regex-risk.ts keeps the
   * shapes that explode out). Absent: no limit (tff).
   */
  budgetMs?: number;
  /** The clock (tests). Default: performance.now. */
  now?: () => number;
}

/**
 * tff semantics (docs/formats.md): every source regex of a rule × every test template; a template
 * with glob syntax in its literal text expands over existing files (Ruby Dir.glob rules), any
 * other template is kept only if that file exists. Returns files only, one match per
 * (changed path, test, rule), ordered by changed path (as given), then rule order, then test.
 * Throws MappingError for a rule whose regex or template is invalid.
 */
export function matchStatic(rules: readonly MappingRule[], paths: readonly string[], files: FileIndex, opts: MatchOptions = {}): StaticMatch[] {
  const compiled = rules.map(compileRule);
  const out: StaticMatch[] = [];
  const uniquePaths = [...new Set(paths)];
  const { budgetMs } = opts;
  const now = opts.now ?? (() => performance.now());
  const spent = new Float64Array(compiled.length);
  const exec = (ci: number, re: RegExp, source: string, path: string): RegExpExecArray | null => {
    if (budgetMs === undefined) return re.exec(path);
    const t0 = now();
    const m = re.exec(path);
    spent[ci]! += now() - t0;
    if (spent[ci]! > budgetMs) throw new RuleBudgetError(compiled[ci]!.rule, source, spent[ci]!, budgetMs);
    return m;
  };
  for (const path of uniquePaths) {
    for (let ci = 0; ci < compiled.length; ci++) {
      const c = compiled[ci]!;
      const seen = new Map<string, string>();
      for (const src of c.sources) {
        const m = exec(ci, src.regex, src.source, path);
        if (!m) continue;
        const { named, positional } = capturesOf(src, m);
        for (const t of c.templates) {
          const filled = normalizeTemplatePath(renderTemplate(t, named, positional), t.glob);
          const tests = t.glob ? rubyGlob(files, filled) : files.exists(filled) ? [filled] : [];
          for (const test of tests) if (!seen.has(test)) seen.set(test, filled);
        }
      }
      const tests = [...seen.keys()].sort();
      for (const test of tests) out.push({ source: path, test, rule: c.rule, template: seen.get(test)! });
    }
  }
  return out;
}

/**
 * `./spec/x`, `spec//x` (an empty capture between slashes) and `spec/a/../x` name files that
 * File.exist? and Dir.glob find in tff; our index holds the normalised repo-relative spelling.
 */
function normalizeTemplatePath(p: string, glob: boolean): string {
  if (glob)
    return p
      .replace(/\/{2,}/g, '/')
      .replace(/^(?:\.\/)+/, '')
      .replace(/\/(?:\.\/)+/g, '/');
  const n = posix.normalize(p);
  return n.startsWith('./') ? n.slice(2) : n;
}

/** The distinct test files of a match list, sorted. */
export function testsOf(matches: readonly StaticMatch[]): string[] {
  return [...new Set(matches.map((m) => m.test))].sort();
}
