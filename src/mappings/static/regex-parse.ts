/**
 * A lenient parser for tests.yml source regexes (Ruby syntax) into the small tree the risk check
 * (regex-risk.ts) walks. It never rejects a pattern: compile has already checked them, and anything
 * it does not model stands for itself or, at worst, for any character (flag more, not less).
 */

import { CharSet, DIGIT, DOT, HEX, SPACE, WORD, lowest, single } from './regex-charset.js';

export type Node =
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

export class Parser {
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
