import { idsOfBits } from '../util/bitset.js';
import type { CandidateGroup, Reason, SelectedTest, TestIdTable } from './types.js';

/** The paths of a group (an id group's names are decoded here: only for the detailed view). */
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
      else for (let w = 0; w < acc.length; w++) acc[w] |= g.bits[w];
    } else {
      for (const t of g.tests) paths.add(t);
    }
  }
  // Names decoded from ascending ids are sorted already; the path groups (changed tests,
  // tests.yml) are few. Merge the sorted lists instead of sorting everything again.
  let out = [...paths].filter(keep).sort(comparePaths);
  for (const [table, bits] of bitsets) {
    const known = keep.present?.(table);
    let names: string[];
    if (known) {
      const unsure = bits.slice();
      for (let w = 0; w < bits.length; w++) {
        unsure[w] &= ~known[w];
        bits[w] &= known[w];
      }
      names = mergeSorted(table.testNamesOf(idsOfBits(bits)), table.testNamesOf(idsOfBits(unsure)).filter(keep));
    } else {
      names = table.testNamesOf(idsOfBits(bits)).filter(keep);
    }
    out = mergeSorted(out, names);
  }
  return out;
}


/** Two sorted, duplicate-free lists as one. */
function mergeSorted(a: readonly string[], b: readonly string[]): string[] {
  if (a.length === 0) return b as string[];
  if (b.length === 0) return a as string[];
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

/** Byte-order comparison, so output does not depend on the machine's locale. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
