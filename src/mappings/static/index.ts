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

/**
 * tff semantics (DESIGN §2.1): every source regex of a rule × every test template; a template
 * with glob syntax in its literal text expands over existing files (Ruby Dir.glob rules), any
 * other template is kept only if that file exists. Returns files only, one match per
 * (changed path, test, rule), ordered by changed path (as given), then rule order, then test.
 * Throws MappingError for a rule whose regex or template is invalid.
 */
export function matchStatic(rules: readonly MappingRule[], paths: readonly string[], files: FileIndex): StaticMatch[] {
  const compiled = rules.map(compileRule);
  const out: StaticMatch[] = [];
  const uniquePaths = [...new Set(paths)];
  for (const path of uniquePaths) {
    for (const c of compiled) {
      const seen = new Map<string, string>();
      for (const src of c.sources) {
        const m = src.regex.exec(path);
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
  if (glob) return p.replace(/\/{2,}/g, '/').replace(/^(?:\.\/)+/, '').replace(/\/(?:\.\/)+/g, '/');
  const n = posix.normalize(p);
  return n.startsWith('./') ? n.slice(2) : n;
}

/** The distinct test files of a match list, sorted. */
export function testsOf(matches: readonly StaticMatch[]): string[] {
  return [...new Set(matches.map((m) => m.test))].sort();
}
