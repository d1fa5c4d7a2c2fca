/**
 * Recording and Vitest's own V8 coverage do not mix. Our recorder opens a second inspector
 * session with `Profiler.startPreciseCoverage({ callCount: true, detailed: false })` and takes
 * coverage per test file, but V8 keeps one coverage mode and one set of counters per isolate:
 * the later start switches @vitest/coverage-v8 (which wants `detailed: true`) to function
 * granularity, and every take resets the counts it would report. Its report then shows
 * function-level, reset counts. Istanbul counts in instrumented code, unaffected by either.
 */

/** The part of Vitest's resolved `coverage` config this needs. */
export interface CoverageConfigLike {
  enabled?: boolean;
  provider?: string;
}

/** The warning to print when recording runs alongside V8 coverage, else undefined. */
export function v8CoverageConflict(recording: boolean, coverage: CoverageConfigLike | undefined): string | undefined {
  if (!recording || !coverage?.enabled) return undefined;
  // Resolved configs carry the provider; 'v8' is Vitest's default when one is not given.
  if ((coverage.provider ?? 'v8') !== 'v8') return undefined;
  return (
    "warning: recording the map while Vitest's V8 coverage is on corrupts the coverage report: both use " +
    "V8's precise coverage, whose mode and counters are shared by the whole process, so the report gets " +
    'function-level counts reset per test file (the map itself is recorded as usual). Record the map in a ' +
    "run without --coverage, or use coverage.provider 'istanbul' in the recording run."
  );
}
