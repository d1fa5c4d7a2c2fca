/**
 * Recording next to Vitest's own V8 coverage. V8 keeps one precise-coverage mode and one set of
 * counters per isolate, shared by every inspector session: a recorder with its own session
 * (`startPreciseCoverage({ detailed: false })`, a take per test file) would switch
 * @vitest/coverage-v8 (which wants `detailed: true`) to function granularity and reset the
 * counts it reports. So when V8 coverage is on, workers open no session of their own and the
 * reporter reads each test file's executed scripts from the takes Vitest itself makes after
 * every test file (`coverage-tap.ts`): one run serves both, the user's report unchanged.
 * Istanbul counts in instrumented code, not in V8's counters: no interaction at all.
 */

/** The part of Vitest's resolved `coverage` config this needs. */
export interface CoverageConfigLike {
  enabled?: boolean;
  provider?: string;
}

/** Whether Vitest's V8 coverage provider is on in this run. */
export function usesV8Coverage(coverage: CoverageConfigLike | undefined): boolean {
  if (!coverage?.enabled) return false;
  // Resolved configs carry the provider; 'v8' is Vitest's default when one is not given.
  return (coverage.provider ?? 'v8') === 'v8';
}

export const V8_COVERAGE_NOTE =
  "V8 coverage is on: recording from Vitest's own per-file coverage takes (no second coverage session; " + 'your coverage report is unchanged)';
