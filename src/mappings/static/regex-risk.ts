/**
 * Catastrophic backtracking in tests.yml sources, found from the pattern text (Ruby syntax).
 *
 * JavaScript regexes have no time limit and cannot be interrupted: `(a+)+b` against a crafted
 * 30-character path runs for half a minute. Two shapes cause exponential time, and both are
 * recognised here:
 * - a repeat inside a repeat that can share characters with it: `(a+)+`, `(.*)*`, `(\w+\s?)+`,
 *   `(.+/)+` — each character can be given to the inner or the outer loop, and a failing match
 *   tries every way. `(\w+/)+` is safe: every iteration must end with `/`, which `\w` cannot match.
 * - an alternation inside a repeat whose branches can match the same text: `(a|a)*`, `(\w|\d)+`.
 * Atomic groups `(?>…)` and possessive repeats `a++` never backtrack and are safe. This is a
 * heuristic on purpose: it errs towards flagging (a flagged rule costs a full suite and a lint
 * finding, a missed one a hung job), and detect's time budget per rule backs it up.
 */

/** Characters as a bitmap of ASCII plus one bit for everything else. */
class CharSet {
  readonly bits = new Uint32Array(4);
  other = false;

  static of(...codes: number[]): CharSet {
    const s = new CharSet();
    for (const c of codes) s.add(c);
    return s;
  }

  static range(from: number, to: number): CharSet {
    const s = new CharSet();
    for (let c = from; c <= Math.min(to, 127); c++) s.add(c);
    if (to > 127) s.other = true;
    return s;
  }

  static any(): CharSet {
    const s = new CharSet();
    s.bits.fill(0xffffffff);
    s.other = true;
    return s;
  }

  add(code: number): void {
    if (code > 127) this.other = true;
    else this.bits[code >>> 5]! |= 1 << (code & 31);
  }

  union(o: CharSet): this {
    for (let i = 0; i < 4; i++) this.bits[i]! |= o.bits[i]!;
    this.other ||= o.other;
    return this;
  }

  complement(): CharSet {
    const s = new CharSet();
    for (let i = 0; i < 4; i++) s.bits[i] = ~this.bits[i]! >>> 0;
    // Outside ASCII we do not track members: assume the complement has some (flag more, not less).
    s.other = true;
    return s;
  }

  intersects(o: CharSet): boolean {
    for (let i = 0; i < 4; i++) if ((this.bits[i]! & o.bits[i]!) !== 0) return true;
    return this.other && o.other;
  }

  isEmpty(): boolean {
    return !this.other && this.bits.every((b) => b === 0);
  }
}

const DIGIT = CharSet.range(48, 57);
const WORD = CharSet.range(48, 57).union(CharSet.range(65, 90)).union(CharSet.range(97, 122)).union(CharSet.of(95));
WORD.other = true; // Ruby's \w is ASCII-only by default, but (?u) widens it: assume wide.
const SPACE = CharSet.of(32, 9, 10, 11, 12, 13);
const HEX = CharSet.range(48, 57).union(CharSet.range(65, 70)).union(CharSet.range(97, 102));
const DOT = CharSet.any();
DOT.bits[0] = DOT.bits[0]! & ~(1 << 10); // `.` is anything but a newline (without /m)

type Node =
  | { t: 'chars'; set: CharSet }
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; branches: Node[] }
  /** A group; `atomic` for (?>…) and lookarounds (which also match no text: `zeroWidth`). */
  | { t: 'group'; body: Node; atomic: boolean; zeroWidth: boolean }
  | { t: 'repeat'; body: Node; min: number; max: number; possessive: boolean }
  /** Anchors, \b, inline options, comments. */
  | { t: 'empty' }
  /** \1, \k<name>: whatever the group matched. */
  | { t: 'backref' };

class Parser {
  i = 0;
  constructor(readonly src: string) {}

  parse(): Node {
    const n = this.alt();
    // An unbalanced `)` (compile would have rejected it): read on, leniently.
    while (this.i < this.src.length) {
      this.i++;
      this.alt();
    }
    return n;
  }

  alt(): Node {
    const branches = [this.seq()];
    while (this.src[this.i] === '|') {
      this.i++;
      branches.push(this.seq());
    }
    return branches.length === 1 ? branches[0]! : { t: 'alt', branches };
  }

