import type { CandidateGroup, Reason, SelectedTest } from './types.js';

/**
 * The union of every strategy's groups: each test once, with all its reasons (in strategy order,
 * without duplicates), sorted by path.
 */
export function unionGroups(groups: readonly CandidateGroup[]): SelectedTest[] {
  const byTest = new Map<string, Reason[]>();
  for (const g of groups) {
    for (const t of g.tests) {
      let reasons = byTest.get(t);
      if (!reasons) byTest.set(t, (reasons = []));
      if (reasons[reasons.length - 1] !== g.reason) reasons.push(g.reason);
    }
  }
  const tests = [...byTest.keys()].sort(comparePaths);
  return tests.map((test) => ({ test, because: byTest.get(test)! }));
}

/** Byte-order comparison, so output does not depend on the machine's locale. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
