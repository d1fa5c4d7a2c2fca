import { writeFileAtomic } from '../util/fs.js';
import { isSeconds } from './durations.js';
import type { TimingReport } from './types.js';

/**
 * The report as knapsack writes it: one pretty-printed object, keys sorted so diffs between
 * versions stay small. Built by hand because JSON.stringify moves integer-like keys first.
 */
export function formatTimingReport(report: TimingReport): string {
  // Files whose time is unknown (NaN) are left out: a report holds times, and JSON has no NaN.
  const keys = [...report.keys()].filter((k) => isSeconds(report.get(k))).sort();
  if (keys.length === 0) return '{}\n';
  const lines = keys.map((k) => `  ${JSON.stringify(k)}: ${JSON.stringify(report.get(k))}`);
  return `{\n${lines.join(',\n')}\n}\n`;
}

/** Write knapsack JSON atomically: a reader or a crash never sees half a report. */
export async function writeTimingReport(path: string, report: TimingReport): Promise<void> {
  await writeFileAtomic(path, formatTimingReport(report));
}
