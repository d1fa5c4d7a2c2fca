/**
 * Ruby (Onigmo) regex source → JavaScript RegExp, for tests.yml sources.
 *
 * tff builds `/^#{source}$/` in Ruby and calls `match` on a repo-relative path. We translate the
 * source token by token so the JS regex accepts exactly the same paths, and refuse (with a reason)
 * whatever has no exact JS equivalent, rather than guess. Paths never contain a newline, so Ruby's
 * line anchors `^ $` and JS's string anchors agree.
 *
 * Two halves: ruby-regex-lexer.ts reads Ruby's syntax into tokens, ruby-regex-emitter.ts writes
 * the JS pattern (group numbering, quantifiers, the refusals that depend on the whole pattern).
 *
 * Possessive quantifiers and atomic groups are emulated exactly with a capturing lookahead and a
 * backreference (JS lookaheads never backtrack). What JS cannot reproduce is Onigmo's handling of
 * an empty loop iteration, so a repeat over something that can match "" is refused.
 *
 * Checked against Ruby 3.1.2 by scripts/ruby-regex-diff.mjs (`npm run check:ruby-regex`): the
 * tests.yml sources we know and ~4000 random patterns, ~40 paths each, matches and captures. The
 * differences it still shows (none in real tests.yml files): Onigmo's full case folding under (?i)
 * (`ß` matches "ss"; its \w takes no ſ or K), a backreference to a group that did not take part
 * (Ruby fails, JavaScript matches ""), and V8 trying an empty top-level branch inside a surrogate
 * pair.
 */
import { Emitter, NUMBERED_GROUP_PREFIX, type TranslatedRegex } from './ruby-regex-emitter.js';
import { hasNamedGroup, lexRubyRegex, RubyRegexError } from './ruby-regex-lexer.js';

export { NUMBERED_GROUP_PREFIX, RubyRegexError, type TranslatedRegex };

/** Translate a Ruby regex source; throws RubyRegexError with the reason. */
export function translateRubyRegex(src: string): TranslatedRegex {
  // With a named group anywhere, Ruby's plain groups stop capturing: decide the mode first.
  const emitter = new Emitter(hasNamedGroup(src));
  for (const token of lexRubyRegex(src)) emitter.emit(token);
  return emitter.finish();
}

export interface CompiledSource {
  /** As written in tests.yml. */
  source: string;
  /** `^source$` in JS. */
  regex: RegExp;
  names: string[];
  groupCount: number;
}

/** Compile a tests.yml source the way tff does (`/^#{source}$/`). */
export function compileRubySource(source: string): CompiledSource {
  const t = translateRubyRegex(source);
  let regex: RegExp;
  try {
    // Plain concatenation, like tff: a top-level `a|b` becomes `^a|b$` there too.
    regex = new RegExp(`^${t.pattern}$`, t.flags);
  } catch (err) {
    // V8 says "Invalid regular expression: /<pattern>/<flags>: <reason>"; keep the reason and
    // show our translation separately, so the user sees both what they wrote and what failed.
    const msg = err instanceof Error ? err.message : String(err);
    const why = msg.slice(msg.lastIndexOf(': ') + 2) || msg;
    throw new RubyRegexError(`not a valid regex: ${why} (as JavaScript: /^${t.pattern}$/${t.flags})`);
  }
  return { source, regex, names: t.names, groupCount: t.groupCount };
}

/** Captured values of a match, Ruby style: a group that did not participate is "". */
export function capturesOf(compiled: CompiledSource, m: RegExpExecArray): { named: Map<string, string>; positional: string[] } {
  const groups = m.groups ?? {};
  const named = new Map<string, string>();
  for (const n of compiled.names) named.set(n, groups[n] ?? '');
  const positional: string[] = [];
  for (let k = 1; k <= compiled.groupCount; k++) positional.push(groups[`${NUMBERED_GROUP_PREFIX}${k}`] ?? '');
  return { named, positional };
}
