import type { Config } from '../config/types.js';
import { MapError } from '../errors.js';
import type { CoverageMap } from '../mappings/coverage/types.js';
import { anyGlob } from '../util/globs.js';
import { parseUniverse, UniverseShapeError, universeMatcher } from './test-universe.js';

/**
 * The test matcher detect uses when tests.yml gives no `tests:` and a map is read: a path is a
 * test if the runner's recorded universe (include/exclude per Vitest project, Jest's testMatch /
 * testRegex under its roots minus testPathIgnorePatterns) matches it, or if the map recorded it
 * as a test (a test that ran is a test). A map without a universe (older, or a foreign format)
 * adds the default `tests:` globs instead: more tests, never fewer. Universes that cannot be read
 * are reported and stand in by the default globs too.
 */
export function recordedTestMatcher(config: Config, maps: readonly CoverageMap[], table: CoverageMap, warnings: string[]): (path: string) => boolean {
  const parts: Array<(p: string) => boolean> = [];
  let defaults = false;
  for (const m of maps) {
    const stored = m.metadata.universe;
    if (stored === undefined) {
      defaults = true;
      continue;
    }
    try {
      parts.push(universeMatcher(parseUniverse(stored)));
    } catch (err) {
      if (!(err instanceof UniverseShapeError)) throw err;
      warnings.push(`the coverage map's recorded test universe is unusable (${err.message}): the default tests: globs stand in`);
      defaults = true;
    }
  }
  if (defaults) parts.push(anyGlob(config.tests));
  let recorded: Set<string>;
  try {
    recorded = new Set(table.testNames());
  } catch (err) {
    // A corrupt test table: the strategies that read it fail and force the full suite.
    if (!(err instanceof MapError)) throw err;
    recorded = new Set();
  }
  return (p) => !p.includes('node_modules/') && (recorded.has(p) || parts.some((t) => t(p)));
}
