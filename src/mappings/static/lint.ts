/**
 * Lint for tests.yml sources: mistakes that make a rule match the wrong paths without any error.
 */
import type { MappingRule } from '../../config/types.js';
import { regexRisk } from './regex-risk.js';

export interface LintFinding {
  file: string;
  line: number;
  /** The source regex as written. */
  source: string;
  message: string;
  /** A corrected source, when there is an obvious one. */
  suggestion?: string;
}

/** Positions of `.` and `|` that are outside escapes, classes and groups. */
function scanTopLevel(src: string): { dots: number[]; bars: number[] } {
  const dots: number[] = [];
  const bars: number[] = [];
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      if (src[i + 1] === '^') i++;
      if (src[i + 1] === ']') i++;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '.') dots.push(i);
    else if (c === '|' && depth === 0) bars.push(i);
  }
  return { dots, bars };
}

/** Findings for one source regex. */
export function lintSource(source: string): Array<Pick<LintFinding, 'message' | 'suggestion'>> {
  const found: Array<Pick<LintFinding, 'message' | 'suggestion'>> = [];
  const { dots, bars } = scanTopLevel(source);
  const last = dots[dots.length - 1];
  // `app/(.+).rb`: the `.` before the extension matches any character (`app/foo_rb` too).
  if (last !== undefined && /^\w+\$?$/.test(source.slice(last + 1))) {
    const suggestion = `${source.slice(0, last)}\\${source.slice(last)}`;
    found.push({
      message: `unescaped '.' before the extension '${source.slice(last + 1)}' matches any character; escape it`,
      suggestion,
    });
  }
  // tff builds /^#{source}$/ with no group, so `a|b` means "starts with a, or ends with b".
  if (bars.length > 0) {
    found.push({
      message: "top-level '|': tff anchors it as ^a|b$ (starts with a OR ends with b); wrap the alternatives in (?:…)",
      suggestion: `(?:${source})`,
    });
  }
  // detect refuses to run such a source (the full suite runs): say so where it can be fixed.
  const risk = regexRisk(source);
  if (risk) {
    found.push({
      message: `${risk} can take exponential time on a crafted path; detect does not run this rule and runs the full suite. Make the repeats unable to share characters (e.g. '(?:[^/]+/)*' for '(?:.+/)*'), or use an atomic group '(?>…)'`,
    });
  }
  return found;
}

/** Whether any source of a rule has a shape regex-risk.ts flags (such rules are not run over a tree). */
export function isRiskyRule(rule: MappingRule): boolean {
  return rule.sources.some((s) => regexRisk(s) !== undefined);
}

export function lintMapping(rules: readonly MappingRule[]): LintFinding[] {
  const out: LintFinding[] = [];
  for (const rule of rules) {
    rule.sources.forEach((source, i) => {
      for (const f of lintSource(source)) {
        out.push({ file: rule.file, line: rule.sourceLines?.[i] ?? rule.line, source, ...f });
      }
    });
  }
  return out;
}
