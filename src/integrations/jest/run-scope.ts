/** Jest global-config fields that narrow a run (29 and 30 spellings). */
export interface RunScopeConfig {
  watch?: boolean;
  watchAll?: boolean;
  testNamePattern?: string | null;
  onlyChanged?: boolean;
  lastCommit?: boolean;
  changedSince?: string | null;
  findRelatedTests?: boolean;
  onlyFailures?: boolean;
  /** Jest 30: a TestPathPatterns object; Jest 29 has `testPathPattern: string`. */
  testPathPatterns?: { patterns?: string[] } | string[] | null;
  testPathPattern?: string | null;
}

/**
 * Why this run must not be recorded at all: watch reruns and `-t` run parts of files, so their
 * record would understate what the files execute and must not replace a map. Undefined: record.
 */
export function refuseToRecord(g: RunScopeConfig): string | undefined {
  if (g.watch || g.watchAll) return 'watch mode';
  if (g.testNamePattern) return 'a test name filter (-t)';
  return undefined;
}

/** Why this run covers only some test files (its map is then partial), if it does. */
export function partialRunReasons(g: RunScopeConfig, selective: boolean): string[] {
  const out: string[] = [];
  if (selective) out.push('a selective TESTSIFT_SELECT');
  if (g.onlyChanged || g.lastCommit) out.push('--onlyChanged/--lastCommit');
  if (g.changedSince) out.push('--changedSince');
  if (g.findRelatedTests) out.push('--findRelatedTests');
  if (g.onlyFailures) out.push('--onlyFailures');
  const patterns = Array.isArray(g.testPathPatterns) ? g.testPathPatterns : g.testPathPatterns?.patterns;
  if ((patterns && patterns.length > 0) || g.testPathPattern) out.push('test path patterns');
  return out;
}
