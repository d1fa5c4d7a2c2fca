import type { CandidateGroup, FailFast, Strategy } from './types.js';
import { selectedTests } from './union.js';

/**
 * GitLab's rspec fail-fast job: run the tests mapped directly to the changed files first (those
 * of the strategies that say they are `direct`), but only when there are few of them (above the
 * threshold it would not be fast). `keep` is the selection's own filter (the test exists).
 */
export function failFastSubset(groups: readonly CandidateGroup[], strategies: readonly Strategy[], threshold: number, keep: (test: string) => boolean): FailFast {
  const direct = new Set(strategies.filter((s) => s.direct).map((s) => s.name));
  const tests = selectedTests(
    groups.filter((g) => direct.has(g.reason.strategy)),
    keep,
  );
  if (tests.length > threshold) {
    return { tests: [], skipped: `${tests.length} directly mapped tests exceed fail_fast.threshold ${threshold}` };
  }
  if (tests.length === 0) return { tests: [], skipped: 'no tests are mapped directly to the changed files' };
  return { tests };
}
