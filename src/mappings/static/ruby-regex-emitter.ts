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

type Group = { kind: 'plain'; start: number; zeroWidth?: boolean } | { kind: 'atomic'; start: number; helper: string };

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
        // A backreference may match empty (its group may have).
        this.atom(`\\k<${t.name}>`, true);
        return;
      case 'numbered-backref':
        if (this.namedMode) fail(`numbered backreference \\${t.digit} in a pattern with named groups (Ruby rejects it too; use \\k<name>)`);
        if (t.n > this.groupCount) fail(`backreference \\${t.n} refers to a group that is not defined before it`);
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
    return { pattern: this.out, flags: this.flags, names: this.names, groupCount: this.namedMode ? 0 : this.groupCount };
  }

  private commit(): void {
    if (this.pending !== undefined) this.frames[this.frames.length - 1]!.altNullable &&= this.pending;
    this.pending = undefined;
  }

  /** Start a new item (atom or zero-width assertion). */
  private item(nullable: boolean): void {
    this.commit();
    this.pending = nullable;
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
    const start = this.out.length;
    if (t.group === 'atomic') {
      const helper = `${HELPER_GROUP_PREFIX}${++this.helperCount}`;
      this.out += `(?:(?=(?<${helper}>`;
      this.stack.push({ kind: 'atomic', start, helper });
    } else {
      if (t.group === 'named') {
        this.names.push(t.name);
        this.out += `(?<${t.name}>`;
      } else if (t.group === 'verbatim') {
        this.out += t.js;
      } else if (this.namedMode) {
        this.out += '(?:';
      } else {
        this.out += `(?<${NUMBERED_GROUP_PREFIX}${++this.groupCount}>`;
      }
      this.stack.push({ kind: 'plain', start, zeroWidth: t.group === 'verbatim' ? t.zeroWidth : undefined });
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
  }

  private alternation(): void {
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

  private quantifier(t: Extract<Token, { kind: 'quantifier' }>): void {
    const { q, suffix } = t;
    const from = this.atomStart;
    if (from < 0) fail(`quantifier \`${t.char}\` has nothing to repeat`);
    this.checkRepeat(t.max, q);
    if (t.min === 0) this.pending = true;
    const interval = q.startsWith('{');
    if (suffix === '+' && interval) {
      // Ruby: an interval followed by + is a nested repeat, not possessive.
      this.checkRepeat(Infinity, `${q}+`);
      this.wrap(from, `${q})+`);
    } else if (suffix === '+') {
      // Possessive: no backtracking into the repeat. Same as an atomic group around it.
      this.out += q;
      this.makeAtomic(from);
    } else if (suffix === '?' && interval && !q.includes(',')) {
      this.wrap(from, `${q})?`); // Ruby: {n}? is optional, not lazy
      this.pending = true;
    } else {
      this.out += q + suffix;
    }
    // A quantified atom cannot take another quantifier directly (JS says "nothing to repeat").
    this.atomStart = -1;
  }
}
