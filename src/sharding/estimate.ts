import { isSeconds } from './durations.js';
import type { TimingReport } from './types.js';

export { isSeconds };

/** What an unknown test costs when nothing at all is known: equal weights, i.e. balance by count. */
export const DEFAULT_ESTIMATE_SECONDS = 1;

/**
 * Estimates for tests the report does not know (new files, renamed ones), so they are balanced
 * like the rest instead of being dealt round-robin (knapsack's leftovers) or ignored.
 *
 * Rule: the median time of the report's files under the test's nearest enclosing folder that has
 * any (its own folder first, then the parent, … up to the whole report); with no usable time in the report,
 * {@link DEFAULT_ESTIMATE_SECONDS}. The median, not the mean, because a few huge files (a slow
 * feature spec) would make every new unit test look expensive. Folders because tests in one
 * folder tend to be of one kind (unit, request, system). The report's files are used even if
 * they are not in this run: they are the best evidence of what a file in that folder costs.
 */
export function estimateUnknown(unknown: readonly string[], report: TimingReport): Map<string, number> {
  const out = new Map<string, number>();
  if (unknown.length === 0) return out;
  const byFolder = timesByFolder(report);
  if (byFolder.size === 0) {
    for (const t of unknown) out.set(t, DEFAULT_ESTIMATE_SECONDS);
    return out;
  }
  const medians = new Map<string, number>();
  for (const test of unknown) {
    let folder = parentOf(test);
    for (;;) {
      const times = byFolder.get(folder);
      if (times) {
        let m = medians.get(folder);
        if (m === undefined) medians.set(folder, (m = median(times)));
        out.set(test, m);
        break;
      }
      folder = parentOf(folder); // '' (the whole report) always has times, so this ends
    }
  }
  return out;
}

/** Every report time listed under each of its ancestor folders ('' = the root). */
function timesByFolder(report: TimingReport): Map<string, number[]> {
  const by = new Map<string, number[]>();
  for (const [path, seconds] of report) {
    if (!isSeconds(seconds)) continue;
    let folder = path;
    do {
      folder = parentOf(folder);
      let list = by.get(folder);
      if (!list) by.set(folder, (list = []));
      list.push(seconds);
    } while (folder !== '');
  }
  return by;
}

export function parentOf(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut < 0 ? '' : path.slice(0, cut);
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
