/**
 * Tokens of a Ruby regex (ruby-regex-lexer.ts) → the JavaScript pattern, the second half of the
 * translation in ruby-regex.ts. The emitter owns everything that depends on the pattern as a
 * whole: group numbering, quantifiers and what they repeat, the emulation of possessive and
 * atomic constructs, and the refusal of repeats over something that can match "" (see Frame).
 *
 * Capture handling mirrors Ruby: when a pattern has a named group, plain `( )` groups do not
 * capture at all; otherwise plain groups are numbered. To keep numbering stable while we add helper
 * groups (atomic-group emulation), every capture in the output is named: Ruby group N becomes
 * `(?<__ts_gN>…)`, helpers are `(?<__ts_aN>…)`.
 */
import { RubyRegexError, type Token } from './ruby-regex-lexer.js';

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

interface GroupBase {
  start: number;
  /** The Ruby group number (numbered mode) or name this group captures as. */
  captures?: number | string;
  /** (?<= or (?<!: Onigmo wants a fixed length there (see inLookbehind). */
  lookbehind?: boolean;
  /** Some capture group lies inside. */
  hasCaptures: boolean;
  /** Has a top-level `|`. */
  hasAlternation: boolean;
  /**
   * Some capture inside is not set by every match of this group (it sits in one branch of an
   * alternation, or under a quantifier that allows 0). Repeating such a group is refused: JS
   * clears the captures of a repeated group at each iteration, Onigmo keeps the last value set.
   */
  unsafeToRepeat: boolean;
}
type Group = (GroupBase & { kind: 'plain'; zeroWidth?: boolean }) | (GroupBase & { kind: 'atomic'; helper: string });

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

function fail(msg: string): never {
  throw new RubyRegexError(msg);
}

export class Emitter {
  private out = '';
  private flags = 'u';
  private dotAll = false;
  private readonly names: string[] = [];
  private groupCount = 0;
  private helperCount = 0;
  private readonly stack: Group[] = [];
  /** Output offset where the most recent quantifiable atom starts (-1: none). */
  private atomStart = -1;
  private readonly frames: Frame[] = [{ altNullable: true, anyNullable: false }];
  /** Nullability of the last item, not yet folded into its frame (undefined: none pending). */
  private pending: boolean | undefined;
  /** The last item, when it is a group (for the quantifier that may follow). */
  private lastGroup: Group | undefined;
  /** Output offsets of the top-level `|`s. */
  private readonly topLevelBars: number[] = [];
  /** Inline options were given (at the start: the lexer allows them nowhere else). */
  private sawOptions = false;

  /** `namedMode`: the pattern has a named group (see hasNamedGroup in the lexer). */
  constructor(private readonly namedMode: boolean) {}

  emit(t: Token): void {
    switch (t.kind) {
      case 'atom':
        this.atom(t.js, false);
        return;
      case 'dot':
        this.atom(this.dotAll ? '[\\s\\S]' : '[^\\n]', false);
        return;
      case 'backref':
        if (!this.names.includes(t.name)) fail(`backreference \\k<${t.name}> refers to a group that is not defined before it`);
        this.checkBackref(t.name, `\\k<${t.name}>`);
        // A backreference may match empty (its group may have).
        this.atom(`\\k<${t.name}>`, true);
        return;
      case 'numbered-backref':
        if (this.namedMode) fail(`numbered backreference \\${t.digit} in a pattern with named groups (Ruby rejects it too; use \\k<name>)`);
        if (t.n > this.groupCount) fail(`backreference \\${t.n} refers to a group that is not defined before it`);
        this.checkBackref(t.n, `\\${t.n}`);
        this.atom(`\\k<${NUMBERED_GROUP_PREFIX}${t.n}>`, true);
        return;
      case 'assert':
        this.out += t.js;
        this.atomStart = -1;
        this.item(true);
        return;
      case 'open':
        this.open(t);
        return;
      case 'options':
        this.sawOptions = true;
        if (t.ignoreCase) this.flags = 'iu';
        if (t.dotAll) this.dotAll = true;
        this.zeroWidthNoOp();
        return;
      case 'comment':
        this.zeroWidthNoOp();
        return;
      case 'close':
        this.close();
        return;
      case 'alternation':
        this.alternation();
        return;
      case 'quantifier':
        this.quantifier(t);
        return;
    }
  }

