/**
 * Ruby (Onigmo) regex source → JavaScript RegExp, for tests.yml sources.
 *
 * tff builds `/^#{source}$/` in Ruby and calls `match` on a repo-relative path. We translate the
 * source token by token so the JS regex accepts exactly the same paths, and refuse (with a reason)
 * whatever has no exact JS equivalent, rather than guess. Paths never contain a newline, so Ruby's
 * line anchors `^ $` and JS's string anchors agree.
 *
 * Possessive quantifiers and atomic groups are emulated exactly with a capturing lookahead and a
 * backreference (JS lookaheads never backtrack). What JS cannot reproduce is Onigmo's handling of
 * an empty loop iteration, so a repeat over something that can match "" is refused (see Frame).
 * The translation was checked against Ruby 3.1 on random regexes and paths (matches and captures).
 *
 * Capture handling mirrors Ruby: when a pattern has a named group, plain `( )` groups do not
 * capture at all; otherwise plain groups are numbered. To keep numbering stable while we add helper
 * groups (atomic-group emulation), every capture in the output is named: Ruby group N becomes
 * `(?<__ts_gN>…)`, helpers are `(?<__ts_aN>…)`.
 */

/** A source regex that cannot be translated; the message says why (no file position). */
export class RubyRegexError extends Error {}

export interface TranslatedRegex {
  /** JS pattern (without the ^…$ anchoring tff adds). */
  pattern: string;
  flags: string;
  /** Ruby named groups, in order of appearance (empty: numbered mode). */
  names: string[];
  /** Numbered mode: how many capturing groups (`%s` slots) Ruby would report. */
  groupCount: number;
}

export const NUMBERED_GROUP_PREFIX = '__ts_g';
const HELPER_GROUP_PREFIX = '__ts_a';

const SYNTAX_CHARS = new Set('^$\\.*+?()[]{}|/'.split(''));
/** Ruby's \s is ASCII-only; JS's is Unicode, so spell it out. */
const RUBY_SPACE = '\\t\\n\\v\\f\\r ';
const HEX = '0-9a-fA-F';

/** POSIX bracket classes inside a character class (Ruby applies them with Unicode meaning). */
const POSIX_CLASSES: Record<string, string> = {
  alpha: '\\p{Alphabetic}',
  digit: '\\p{Nd}',
  alnum: '\\p{Alphabetic}\\p{Nd}',
  upper: '\\p{Uppercase}',
  lower: '\\p{Lowercase}',
  space: '\\p{White_Space}',
  xdigit: HEX,
  word: '\\p{L}\\p{M}\\p{Nd}\\p{Pc}',
};

/** General categories spell the same in Onigmo and JS; other \p names differ, so we refuse them. */
const GENERAL_CATEGORY =
  /^(?:L|Lu|Ll|Lt|Lm|Lo|M|Mn|Mc|Me|N|Nd|Nl|No|P|Pc|Pd|Ps|Pe|Pi|Pf|Po|S|Sm|Sc|Sk|So|Z|Zs|Zl|Zp|C|Cc|Cf|Co|Cn)$/;

const RUBY_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

type Group =
  | { kind: 'plain'; start: number; zeroWidth?: boolean }
  | { kind: 'atomic'; start: number; helper: string };

/**
 * Can the alternatives of a group (or the whole pattern) match the empty string? Needed because
 * Onigmo and JS treat an empty loop iteration differently: Onigmo leaves the loop, JS rejects
 * the iteration and backtracks into it for a non-empty one. A repeat over something that can
 * match empty can therefore pick a different match (and, possessive or atomic, a different
 * answer), so we refuse it instead of guessing.
 */
interface Frame {
  /** Every item of the current alternative so far can match empty. */
  altNullable: boolean;
  /** Some finished alternative can match empty. */
  anyNullable: boolean;
}

function literalChar(c: string, inClass: boolean): string {
  if (SYNTAX_CHARS.has(c)) return `\\${c}`;
  if (c === '-' && inClass) return '\\-';
  return c;
}

