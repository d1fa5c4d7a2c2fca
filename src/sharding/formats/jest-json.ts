import { InputError, TimingError } from '../../errors.js';
import { relativeTo } from '../../util/paths.js';
import { testKey } from '../path-key.js';
import type { TimingReport } from '../types.js';

interface JestFileResult {
  name?: unknown;
  startTime?: unknown;
  endTime?: unknown;
  perfStats?: { runtime?: unknown; start?: unknown; end?: unknown };
}

/** `jest --json` output is recognised by its `testResults` list next to the suite counters. */
export function isJestJson(json: Record<string, unknown>): boolean {
  return Array.isArray(json.testResults) && ('numTotalTestSuites' in json || 'numTotalTests' in json);
}

/**
 * `jest --json` results: per file `name` (an absolute path on the machine that ran it) and
 * `startTime`/`endTime` in ms (`perfStats.runtime` when a newer Jest wrote it). Names are made
 * relative to `root`, the checkout the report was recorded in.
 *
 * A name outside `root` means the root is wrong (another machine's checkout, a missing --root):
 * every key would be `../../Users/…`, matching no test, and `timings merge` would write them.
 * That is an InputError, not a TimingError: the report is fine, the command line is not, so
 * `shard` must stop rather than degrade to estimates as it does for a corrupt report.
 */
export function parseJestJson(file: string, json: Record<string, unknown>, root: string): TimingReport {
  const report: TimingReport = new Map();
  (json.testResults as unknown[]).forEach((entry, i) => {
    const r = (entry ?? {}) as JestFileResult;
    if (typeof r.name !== 'string' || r.name === '') {
      throw new TimingError({ file, key: `testResults[${i}].name` }, 'expected the test file path as a string');
    }
    const ms = millis(r);
    if (ms === undefined) {
      throw new TimingError({ file, key: `testResults[${i}]` }, 'expected numeric startTime/endTime (or perfStats.runtime) in ms');
    }
    const path = testKey(relativeTo(root, r.name));
    if (isOutside(path)) {
      throw new InputError(
        { file, key: `testResults[${i}].name` },
        `test file ${r.name} is outside the root ${root}: pass --root with the directory the report was recorded in (Jest's rootDir)`,
      );
    }
    report.set(path, (report.get(path) ?? 0) + ms / 1000);
  });
  return report;
}

/** Above the root, or still absolute (another drive on Windows, a `C:\…` name read on Linux). */
function isOutside(path: string): boolean {
  return path === '..' || path.startsWith('../') || path.startsWith('/') || /^[A-Za-z]:\//.test(path);
}

function millis(r: JestFileResult): number | undefined {
  const runtime = r.perfStats?.runtime;
  if (typeof runtime === 'number' && Number.isFinite(runtime) && runtime >= 0) return runtime;
  const { startTime, endTime } = r;
  // Finite both: Infinity − Infinity is NaN, which would poison every sum it reaches.
  if (typeof startTime === 'number' && typeof endTime === 'number' && Number.isFinite(endTime - startTime) && endTime >= startTime) {
    return endTime - startTime;
  }
  return undefined;
}