  finish(): TranslatedRegex {
    if (this.stack.length > 0) fail('unterminated group `(`');
    let pattern = this.out;
    if (this.sawOptions && this.topLevelBars.length > 0) {
      // Onigmo reads `(?i)a|b` as `(?i:a|b)`, so tff's /^(?i)a|b$/ is ^(?:a|b$): every branch is
      // anchored at the start, only the last at the end. Spelled for our ^…$: ^(?:a[\s\S]*|b)$
      // (the first way a matches is kept: the tail then always matches).
      const cuts = [-1, ...this.topLevelBars, pattern.length];
      const branches = cuts.slice(1).map((end, k) => pattern.slice(cuts[k]! + 1, end));
      pattern = `(?:${branches.map((b, k) => (k < branches.length - 1 ? `${b}[\\s\\S]*` : b)).join('|')})`;
    }
    return { pattern, flags: this.flags, names: this.names, groupCount: this.namedMode ? 0 : this.groupCount };
  }

  private get inLookbehind(): boolean {
    return this.stack.some((g) => g.lookbehind);
  }

  /** Onigmo needs a look-behind of fixed length; refuse what might not be (we cannot tell as it does). */
  private checkLookbehind(what: string): void {
    if (this.inLookbehind) fail(`${what} inside a look-behind: Ruby allows only fixed-length look-behinds; write the characters out`);
  }

  private checkBackref(ref: number | string, what: string): void {
    this.checkLookbehind(`backreference ${what}`);
    if (this.stack.some((g) => g.captures === ref)) {
      fail(`backreference ${what} inside the group it refers to: Ruby never matches it there, JavaScript matches it as empty`);
    }
  }

  private commit(): void {
    if (this.pending !== undefined) this.frames[this.frames.length - 1]!.altNullable &&= this.pending;
    this.pending = undefined;
  }

  /** Start a new item (atom or zero-width assertion). */
  private item(nullable: boolean): void {
    this.commit();
    this.pending = nullable;
    this.lastGroup = undefined;
  }

  private atom(js: string, nullable: boolean): void {
    this.atomStart = this.out.length;
    this.out += js;
    this.item(nullable);
  }

  /** Comments and option groups open no group: zero-width items that repeat nothing. */
  private zeroWidthNoOp(): void {
    this.commit();
    this.item(true);
    this.atomStart = -1;
  }

  private open(t: Extract<Token, { kind: 'open' }>): void {
    this.commit();
    const base: GroupBase = { start: this.out.length, hasCaptures: false, hasAlternation: false, unsafeToRepeat: false };
    if (t.group === 'atomic') {
      // The emulation's backreference would run before its lookahead in a (right-to-left) look-behind.
      this.checkLookbehind('an atomic group `(?>`');
      const helper = `${HELPER_GROUP_PREFIX}${++this.helperCount}`;
      this.out += `(?:(?=(?<${helper}>`;
      this.stack.push({ ...base, kind: 'atomic', helper });
    } else {
      if (t.group === 'named') {
        this.names.push(t.name);
        this.out += `(?<${t.name}>`;
        base.captures = t.name;
      } else if (t.group === 'verbatim') {
        this.out += t.js;
        base.lookbehind = t.js.startsWith('(?<');
      } else if (this.namedMode) {
        this.out += '(?:';
      } else {
        this.out += `(?<${NUMBERED_GROUP_PREFIX}${++this.groupCount}>`;
        base.captures = this.groupCount;
      }
      this.stack.push({ ...base, kind: 'plain', zeroWidth: t.group === 'verbatim' ? t.zeroWidth : undefined });
    }
    this.frames.push({ altNullable: true, anyNullable: false });
    this.atomStart = -1;
  }