/** Translate. `namedMode`: the pattern has a named group (see hasNamedGroup). */
function translatePass(src: string, namedMode: boolean): TranslatedRegex {
  let out = '';
  let i = 0;
  let flags = 'u';
  let dotAll = false;
  const names: string[] = [];
  let groupCount = 0;
  let helperCount = 0;
  const stack: Group[] = [];
  /** Output offset where the most recent quantifiable atom starts (-1: none). */
  let atomStart = -1;
  const frames: Frame[] = [{ altNullable: true, anyNullable: false }];
  /** Nullability of the last item, not yet folded into its frame (undefined: none pending). */
  let pending: boolean | undefined;
  const commit = (): void => {
    if (pending !== undefined) frames[frames.length - 1]!.altNullable &&= pending;
    pending = undefined;
  };
  /** Start a new item (atom or zero-width assertion). */
  const item = (nullable: boolean): void => {
    commit();
    pending = nullable;
  };
  const checkRepeat = (max: number, what: string): void => {
    if (pending && max > 1) {
      fail(
        `\`${what}\` repeats something that can match the empty string; Ruby and JavaScript handle an empty ` +
          'loop iteration differently and can pick different matches. Make the repeated part match at least one character',
      );
    }
  };
  let leading = true;

  const fail = (msg: string): never => {
    throw new RubyRegexError(msg);
  };

  /** Wrap out[from..] as an atomic group: a lookahead captures, a backreference consumes. */
  const makeAtomic = (from: number): void => {
    const h = `${HELPER_GROUP_PREFIX}${++helperCount}`;
    out = `${out.slice(0, from)}(?:(?=(?<${h}>${out.slice(from)}))\\k<${h}>)`;
  };

  const readEscape = (inClass: boolean): string => {
    // src[i] is the backslash.
    const c = src[i + 1];
    if (c === undefined) fail('the regex ends with a lone backslash');
    i += 2;
    switch (c) {
      case 'A':
        if (inClass) fail('\\A inside a character class');
        return '^';
      case 'z':
      case 'Z':
        if (inClass) fail(`\\${c} inside a character class`);
        return '$';
      case 'h':
        return inClass ? HEX : `[${HEX}]`;
      case 'H':
        if (inClass) fail('\\H inside a character class has no JavaScript equivalent; write the negated class out');
        return `[^${HEX}]`;
      case 's':
        return inClass ? RUBY_SPACE : `[${RUBY_SPACE}]`;
      case 'S':
        if (inClass) fail('\\S inside a character class has no exact JavaScript equivalent');
        return `[^${RUBY_SPACE}]`;
      case 'd':
      case 'D':
      case 'w':
      case 'W':
      case 'n':
      case 't':
      case 'r':
      case 'f':
      case 'v':
        return `\\${c}`;
      case 'b':
      case 'B':
        if (inClass && c === 'B') fail('\\B inside a character class');
        return `\\${c}`;
      case 'e':
        return '\\x1B';
      case 'a':
        return '\\x07';
      case 'x': {
        const m = /^[0-9a-fA-F]{1,2}/.exec(src.slice(i));
        if (!m) fail('\\x must be followed by hex digits');
        i += m![0].length;
        return `\\x${m![0].padStart(2, '0')}`;
      }
      case 'u': {
        const braced = /^\{([0-9a-fA-F]{1,6})\}/.exec(src.slice(i));
        if (braced) {
          i += braced[0].length;
          return `\\u{${braced[1]}}`;
        }
        const four = /^[0-9a-fA-F]{4}/.exec(src.slice(i));
        if (!four) fail('\\u must be followed by 4 hex digits or {codepoint} (one code point)');
        i += 4;
        return `\\u${four![0]}`;
      }
      case '0': {
        const m = /^[0-7]{0,2}/.exec(src.slice(i))!;
        i += m[0].length;
        return `\\x${parseInt(`0${m[0]}`, 8).toString(16).padStart(2, '0')}`;
      }
      case 'p':
      case 'P': {
        const m = /^\{(\^?)([^}]*)\}/.exec(src.slice(i));
        if (!m) fail(`\\${c} must be followed by {Property}`);
        i += m![0].length;
        if (!GENERAL_CATEGORY.test(m![2])) {
          fail(`\\${c}{${m![2]}}: only general categories (L, Lu, N, Nd, P, …) mean the same in Ruby and JavaScript`);
        }
        const negate = (c === 'P') !== (m![1] === '^');
        return `\\${negate ? 'P' : 'p'}{${m![2]}}`;
      }
      case 'k': {
        if (inClass) fail('\\k inside a character class');
        const m = /^(?:<([^>]*)>|'([^']*)')/.exec(src.slice(i));
        if (!m) fail('\\k must be followed by <name>');
        i += m![0].length;
        const name = m![1] ?? m![2]!;
        if (!RUBY_NAME.test(name)) fail(`\\k<${name}>: only backreferences by group name are supported`);
        return `\\k<${name}>`;
      }
      default:
        break;
    }
    if (c >= '1' && c <= '9') {
      if (inClass) fail(`\\${c} inside a character class (octal escapes are not supported)`);
      if (namedMode) fail(`numbered backreference \\${c} in a pattern with named groups (Ruby rejects it too; use \\k<name>)`);
      const m = /^[0-9]*/.exec(src.slice(i))!;
      i += m[0].length;
      const n = Number(c + m[0]);
      if (n > groupCount) fail(`backreference \\${n} refers to a group that is not defined before it`);
      return `\\k<${NUMBERED_GROUP_PREFIX}${n}>`;
    }
    if (/[A-Za-z]/.test(c!)) {
      const known: Record<string, string> = {
        G: '\\G (match start anchor)',
        K: '\\K (keep)',
        R: '\\R (linebreak)',
        X: '\\X (grapheme cluster)',
        g: '\\g<…> (subexpression call)',
        O: '\\O (any char)',
        y: '\\y (grapheme boundary)',
        Y: '\\Y (grapheme boundary)',
        o: '\\o{…} (octal)',
        c: '\\c (control char)',
        C: '\\C- (control char)',
        M: '\\M- (meta char)',
      };
      fail(`${known[c!] ?? `\\${c}`} is Ruby-only syntax with no JavaScript equivalent`);
    }
    // An escaped punctuation character is that character, literally.
    return literalChar(c!, inClass);
  };

  const readClass = (): string => {
    // src[i] is '['.
    let s = '[';
    i++;
    if (src[i] === '^') {
      s += '^';
      i++;
    }
    let first = true;
    for (;;) {
      const c = src[i];
      if (c === undefined) fail('unterminated character class `[`');
      if (c === ']' && !first) {
        i++;
        return `${s}]`;
      }
      first = false;
      if (c === '\\') {
        s += readEscape(true);
        continue;
      }
      if (c === '[') {
        const posix = /^\[:(\^?)([a-z]+):\]/.exec(src.slice(i));
        if (posix) {
          const cls = POSIX_CLASSES[posix[2]!];
          if (!cls || posix[1]) fail(`POSIX class [:${posix[1]}${posix[2]}:] is not supported; write the characters out`);
          s += cls;
          i += posix[0].length;
          continue;
        }
        fail('nested character classes `[[…]]` are Ruby-only syntax');
      }
      if (c === '&' && src[i + 1] === '&') fail('character class intersection `&&` is Ruby-only syntax');
      s += c === ']' ? '\\]' : c;
      i++;
    }
  };

  const readGroupOpen = (): void => {
    // src[i] is '('.
    const start = out.length;
    const rest = src.slice(i);
    if (!rest.startsWith('(?')) {
      i++;
      if (namedMode) {
        out += '(?:';
      } else {
        groupCount++;
        out += `(?<${NUMBERED_GROUP_PREFIX}${groupCount}>`;
      }
      stack.push({ kind: 'plain', start });
      frames.push({ altNullable: true, anyNullable: false });
      return;
    }
    const named = /^\(\?(?:<([^>=!]*)>|'([^']*)')/.exec(rest);
    if (named) {
      const name = named[1] ?? named[2]!;
      if (!RUBY_NAME.test(name)) fail(`invalid group name '${name}'`);
      if (name.startsWith('__ts_')) fail(`group names starting with __ts_ are reserved`);
      i += named[0].length;
      names.push(name);
      out += `(?<${name}>`;
      stack.push({ kind: 'plain', start });
      frames.push({ altNullable: true, anyNullable: false });
      return;
    }
    for (const p of ['(?:', '(?=', '(?!', '(?<=', '(?<!']) {
      if (rest.startsWith(p)) {
        i += p.length;
        out += p;
        stack.push({ kind: 'plain', start, zeroWidth: p !== '(?:' });
        frames.push({ altNullable: true, anyNullable: false });
        return;
      }
    }
    if (rest.startsWith('(?>')) {
      i += 3;
      const helper = `${HELPER_GROUP_PREFIX}${++helperCount}`;
      out += `(?:(?=(?<${helper}>`;
      stack.push({ kind: 'atomic', start, helper });
      frames.push({ altNullable: true, anyNullable: false });
      return;
    }
    if (rest.startsWith('(?#')) {
      const end = src.indexOf(')', i);
      if (end < 0) fail('unterminated comment group `(?#`');
      i = end + 1;
      return;
    }
    const opts = /^\(\?([imx]*)(?:-([imx]*))?(:|\))/.exec(rest);
    if (opts) {
      const on = opts[1] ?? '';
      const off = opts[2] ?? '';
      if (opts[3] === ':' ) fail(`scoped options group \`${opts[0]}…)\` is Ruby-only syntax; put (?i) at the very start instead`);
      if (!leading) fail(`inline options \`${opts[0]}\` are only supported at the very start of the regex`);
      if (on.includes('x') && !off.includes('x')) fail('extended mode (?x) is not supported; remove spaces and comments from the regex');
      if (on.includes('i')) flags = 'iu';
      if (on.includes('m')) dotAll = true; // Ruby's m is JS's s: `.` matches newlines
      i += opts[0].length;
      return;
    }
    fail(`group syntax \`${rest.slice(0, 4)}…\` (conditionals, absence operator, …) is Ruby-only`);
  };

  while (i < src.length) {
    const c = src[i]!;
    const wasLeading: boolean = leading;
    leading = false;
    if (c === '\\') {
      const before = out.length;
      const piece = readEscape(false);
      out += piece;
      const zeroWidth = piece === '^' || piece === '$' || /^\\[bB]$/.test(piece);
      atomStart = zeroWidth ? -1 : before;
      item(zeroWidth || piece.startsWith('\\k<')); // a backreference may be empty
      continue;
    }
    if (c === '[') {
      atomStart = out.length;
      out += readClass();
      item(false);
      continue;
    }
    if (c === '(') {
      leading = wasLeading && src.startsWith('(?', i) && /^\(\?[imx-]+\)/.test(src.slice(i));
      commit();
      const depth = stack.length;
      readGroupOpen();
      // Comments and option groups open no group: they are zero-width items.
      if (stack.length === depth) item(true);
      atomStart = -1;
      continue;
    }
    if (c === ')') {
      const g = stack.pop();
      if (!g) fail('unmatched `)`');
      i++;
      out += g!.kind === 'atomic' ? `))\\k<${g!.helper}>)` : ')';
      atomStart = g!.start;
      commit();
      const f = frames.pop()!;
      item(f.anyNullable || f.altNullable || (g!.kind === 'plain' && g!.zeroWidth === true));
      continue;
    }
    if (c === '*' || c === '+' || c === '?' || c === '{') {
      let q = c;
      if (c === '{') {
        const m = /^\{(\d*)(,?)(\d*)\}/.exec(src.slice(i));
        if (!m || (m[1] === '' && m[3] === '') || (m[1] === '' && m[2] === '')) {
          // Not an interval: Ruby reads `{` literally.
          out += '\\{';
          atomStart = out.length - 2;
          item(false);
          i++;
          continue;
        }
        q = `{${m[1] === '' ? '0' : m[1]}${m[2]}${m[3]}}`;
        i += m[0].length;
      } else {
        i++;
      }
      if (atomStart < 0) fail(`quantifier \`${c}\` has nothing to repeat`);
      const bounds = /^\{(\d+)(,?)(\d*)\}$/.exec(q);
      const min = q === '+' ? 1 : bounds ? Number(bounds[1]) : 0;
      const max = q === '?' ? 1 : bounds ? (bounds[2] === '' ? min : bounds[3] === '' ? Infinity : Number(bounds[3])) : Infinity;
      checkRepeat(max, q);
      if (min === 0) pending = true;
      const exact = q.startsWith('{') && !q.includes(',');
      const next = src[i];
      if (next === '+' ) {
        i++;
        if (q.startsWith('{')) {
          // Ruby: an interval followed by + is a nested repeat, not possessive.
          checkRepeat(Infinity, `${q}+`);
          out = `${out.slice(0, atomStart)}(?:${out.slice(atomStart)}${q})+`;
        } else {
          // Possessive: no backtracking into the repeat. Same as an atomic group around it.
          out += q;
          makeAtomic(atomStart);
        }
      } else if (next === '?') {
        i++;
        if (exact) {
          out = `${out.slice(0, atomStart)}(?:${out.slice(atomStart)}${q})?`; // Ruby: {n}? is optional
          pending = true;
        } else {
          out += `${q}?`;
        }
      } else {
        out += q;
      }
      // A quantified atom cannot take another quantifier directly (JS says "nothing to repeat").
      atomStart = -1;
      continue;
    }
    if (c === '.') {
      atomStart = out.length;
      out += dotAll ? '[\\s\\S]' : '[^\\n]';
      item(false);
      i++;
      continue;
    }
    if (c === '^' || c === '$') {
      out += c;
      atomStart = -1;
      item(true);
      i++;
      continue;
    }
    if (c === '|') {
      out += c;
      atomStart = -1;
      commit();
      const f = frames[frames.length - 1]!;
      f.anyNullable ||= f.altNullable;
      f.altNullable = true;
      i++;
      continue;
    }
    // Literal character (full code point, so astral characters stay one atom).
    const cp = String.fromCodePoint(src.codePointAt(i)!);
    atomStart = out.length;
    out += c === ']' || c === '}' ? `\\${c}` : cp;
    item(false);
    i += cp.length;
  }
  if (stack.length > 0) fail('unterminated group `(`');
  return { pattern: out, flags, names, groupCount: namedMode ? 0 : groupCount };
}

/** Translate a Ruby regex source; throws RubyRegexError with the reason. */
export function translateRubyRegex(src: string): TranslatedRegex {
  // With a named group anywhere, Ruby's plain groups stop capturing: decide the mode first.
  return translatePass(src, hasNamedGroup(src));
}

/** A `(?<name>` or `(?'name'` outside escapes and classes. */
function hasNamedGroup(src: string): boolean {
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(' && /^\(\?(?:<[A-Za-z_]|')/.test(src.slice(i, i + 4))) return true;
  }
  return false;
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
