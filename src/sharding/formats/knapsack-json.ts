import type { TimingReport } from '../types.js';
import { addTo, checkSeconds } from './common.js';

/**
 * A JSON object of `key → seconds`: knapsack's report (keys are test files) and pytest-split's
 * `.test_durations` dict (keys are test ids `file::test[param]`). A test id is reduced to its
 * file, the part before the first `::`, and the times of a file's ids are summed; knapsack keys
 * have no `::`, so both formats go through the same loop.
 */
export function parseKeyedDurations(file: string, text: string, json: Record<string, unknown>): TimingReport {
  const report: TimingReport = new Map();
  // for…in rather than Object.entries: no array per key, which matters at 30,000 keys.
  for (const key in json) {
    const value = json[key];
    const seconds = typeof value === 'number' && value >= 0 && value !== Infinity ? value : checkSeconds(file, text, key, value);
    addTo(report, fileOfTestId(key), seconds);
  }
  return report;
}

export function fileOfTestId(id: string): string {
  const cut = id.indexOf('::');
  return cut < 0 ? id : id.slice(0, cut);
}
