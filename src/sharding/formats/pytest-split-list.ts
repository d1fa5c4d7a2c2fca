import { TimingError } from '../../errors.js';
import type { TimingReport } from '../types.js';
import { addTo, BadEntries, checkSeconds, preview } from './common.js';
import { fileOfTestId } from './knapsack-json.js';

/** pytest-split's legacy `.test_durations` form: a JSON list of `[test id, seconds]` pairs. */
export function parsePytestSplitPairs(file: string, text: string, json: unknown[], warnings?: string[]): TimingReport {
  const report: TimingReport = new Map();
  const bad = new BadEntries(file, text);
  json.forEach((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string') {
      throw new TimingError({ file, key: `[${i}]` }, `expected a [test id, seconds] pair, got ${preview(pair)}`);
    }
    const id = pair[0];
    const seconds = checkSeconds(file, text, id, pair[1], bad, fileOfTestId(id));
    if (seconds !== undefined) addTo(report, fileOfTestId(id), seconds);
  });
  return bad.apply(report, warnings);
}
