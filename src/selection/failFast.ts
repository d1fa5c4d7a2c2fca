import type { FailFast, SelectedTest } from './types.js';

/** Strategies whose tests are "mapped directly" to a change (the coverage map fans out too far). */
const DIRECT = new Set(['changed-test', 'tests.yml']);

/**
 * GitLab's rspec fail-fast job: run the tests mapped directly to the changed files first, but
 * only when there are few of them (above the threshold it would not be fast).
 */
export function failFastSubset(selection: readonly SelectedTest[], threshold: number): FailFast {
  const tests = selection.filter((s) => s.because.some((r) => DIRECT.has(r.strategy))).map((s) => s.test);
  if (tests.length > threshold) {
    return { tests: [], skipped: `${tests.length} directly mapped tests exceed fail_fast.threshold ${threshold}` };
  }
  if (tests.length === 0) return { tests: [], skipped: 'no tests are mapped directly to the changed files' };
  return { tests };
}
