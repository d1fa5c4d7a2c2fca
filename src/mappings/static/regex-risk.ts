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

import { CharSet } from './regex-charset.js';
import { type Node, Parser } from './regex-parse.js';

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
