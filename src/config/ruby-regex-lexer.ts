/**
 * Ruby (Onigmo) regex source → tokens, the first half of the translation in ruby-regex.ts (the
 * emitter, ruby-regex-emitter.ts, is the second). The lexer knows Ruby's spelling: escapes,
 * character classes, group openers, intervals; each token already carries its JavaScript spelling
 * where that does not depend on the rest of the pattern. Whatever has no exact JavaScript
 * equivalent is refused here, with the construct named.
 *
 * A generator, pulled one token at a time by the emitter, so that a pattern with several problems
 * reports the first one in source order, whether the lexer or the emitter finds it.
 */

/** A source regex that cannot be translated; the message says why (no file position). */
export class RubyRegexError extends Error {}

export type Token =
  /** Consumes exactly one character: a literal, an escape such as \d, a character class. */
  | { kind: 'atom'; js: string }
  /** `.`; its JavaScript spelling depends on (?m), which the emitter tracks. */
  | { kind: 'dot' }
  /** Zero-width: ^ $ \A \z \Z \b \B (the last two as lookarounds: Ruby's are Unicode-aware). */
  | { kind: 'assert'; js: string }
  /** \k<name> or \k'name'. */
  | { kind: 'backref'; name: string }
  /** \N: `digit` is its first digit (for messages), `n` the group number. */
  | { kind: 'numbered-backref'; digit: string; n: number }
  /** `(`: captures unless the pattern has a named group (Ruby's rule, applied by the emitter). */
  | { kind: 'open'; group: 'plain' }
  | { kind: 'open'; group: 'named'; name: string }
  /** (?: and the lookarounds, spelled the same in JavaScript. */
  | { kind: 'open'; group: 'verbatim'; js: string; zeroWidth: boolean }
  /** (?> */
  | { kind: 'open'; group: 'atomic' }
  | { kind: 'close' }
  | { kind: 'alternation' }
  /** Inline options at the very start: (?i) (?m) (?im-x)… */
  | { kind: 'options'; ignoreCase: boolean; dotAll: boolean }
  /** (?#…) */
  | { kind: 'comment' }
  /**
   * `char` as written (`*`, `+`, `?` or `{`); `q` the JavaScript quantifier (`{,n}` becomes
   * `{0,n}`); `suffix` the `+` or `?` right after it, whose meaning the emitter decides.
   */
  | { kind: 'quantifier'; char: string; q: string; min: number; max: number; suffix: '' | '+' | '?' };

const SYNTAX_CHARS = new Set('^$\\.*+?()[]{}|/'.split(''));
/** Ruby's \s is ASCII-only; JS's is Unicode, so spell it out. */
const RUBY_SPACE = '\\t\\n\\v\\f\\r ';
const HEX = '0-9a-fA-F';

/** A word character for Ruby's \b and \B, which (unlike its \w) are Unicode-aware. */
const RUBY_WORD = '[\\p{Alphabetic}\\p{M}\\p{N}\\p{Pc}]';
/** Ruby's \b and \B as lookarounds; JS's own (u flag) see only ASCII word characters. */
const RUBY_WORD_BOUNDARY = `(?:(?<=${RUBY_WORD})(?!${RUBY_WORD})|(?<!${RUBY_WORD})(?=${RUBY_WORD}))`;
const RUBY_NOT_WORD_BOUNDARY = `(?:(?<=${RUBY_WORD})(?=${RUBY_WORD})|(?<!${RUBY_WORD})(?!${RUBY_WORD}))`;

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

/** POSIX classes whose JS spelling has no letters, so (?i) cannot change them. */
const CASELESS_POSIX = new Set(['digit', 'space', 'xdigit']);

/** General categories spell the same in Onigmo and JS; other \p names differ, so we refuse them. */
const GENERAL_CATEGORY = /^(?:L|Lu|Ll|Lt|Lm|Lo|M|Mn|Mc|Me|N|Nd|Nl|No|P|Pc|Pd|Ps|Pe|Pi|Pf|Po|S|Sm|Sc|Sk|So|Z|Zs|Zl|Zp|C|Cc|Cf|Co|Cn)$/;