  seq(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const atom = this.atom();
      items.push(this.quantified(atom));
    }
    return items.length === 1 ? items[0]! : { t: 'seq', items };
  }

  quantified(atom: Node): Node {
    let node = atom;
    for (;;) {
      const c = this.src[this.i];
      let min: number;
      let max: number;
      let interval = false;
      if (c === '*') [min, max] = [0, Infinity];
      else if (c === '+') [min, max] = [1, Infinity];
      else if (c === '?') [min, max] = [0, 1];
      else if (c === '{') {
        const m = /^\{(\d*)(?:(,)(\d*))?\}/.exec(this.src.slice(this.i));
        if (!m || (m[1] === '' && (m[2] === undefined || m[3] === ''))) return node; // a literal `{`
        min = m[1] === '' ? 0 : Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
        interval = true;
        this.i += m[0].length - 1;
      } else return node;
      this.i++;
      let possessive = false;
      if (this.src[this.i] === '?')
        this.i++; // lazy: still backtracks
      else if (this.src[this.i] === '+' && !interval) {
        // Ruby: `a++` is possessive; `a{2}+` is a repeat of a repeat (handled by the loop).
        possessive = true;
        this.i++;
      }
      node = { t: 'repeat', body: node, min, max, possessive };
    }
  }

  atom(): Node {
    const c = this.src[this.i]!;
    if (c === '(') return this.group();
    if (c === '[') return { t: 'chars', set: this.cls() };
    if (c === '\\') return this.escape(false) as Node;
    this.i++;
    if (c === '.') return { t: 'chars', set: DOT };
    if (c === '^' || c === '$') return { t: 'empty' };
    return { t: 'chars', set: CharSet.of(c.codePointAt(0)!) };
  }

  group(): Node {
    const rest = this.src.slice(this.i);
    let atomic = false;
    let zeroWidth = false;
    let skip = 1;
    let m: RegExpExecArray | null;
    if (rest.startsWith('(?#')) {
      const end = this.src.indexOf(')', this.i);
      this.i = end < 0 ? this.src.length : end + 1;
      return { t: 'empty' };
    } else if ((m = /^\(\?[imxdau-]*\)/.exec(rest))) {
      this.i += m[0].length;
      return { t: 'empty' };
    } else if ((m = /^\(\?(?:[=!]|<[=!])/.exec(rest))) {
      [atomic, zeroWidth, skip] = [true, true, m[0].length];
    } else if (rest.startsWith('(?>')) {
      [atomic, skip] = [true, 3];
    } else if ((m = /^\(\?(?:<[A-Za-z_]\w*>|'[A-Za-z_]\w*'|[imxdau-]*:|~|\(\w+\))/.exec(rest))) {
      skip = m[0].length;
    }
    this.i += skip;
    const body = this.alt();
    if (this.src[this.i] === ')') this.i++;
    return { t: 'group', body, atomic, zeroWidth };
  }

  /** An escape outside a class (a Node) or inside one (a CharSet). */
  escape(inClass: boolean): Node | CharSet {
    const c = this.src[this.i + 1] ?? '';
    this.i += 2;
    const set = (s: CharSet): Node | CharSet => (inClass ? s : { t: 'chars', set: s });
    switch (c) {
      case 'd':
        return set(DIGIT);
      case 'D':
        return set(DIGIT.complement());
      case 'w':
        return set(WORD);
      case 'W':
        return set(WORD.complement());
      case 's':
        return set(SPACE);
      case 'S':
        return set(SPACE.complement());
      case 'h':
        return set(HEX);
      case 'H':
        return set(HEX.complement());
      case 'n':
        return set(CharSet.of(10));
      case 't':
        return set(CharSet.of(9));
      case 'r':
        return set(CharSet.of(13));
      case 'f':
        return set(CharSet.of(12));
      case 'v':
        return set(CharSet.of(11));
      case 'e':
        return set(CharSet.of(27));
      case 'a':
        return set(CharSet.of(7));
    }
    if (!inClass && /[AzZbBGK]/.test(c)) return { t: 'empty' };
    if (!inClass && (/[1-9]/.test(c) || c === 'k' || c === 'g')) {
      if (c === 'k' || c === 'g') {
        const m = /^[<'][^>']*[>']/.exec(this.src.slice(this.i));
        if (m) this.i += m[0].length;
      } else while (/\d/.test(this.src[this.i] ?? '')) this.i++;
      return c === 'g' ? { t: 'chars', set: CharSet.any() } : { t: 'backref' };
    }
    if (c === 'p' || c === 'P') {
      const m = /^\{[^}]*\}/.exec(this.src.slice(this.i));
      if (m) this.i += m[0].length;
      return set(CharSet.any());
    }
    if (c === 'x') {
      const m = /^(?:\{[0-9a-fA-F]+\}|[0-9a-fA-F]{1,2})/.exec(this.src.slice(this.i));
      if (m) {
        this.i += m[0].length;
        return set(CharSet.of(parseInt(m[0].replace(/[{}]/g, ''), 16)));
      }
    }
    if (c === 'u') {
      const m = /^(?:\{[0-9a-fA-F]+\}|[0-9a-fA-F]{4})/.exec(this.src.slice(this.i));
      if (m) {
        this.i += m[0].length;
        return set(CharSet.of(parseInt(m[0].replace(/[{}]/g, ''), 16)));
      }
    }
    // Anything else we do not model stands for itself, or at worst for any character.
    return set(c === '' ? CharSet.any() : /[A-Za-z]/.test(c) ? CharSet.any() : CharSet.of(c.codePointAt(0)!));
  }

  /** `[…]`, with ranges, negation, nested classes, `&&` (taken as a union: more, not less) and POSIX names. */
  cls(): CharSet {
    this.i++; // [
    let negate = false;
    if (this.src[this.i] === '^') {
      negate = true;
      this.i++;
    }
    const out = new CharSet();
    let first = true;
    let prev: number | undefined;
    while (this.i < this.src.length) {
      const c = this.src[this.i]!;
      if (c === ']' && !first) {
        this.i++;
        break;
      }
      first = false;
      const posix = /^\[:\^?\w+:\]/.exec(this.src.slice(this.i));
      if (posix) {
        out.union(CharSet.any());
        this.i += posix[0].length;
        prev = undefined;
      } else if (c === '[') {
        out.union(this.cls());
        prev = undefined;
      } else if (c === '&' && this.src[this.i + 1] === '&') {
        this.i += 2;
        prev = undefined;
      } else if (c === '-' && prev !== undefined && this.src[this.i + 1] !== ']' && this.i + 1 < this.src.length) {
        this.i++;
        let to: number;
        if (this.src[this.i] === '\\') {
          const e = this.escape(true) as CharSet;
          to = lowest(e) ?? prev;
        } else {
          to = this.src.codePointAt(this.i)!;
          this.i += to > 0xffff ? 2 : 1;
        }
        out.union(CharSet.range(prev, to));
        prev = undefined;
      } else if (c === '\\') {
        const e = this.escape(true) as CharSet;
        out.union(e);
        prev = single(e);
      } else {
        const code = this.src.codePointAt(this.i)!;
        this.i += code > 0xffff ? 2 : 1;
        out.add(code);
        prev = code;
      }
    }
    return negate ? out.complement() : out;
  }
}

function single(s: CharSet): number | undefined {
  if (s.other) return undefined;
  let found: number | undefined;
  for (let c = 0; c < 128; c++) {
    if (s.bits[c >>> 5]! & (1 << (c & 31))) {
      if (found !== undefined) return undefined;
      found = c;
    }
  }
  return found;
}

function lowest(s: CharSet): number | undefined {
  for (let c = 0; c < 128; c++) if (s.bits[c >>> 5]! & (1 << (c & 31))) return c;
  return undefined;
}

/** Every character a node can consume. */
function charsOf(n: Node): CharSet {
  switch (n.t) {
    case 'chars':
      return n.set;
    case 'seq':
      return n.items.reduce((s, x) => s.union(charsOf(x)), new CharSet());
    case 'alt':
      return n.branches.reduce((s, x) => s.union(charsOf(x)), new CharSet());
    case 'group':
      return n.zeroWidth ? new CharSet() : charsOf(n.body);
    case 'repeat':
      return n.max === 0 ? new CharSet() : charsOf(n.body);
    case 'empty':
      return new CharSet();
    case 'backref':
      return CharSet.any();
  }
}

type Fit = 0 | 1 | 2; // 0: cannot match within the set; 1: only the empty string; 2: a non-empty string

/** Can `n` match a non-empty string made only of characters in `within`? */
function fit(n: Node, within: CharSet): Fit {
  switch (n.t) {
    case 'chars':
      return n.set.intersects(within) ? 2 : 0;
    case 'seq': {
      let best: Fit = 1;
      for (const x of n.items) {
        const f = fit(x, within);
        if (f === 0) return 0;
        if (f === 2) best = 2;
      }
      return best;
    }
    case 'alt':
      return n.branches.reduce<Fit>((b, x) => Math.max(b, fit(x, within)) as Fit, 0);
    case 'group':
      return n.zeroWidth ? 1 : fit(n.body, within);
    case 'repeat': {
      const f = fit(n.body, within);
      if (f === 0) return n.min === 0 ? 1 : 0;
      return n.max === 0 ? 1 : f;
    }
    case 'empty':
      return 1;
    case 'backref':
      return 2;
  }
}

/** Characters a node's match can start with (an over-approximation: nullable items look further). */
function firstOf(n: Node): CharSet {
  switch (n.t) {
    case 'seq': {
      const out = new CharSet();
      for (const x of n.items) {
        out.union(firstOf(x));
        if (!nullable(x)) break;
      }
      return out;
    }
    case 'alt':
      return n.branches.reduce((s, x) => s.union(firstOf(x)), new CharSet());
    case 'group':
      return n.zeroWidth ? new CharSet() : firstOf(n.body);
    case 'repeat':
      return n.max === 0 ? new CharSet() : firstOf(n.body);
    default:
      return charsOf(n);
  }
}

function lastOf(n: Node): CharSet {
  if (n.t === 'seq') {
    const out = new CharSet();
    for (let i = n.items.length - 1; i >= 0; i--) {
      out.union(lastOf(n.items[i]!));
      if (!nullable(n.items[i]!)) break;
    }
    return out;
  }
  if (n.t === 'alt') return n.branches.reduce((s, x) => s.union(lastOf(x)), new CharSet());
  if (n.t === 'group') return n.zeroWidth ? new CharSet() : lastOf(n.body);
  if (n.t === 'repeat') return n.max === 0 ? new CharSet() : lastOf(n.body);
  return charsOf(n);
}

function nullable(n: Node): boolean {
  switch (n.t) {
    case 'chars':
      return false;
    case 'seq':
      return n.items.every(nullable);
    case 'alt':
      return n.branches.some(nullable);
    case 'group':
      return n.zeroWidth || nullable(n.body);
    case 'repeat':
      return n.min === 0 || nullable(n.body);
    default:
      return true;
  }
}

/** Repeats of a variable count inside `n` that backtracking can re-split (not inside atomic groups). */
function innerRepeats(n: Node, out: Extract<Node, { t: 'repeat' }>[] = []): Extract<Node, { t: 'repeat' }>[] {
  switch (n.t) {
    case 'seq':
      n.items.forEach((x) => innerRepeats(x, out));
      break;
    case 'alt':
      n.branches.forEach((x) => innerRepeats(x, out));
      break;
    case 'group':
      if (!n.atomic) innerRepeats(n.body, out);
      break;
    case 'repeat':
      if (!n.possessive) {
        if (n.max >= 2 && n.max > n.min) out.push(n);
        innerRepeats(n.body, out);
      }
      break;
  }
  return out;
}

/** The alternation a repeat's body is, through groups and one-item sequences. */
function topAlternation(n: Node): Extract<Node, { t: 'alt' }> | undefined {
  if (n.t === 'alt') return n;
  if (n.t === 'group' && !n.atomic) return topAlternation(n.body);
  if (n.t === 'seq') {
    const solid = n.items.filter((x) => x.t !== 'empty');
    return solid.length === 1 ? topAlternation(solid[0]!) : undefined;
  }
  return undefined;
}

/** A repeat with this many iterations or more (or unbounded) can make backtracking explode. */
const MANY = 10;

function findRisk(n: Node): string | undefined {
  const children: Node[] = n.t === 'seq' ? n.items : n.t === 'alt' ? n.branches : n.t === 'group' || n.t === 'repeat' ? [n.body] : [];
  if (n.t === 'repeat' && !n.possessive && n.max >= MANY) {
    for (const x of innerRepeats(n.body)) {
      if (fit(n.body, charsOf(x.body)) === 2) {
        return 'a repeat inside a repeat that can match the same characters (nested quantifier, like (a+)+)';
      }
    }
    const alt = topAlternation(n.body);
    if (alt) {
      for (let i = 0; i < alt.branches.length; i++) {
        for (let j = i + 1; j < alt.branches.length; j++) {
          const [a, b] = [alt.branches[i]!, alt.branches[j]!];
          if (firstOf(a).intersects(firstOf(b)) && lastOf(a).intersects(lastOf(b))) {
            return 'a repeated alternation whose branches can match the same text (like (a|a)*)';
          }
        }
      }
    }
  }
  for (const c of children) {
    const r = findRisk(c);
    if (r) return r;
  }
  return undefined;
}

/**
 * Why a source regex (Ruby syntax, as written in tests.yml) can take exponential time on some
 * path, or undefined when none of the known shapes is in it.
 */
export function regexRisk(source: string): string | undefined {
  try {
    return findRisk(new Parser(source).parse());
  } catch {
    // Never expected (the parser is lenient); unreadable means unknown, and unknown is unsafe.
    return 'a pattern the risk check could not read';
  }
}
