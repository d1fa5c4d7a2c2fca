/** Jest's `testResult.perfStats` fields we use (29 has start/end; 30 adds the env-load marks). */
export interface PerfStatsLike {
  start?: number;
  end?: number;
  loadTestEnvironmentStart?: number;
}

/**
 * Seconds a test file cost: Jest 30 starts the clock at test-environment load, 29 after it. A file
 * that failed to run has zeroed perfStats, so our own clock from onTestFileStart stands in.
 */
export function secondsOf(perf: PerfStatsLike | undefined, startedAt: number | undefined, now: number): number {
  const end = perf?.end ?? 0;
  const begin = perf?.loadTestEnvironmentStart || perf?.start || 0;
  if (end > 0 && begin > 0 && end >= begin) return (end - begin) / 1000;
  return startedAt !== undefined && now >= startedAt ? (now - startedAt) / 1000 : 0;
}