const RUBY_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Ruby-only escapes, named in the refusal. */
const RUBY_ONLY_ESCAPES: Record<string, string> = {
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

const VERBATIM_GROUPS = ['(?:', '(?=', '(?!', '(?<=', '(?<!'];

function fail(msg: string): never {
  throw new RubyRegexError(msg);
}

function literalChar(c: string, inClass: boolean): string {
  if (SYNTAX_CHARS.has(c)) return `\\${c}`;
  if (c === '-' && inClass) return '\\-';
  return c;
}

/** The tokens of `src`, in order; throws RubyRegexError at the first untranslatable construct. */
export function lexRubyRegex(src: string): Generator<Token, void, undefined> {
  return new Lexer(src).tokens();
}

class Lexer {
  private i = 0;
  /** Nothing but option groups so far: inline options are accepted only there. */
  private leading = true;
  /** (?i) was given: JS case-folds Unicode property classes, Onigmo does not. */
  private ignoreCase = false;

  constructor(private readonly src: string) {}

  *tokens(): Generator<Token, void, undefined> {
    const { src } = this;
    while (this.i < src.length) {
      const c = src[this.i]!;
      const wasLeading = this.leading;
      this.leading = false;
      if (c === '\\') yield this.readEscapeToken();
      else if (c === '[') yield { kind: 'atom', js: this.readClass() };
      else if (c === '(') {
        this.leading = wasLeading && /^\(\?[imx-]+\)/.test(src.slice(this.i));
        yield this.readGroupOpen();
      } else if (c === ')') {
        this.i++;
        yield { kind: 'close' };
      } else if (c === '*' || c === '+' || c === '?' || c === '{') yield this.readQuantifier(c);
      else if (c === '.' || c === '^' || c === '$' || c === '|') {
        this.i++;
        yield c === '.' ? { kind: 'dot' } : c === '|' ? { kind: 'alternation' } : { kind: 'assert', js: c };
      } else {
        // Literal character (full code point, so astral characters stay one atom).
        const cp = String.fromCodePoint(src.codePointAt(this.i)!);
        this.i += cp.length;
        yield { kind: 'atom', js: c === ']' || c === '}' ? `\\${c}` : cp };
      }
    }
  }

  /** An escape outside a character class. */
  private readEscapeToken(): Token {
    const c = this.src[this.i + 1];
    if (c === 'k') {
      this.i += 2;
      const m = /^(?:<([^>]*)>|'([^']*)')/.exec(this.src.slice(this.i));
      if (!m) fail('\\k must be followed by <name>');
      this.i += m[0].length;
      const name = m[1] ?? m[2]!;
      if (!RUBY_NAME.test(name)) fail(`\\k<${name}>: only backreferences by group name are supported`);
      return { kind: 'backref', name };
    }
    if (c !== undefined && c >= '1' && c <= '9') {
      this.i += 2;
      const m = /^[0-9]*/.exec(this.src.slice(this.i))!;
      this.i += m[0].length;
      return { kind: 'numbered-backref', digit: c, n: Number(c + m[0]) };
    }
    const js = this.readEscape(false);
    return c === 'A' || c === 'z' || c === 'Z' || c === 'b' || c === 'B' ? { kind: 'assert', js } : { kind: 'atom', js };
  }

  /** An escape's JavaScript spelling (backreferences outside a class: see readEscapeToken). */
  private readEscape(inClass: boolean): string {
    // src[i] is the backslash.
    const c = this.src[this.i + 1];
    if (c === undefined) fail('the regex ends with a lone backslash');
    this.i += 2;
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
        // In a class, \b is a backspace in both.
        return inClass ? '\\b' : RUBY_WORD_BOUNDARY;
      case 'B':
        if (inClass) fail('\\B inside a character class');
        return RUBY_NOT_WORD_BOUNDARY;
      case 'e':
        return '\\x1B';
      case 'a':
        return '\\x07';
      case 'x': {
        const m = this.match(/^[0-9a-fA-F]{1,2}/) ?? fail('\\x must be followed by hex digits');
        return `\\x${m[0].padStart(2, '0')}`;
      }
      case 'u': {
        const braced = this.match(/^\{([0-9a-fA-F]{1,6})\}/);
        if (braced) return `\\u{${braced[1]}}`;
        const four = this.match(/^[0-9a-fA-F]{4}/) ?? fail('\\u must be followed by 4 hex digits or {codepoint} (one code point)');
        return `\\u${four[0]}`;
      }
      case '0': {
        const m = this.match(/^[0-7]{0,2}/)!;
        return `\\x${parseInt(`0${m[0]}`, 8).toString(16).padStart(2, '0')}`;
      }
      case 'p':
      case 'P': {
        const m = this.match(/^\{(\^?)([^}]*)\}/) ?? fail(`\\${c} must be followed by {Property}`);
        if (this.ignoreCase) fail(`\\${c}{${m[2]}} with (?i): Ruby does not case-fold property classes, JavaScript does`);
        if (!GENERAL_CATEGORY.test(m[2]!)) {
          fail(`\\${c}{${m[2]}}: only general categories (L, Lu, N, Nd, P, …) mean the same in Ruby and JavaScript`);
        }
        const negate = (c === 'P') !== (m[1] === '^');
        return `\\${negate ? 'P' : 'p'}{${m[2]}}`;
      }
      case 'k':
        // Outside a class, readEscapeToken reads \k.
        return fail('\\k inside a character class');
      default:
        break;
    }
    if (c >= '1' && c <= '9') fail(`\\${c} inside a character class (octal escapes are not supported)`);
    if (/[A-Za-z]/.test(c)) fail(`${RUBY_ONLY_ESCAPES[c] ?? `\\${c}`} is Ruby-only syntax with no JavaScript equivalent`);
    // An escaped punctuation character is that character, literally.
    return literalChar(c, inClass);
  }

  /** Match `re` at the cursor; on a match, move past it. */
  private match(re: RegExp): RegExpExecArray | null {
    const m = re.exec(this.src.slice(this.i));
    if (m) this.i += m[0].length;
    return m;
  }

  private readClass(): string {
    // src[i] is '['.
    const { src } = this;
    let s = '[';
    this.i++;
    if (src[this.i] === '^') {
      s += '^';
      this.i++;
    }
    let first = true;
    for (;;) {
      const c = src[this.i];
      if (c === undefined) fail('unterminated character class `[`');
      if (c === ']' && !first) {
        this.i++;
        return `${s}]`;
      }
      first = false;
      if (c === '\\') {
        s += this.readEscape(true);
        continue;
      }
      if (c === '[') {
        const posix = /^\[:(\^?)([a-z]+):\]/.exec(src.slice(this.i));
        if (!posix) fail('nested character classes `[[…]]` are Ruby-only syntax');
        const cls = POSIX_CLASSES[posix[2]!];
        if (!cls || posix[1]) fail(`POSIX class [:${posix[1]}${posix[2]}:] is not supported; write the characters out`);
        if (this.ignoreCase && !CASELESS_POSIX.has(posix[2]!)) {
          fail(`POSIX class [:${posix[2]}:] with (?i): Ruby does not case-fold it, JavaScript does; write the characters out`);
        }
        s += cls;
        this.i += posix[0].length;
        continue;
      }
      if (c === '&' && src[this.i + 1] === '&') fail('character class intersection `&&` is Ruby-only syntax');
      s += c === ']' ? '\\]' : c;
      this.i++;
    }
  }

  private readGroupOpen(): Token {
    // src[i] is '('.
    const rest = this.src.slice(this.i);
    if (!rest.startsWith('(?')) {
      this.i++;
      return { kind: 'open', group: 'plain' };
    }
    const named = /^\(\?(?:<([^>=!]*)>|'([^']*)')/.exec(rest);
    if (named) {
      const name = named[1] ?? named[2]!;
      if (!RUBY_NAME.test(name)) fail(`invalid group name '${name}'`);
      if (name.startsWith('__ts_')) fail(`group names starting with __ts_ are reserved`);
      this.i += named[0].length;
      return { kind: 'open', group: 'named', name };
    }
    const verbatim = VERBATIM_GROUPS.find((p) => rest.startsWith(p));
    if (verbatim) {
      this.i += verbatim.length;
      return { kind: 'open', group: 'verbatim', js: verbatim, zeroWidth: verbatim !== '(?:' };
    }
    if (rest.startsWith('(?>')) {
      this.i += 3;
      return { kind: 'open', group: 'atomic' };
    }
    if (rest.startsWith('(?#')) {
      const end = this.src.indexOf(')', this.i);
      if (end < 0) fail('unterminated comment group `(?#`');
      this.i = end + 1;
      return { kind: 'comment' };
    }
    const opts = /^\(\?([imx]*)(?:-([imx]*))?(:|\))/.exec(rest);
    if (opts) {
      const on = opts[1] ?? '';
      const off = opts[2] ?? '';
      if (opts[3] === ':') fail(`scoped options group \`${opts[0]}…)\` is Ruby-only syntax; put (?i) at the very start instead`);
      if (!this.leading) fail(`inline options \`${opts[0]}\` are only supported at the very start of the regex`);
      if (on.includes('x') && !off.includes('x')) fail('extended mode (?x) is not supported; remove spaces and comments from the regex');
      this.i += opts[0].length;
      if (on.includes('i')) this.ignoreCase = true;
      // Ruby's m is JS's s: `.` matches newlines.
      return { kind: 'options', ignoreCase: on.includes('i'), dotAll: on.includes('m') };
    }
    return fail(`group syntax \`${rest.slice(0, 4)}…\` (conditionals, absence operator, …) is Ruby-only`);
  }

  /** A quantifier, or a `{` that Ruby reads literally because no interval follows. */
  private readQuantifier(c: '*' | '+' | '?' | '{'): Token {
    let q: string = c;
    if (c === '{') {
      const m = /^\{(\d*)(,?)(\d*)\}/.exec(this.src.slice(this.i));
      if (!m || (m[1] === '' && m[3] === '') || (m[1] === '' && m[2] === '')) {
        this.i++;
        return { kind: 'atom', js: '\\{' };
      }
      q = `{${m[1] === '' ? '0' : m[1]}${m[2]}${m[3]}}`;
      this.i += m[0].length;
    } else {
      this.i++;
    }
    const bounds = /^\{(\d+)(,?)(\d*)\}$/.exec(q);
    const min = q === '+' ? 1 : bounds ? Number(bounds[1]) : 0;
    const max = q === '?' ? 1 : bounds ? (bounds[2] === '' ? min : bounds[3] === '' ? Infinity : Number(bounds[3])) : Infinity;
    const next = this.src[this.i];
    const suffix = next === '+' || next === '?' ? next : '';
    if (suffix) this.i++;
    return { kind: 'quantifier', char: c, q, min, max, suffix };
  }
}

/** A `(?<name>` or `(?'name'` outside escapes and classes: then Ruby's plain groups do not capture. */
export function hasNamedGroup(src: string): boolean {
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
