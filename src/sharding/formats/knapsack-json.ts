import { MAX_SECONDS } from '../durations.js';
import type { TimingReport } from '../types.js';
import { addTo, BadEntries, checkSeconds } from './common.js';

/**
 * A JSON object of `key → seconds`: knapsack's report (keys are test files) and pytest-split's
 * `.test_durations` dict (keys are test ids `file::test[param]`). A test id is reduced to its
 * file, the part before the first `::`, and the times of a file's ids are summed; knapsack keys
 * have no `::`, so both formats go through the same loop. An entry with an unusable number
 * (negative, infinite, absurd) makes its file unknown, with a warning in `warnings`.
 */
export function parseKeyedDurations(file: string, text: string, json: Record<string, unknown>, warnings?: string[]): TimingReport {
  const report: TimingReport = new Map();
  const bad = new BadEntries(file, text);
  // for…in rather than Object.entries: no array per key, which matters at 30,000 keys.
  for (const key in json) {
    const value = json[key];
    const testFile = fileOfTestId(key);
    const seconds = typeof value === 'number' && value >= 0 && value <= MAX_SECONDS ? value : checkSeconds(file, text, key, value, bad, testFile);
    if (seconds !== undefined) addTo(report, testFile, seconds);
  }
  return bad.apply(report, warnings);
}

export function fileOfTestId(id: string): string {
  const cut = id.indexOf('::');
  return cut < 0 ? id : id.slice(0, cut);
}
