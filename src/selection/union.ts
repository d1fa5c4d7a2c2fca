import { concatParts, idsOfBits, orInto, pickByBits, splitByMask } from '../util/bitset.js';
import type { CandidateGroup, Reason, SelectedTest, TestIdTable } from './types.js';

/**
 * The paths of a group (an id group's names are decoded here: only for the detailed view, which
 * stays the simple way, one lookup per id, so tests can check selectedTests against it).
 */
export function testsOfGroup(g: CandidateGroup): readonly string[] {
  return 'bits' in g ? g.table.testNamesOf(idsOfBits(g.bits)) : g.tests;
}

/**
 * The union of every strategy's groups: each test once, with all its reasons (in strategy order,
 * without duplicates), sorted by path. This is the detailed view (JSON, explain): one entry per
 * (test, reason) pair, which for a few hot map rows is hundreds of thousands — `selectedTests`
 * gives the plain list without building it.
 */
export function unionGroups(groups: readonly CandidateGroup[]): SelectedTest[] {
  const byTest = new Map<string, Reason[]>();
  for (const g of groups) {
    for (const t of testsOfGroup(g)) {
      let reasons = byTest.get(t);
      if (!reasons) byTest.set(t, (reasons = []));
      if (reasons[reasons.length - 1] !== g.reason) reasons.push(g.reason);
    }
  }
  const tests = [...byTest.keys()].sort(comparePaths);
  return tests.map((test) => ({ test, because: byTest.get(test)! }));
}

/** What the plain list keeps: tests that exist. */
export interface KeepTests {
  (test: string): boolean;
  /** For a test table: the ids known to exist (a bitset); the others are asked by name. */
  present?(table: TestIdTable): Uint32Array | undefined;
}

/**
 * The tests of the union that `keep` accepts, sorted, each once — what
 * `unionGroups(…).map(s => s.test)` gives, without a string per (test, reason) pair: id groups
 * are ORed into one bitset per test table, masked by what is known to exist, decoded once.
 */
export function selectedTests(groups: readonly CandidateGroup[], keep: KeepTests): string[] {
  const bitsets = new Map<TestIdTable, Uint32Array>();
  const paths = new Set<string>();
  for (const g of groups) {
    if ('bits' in g) {
      const acc = bitsets.get(g.table);
      if (!acc) bitsets.set(g.table, g.bits.slice());
      else orInto(acc, g.bits);
    } else {
      for (const t of g.tests) paths.add(t);
    }
  }
  // Names decoded from ascending ids are sorted already; the path groups (changed tests,
  // tests.yml) are few. Merge the sorted lists instead of sorting everything again. The loops
  // live in small helpers: this function runs once, and V8 optimising it whole (with everything
  // inlined) cost a GitLab-scale detect more CPU than the loops themselves.
  let out = [...paths].filter(keep).sort(comparePaths);
  for (const [table, bits] of bitsets) {
    const known = keep.present?.(table);
    let names: string[];
    if (known) {
      const unsure = splitByMask(bits, known);
      // Runs of set bits are slices of the table's names. The unsure part is usually empty.
      names = pickByBits(table.testNames(), bits);
      if (unsure.some((w) => w !== 0)) names = mergeSorted(names, pickByBits(table.testNames(), unsure).filter(keep));
    } else {
      names = pickByBits(table.testNames(), bits).filter(keep);
    }
    out = mergeSorted(out, names);
  }
  return out;
}

/** Two sorted, duplicate-free lists as one. */
function mergeSorted(a: readonly string[], b: readonly string[]): string[] {
  if (a.length === 0) return b as string[];
  if (b.length === 0) return a as string[];
  // A few changed tests into a map's 25k names: binary searches and native copies, not a
  // comparison per name.
  if (a.length * 16 < b.length) return insertFew(b, a);
  if (b.length * 16 < a.length) return insertFew(a, b);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const c = comparePaths(a[i], b[j]);
    if (c <= 0) {
      out.push(a[i++]);
      if (c === 0) j++;
    } else out.push(b[j++]);
  }
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}

/** `few` merged into `many` (both sorted, duplicate-free). */
function insertFew(many: readonly string[], few: readonly string[]): string[] {
  const parts: string[][] = [];
  let from = 0;
  for (const t of few) {
    const at = lowerBound(many, t, from);
    parts.push(many.slice(from, at));
    if (many[at] !== t) parts.push([t]);
    from = at;
  }
  parts.push(many.slice(from));
  return concatParts(parts);
}

/** The first index ≥ from whose element is not below `t`. */
function lowerBound(xs: readonly string[], t: string, from: number): number {
  let lo = from;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (comparePaths(xs[mid], t) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Byte-order comparison, so output does not depend on the machine's locale. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
