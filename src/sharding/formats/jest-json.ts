import { InputError, TimingError } from '../../errors.js';
import { relativeTo } from '../../util/paths.js';
import { durationProblem } from '../durations.js';
import { testKey } from '../path-key.js';
import type { TimingReport } from '../types.js';
import { BadEntries } from './common.js';

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
export function parseJestJson(file: string, text: string, json: Record<string, unknown>, root: string, warnings?: string[]): TimingReport {
  const report: TimingReport = new Map();
  const bad = new BadEntries(file, text);
  (json.testResults as unknown[]).forEach((entry, i) => {
    const r = (typeof entry === 'object' && entry !== null ? entry : {}) as JestFileResult;
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
    const problem = durationProblem(ms / 1000);
    if (problem !== undefined) bad.add(`testResults[${i}]`, path, ms / 1000, problem, false);
    else report.set(path, (report.get(path) ?? 0) + ms / 1000);
  });
  return bad.apply(report, warnings);
}

/** Above the root, or still absolute (another drive on Windows, a `C:\…` name read on Linux). */
function isOutside(path: string): boolean {
  return path === '..' || path.startsWith('../') || path.startsWith('/') || /^[A-Za-z]:\//.test(path);
}

/**
 * The file's time in ms: `perfStats.runtime` when it is a usable number, else endTime − startTime.
 * Undefined only when neither is numeric (not a jest --json entry); numeric nonsense (negative,
 * NaN from Infinity − Infinity, absurdly large) is returned for the caller to warn about.
 */
function millis(r: JestFileResult): number | undefined {
  const perf = typeof r.perfStats === 'object' && r.perfStats !== null ? r.perfStats : {};
  const runtime = perf.runtime;
  if (typeof runtime === 'number' && durationProblem(runtime / 1000) === undefined) return runtime;
  const { startTime, endTime } = r;
  if (typeof startTime === 'number' && typeof endTime === 'number') return endTime - startTime;
  return typeof runtime === 'number' ? runtime : undefined;
}
