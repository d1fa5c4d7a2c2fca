import { TimingError } from '../../errors.js';
import { relativeTo } from '../../util/paths.js';
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
    const path = relativeTo(root, r.name);
    report.set(path, (report.get(path) ?? 0) + ms / 1000);
  });
  return report;
}

function millis(r: JestFileResult): number | undefined {
  const runtime = r.perfStats?.runtime;
  if (typeof runtime === 'number' && Number.isFinite(runtime) && runtime >= 0) return runtime;
  const { startTime, endTime } = r;
  if (typeof startTime === 'number' && typeof endTime === 'number' && endTime >= startTime) return endTime - startTime;
  return undefined;
}