  private close(): void {
    const g = this.stack.pop() ?? fail('unmatched `)`');
    this.out += g.kind === 'atomic' ? `))\\k<${g.helper}>)` : ')';
    this.atomStart = g.start;
    this.commit();
    const f = this.frames.pop()!;
    this.item(f.anyNullable || f.altNullable || (g.kind === 'plain' && g.zeroWidth === true));
    if (g.hasAlternation && g.hasCaptures) g.unsafeToRepeat = true;
    const parent = this.stack[this.stack.length - 1];
    if (parent) {
      parent.hasCaptures ||= g.hasCaptures || g.captures !== undefined;
      parent.unsafeToRepeat ||= g.unsafeToRepeat;
    }
    this.lastGroup = g;
  }

  private alternation(): void {
    const g = this.stack[this.stack.length - 1];
    if (g) {
      g.hasAlternation = true;
      // Onigmo allows branches of different lengths only at a look-behind's own top level.
      if (!g.lookbehind) this.checkLookbehind('`|` in a group');
    } else {
      this.topLevelBars.push(this.out.length);
    }
    this.out += '|';
    this.atomStart = -1;
    this.commit();
    const f = this.frames[this.frames.length - 1]!;
    f.anyNullable ||= f.altNullable;
    f.altNullable = true;
  }

  private checkRepeat(max: number, what: string): void {
    if (this.pending && max > 1) {
      fail(
        `\`${what}\` repeats something that can match the empty string; Ruby and JavaScript handle an empty ` +
          'loop iteration differently and can pick different matches. Make the repeated part match at least one character',
      );
    }
  }

  /** Wrap out[from..] as an atomic group: a lookahead captures, a backreference consumes. */
  private makeAtomic(from: number): void {
    const h = `${HELPER_GROUP_PREFIX}${++this.helperCount}`;
    this.out = `${this.out.slice(0, from)}(?:(?=(?<${h}>${this.out.slice(from)}))\\k<${h}>)`;
  }

  /** Wrap out[from..] in a group and append `after`. */
  private wrap(from: number, after: string): void {
    this.out = `${this.out.slice(0, from)}(?:${this.out.slice(from)}${after}`;
  }

  /** Captures under a quantifier: see GroupBase.unsafeToRepeat. */
  private checkCapturesRepeat(optional: boolean, repeats: boolean): void {
    const g = this.lastGroup;
    if (!g) return;
    if (repeats && g.unsafeToRepeat) {
      fail(
        'a repeated group holds a capture that not every repetition sets (in one branch of `|`, or optional); ' +
          'Ruby keeps its value from an earlier repetition, JavaScript clears it. Move the capture out of the repeat',
      );
    }
    const parent = this.stack[this.stack.length - 1];
    if (optional && parent && (g.hasCaptures || g.captures !== undefined)) parent.unsafeToRepeat = true;
  }

  private quantifier(t: Extract<Token, { kind: 'quantifier' }>): void {
    const { q, suffix } = t;
    const from = this.atomStart;
    if (from < 0) fail(`quantifier \`${t.char}\` has nothing to repeat`);
    this.checkRepeat(t.max, q);
    if (t.min === 0) this.pending = true;
    const interval = q.startsWith('{');
    const exact = interval && !q.includes(',');
    if (!(exact && suffix === '')) this.checkLookbehind(`quantifier \`${q}${suffix}\``);
    this.checkCapturesRepeat(t.min === 0 || (exact && suffix === '?'), t.max > 1 || (interval && suffix === '+'));
    if (suffix === '+' && interval) {
      // Ruby: an interval followed by + is a nested repeat, not possessive.
      this.checkRepeat(Infinity, `${q}+`);
      this.wrap(from, `${q})+`);
    } else if (suffix === '+') {
      // Possessive: no backtracking into the repeat. Same as an atomic group around it.
      this.out += q;
      this.makeAtomic(from);
    } else if (suffix === '?' && exact) {
      this.wrap(from, `${q})?`); // Ruby: {n}? is optional, not lazy
      this.pending = true;
    } else {
      this.out += q + suffix;
    }
    // A quantified atom cannot take another quantifier directly (JS says "nothing to repeat").
    this.atomStart = -1;
  }
}
