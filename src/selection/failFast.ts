import type { CandidateGroup, FailFast } from './types.js';
import { selectedTests } from './union.js';

/** Strategies whose tests are "mapped directly" to a change (the coverage map fans out too far). */
const DIRECT = new Set(['changed-test', 'tests.yml']);

/**
 * GitLab's rspec fail-fast job: run the tests mapped directly to the changed files first, but
 * only when there are few of them (above the threshold it would not be fast). `keep` is the
 * selection's own filter (the test exists).
 */
export function failFastSubset(groups: readonly CandidateGroup[], threshold: number, keep: (test: string) => boolean): FailFast {
  const tests = selectedTests(groups.filter((g) => DIRECT.has(g.reason.strategy)), keep);
  if (tests.length > threshold) {
    return { tests: [], skipped: `${tests.length} directly mapped tests exceed fail_fast.threshold ${threshold}` };
  }
  if (tests.length === 0) return { tests: [], skipped: 'no tests are mapped directly to the changed files' };
  return { tests };
}
