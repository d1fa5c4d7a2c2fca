import { TimingError } from '../../errors.js';
import type { TimingReport } from '../types.js';
import { addTo, checkSeconds } from './common.js';
import { fileOfTestId } from './knapsack-json.js';

/** pytest-split's legacy `.test_durations` form: a JSON list of `[test id, seconds]` pairs. */
export function parsePytestSplitPairs(file: string, text: string, json: unknown[]): TimingReport {
  const report: TimingReport = new Map();
  json.forEach((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string') {
      throw new TimingError({ file, key: `[${i}]` }, `expected a [test id, seconds] pair, got ${JSON.stringify(pair)}`);
    }
    const id = pair[0];
    addTo(report, fileOfTestId(id), checkSeconds(file, text, id, pair[1]));
  });
  return report;
}
