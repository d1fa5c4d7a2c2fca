import type { DetectResult } from '../detect.js';
import { estimateUnknown, isSeconds } from '../sharding/estimate.js';
import type { TimingReport } from '../sharding/types.js';

/** Where detect's time estimate comes from: a timing report read, or why there is none. */
export type TimingSource = { report: TimingReport; file: string } | { report?: undefined; missing: string };

export interface TimeEstimate {
  /** Seconds the tests to run take: recorded, or their folder's median where a test has none. */
  selectedSeconds: number;
  /** The same for every test file (the full suite). */
  totalSeconds: number;
  /** Tests to run without a recorded time. */
  untimedSelected: number;
  /** Test files without a recorded time, of all of them. */
  untimedTotal: number;
  /** The timing report the times came from. */
  timings: string;
}

/** The counts and the time estimate: `summary` in detect's JSON, the first line everywhere else. */
export interface DetectSummary {
  mode: DetectResult['mode'];
  /** Test files to run. */
  selected: number;
  /** Test files there are: the universe (plus any selected test outside its globs). */
  total: number;
  /** selected / total in percent, rounded; null when there is no test file at all. */
  percent: number | null;
  changedFiles: number;
  /** null when it cannot be estimated; `estimateMissing` says why. */
  estimate: TimeEstimate | null;
  estimateMissing?: string;
  /** The one-line summary, without a trailing newline. */
  text: string;
}

/**
 * Counts and estimate for a detect result. "Of all" is the test files a full run has (see
 * DetectResult.allTests) together with any selected test outside them (a tests.yml rule or a
 * JUnit report can name one), so the share is never above 100%.
 */
export function summarize(r: DetectResult, timings: TimingSource): DetectSummary {
  const { all, toRun } = unionOf(r.allTests, r.tests);
  const total = all.length;
  const selected = toRun.count;
  const percent = total === 0 ? null : Math.round((100 * selected) / total);

  let estimate: TimeEstimate | null = null;
  let estimateMissing: string | undefined;
  if (timings.report === undefined) {
    estimateMissing = timings.missing;
  } else {
    estimate = estimateTimes(all, toRun.has, timings.report, timings.file);
    if (estimate.untimedTotal === total && total > 0) {
      // Folder medians of a report that knows none of these files would be made up.
      estimateMissing = `no test file has a recorded time in ${timings.file}`;
      estimate = null;
    }
  }
  const base = { mode: r.mode, selected, total, percent, changedFiles: r.changedFiles.length, estimate };
  const summary: DetectSummary = { ...base, ...(estimateMissing ? { estimateMissing } : {}), text: '' };
  summary.text = summaryText(summary);
  return summary;
}

function isSorted(list: readonly string[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i - 1]! >= list[i]!) return false;
  return true;
}

/**
 * Universe ∪ tests to run, and which of them run. Both lists come sorted (and duplicate-free)
 * from detect, so one merge walk does it: at GitLab scale a Set of 25k paths and 25k lookups
 * cost more than the rest of the summary. Any other input takes the Set way.
 */
function unionOf(universe: readonly string[], tests: readonly string[]): { all: string[]; toRun: { count: number; has: (i: number) => boolean } } {
  if (isSorted(universe) && isSorted(tests)) {
    const all: string[] = [];
    const run = new Uint8Array(universe.length + tests.length);
    let i = 0;
    let j = 0;
    while (i < universe.length || j < tests.length) {
      const u = universe[i];
      const t = tests[j];
      if (t === undefined || (u !== undefined && u < t)) {
        all.push(u!);
        i++;
      } else {
        run[all.length] = 1;
        all.push(t);
        j++;
        if (u === t) i++;
      }
    }
    return { all, toRun: { count: tests.length, has: (k) => run[k] === 1 } };
  }
  const runSet = new Set(tests);
  const inUniverse = new Set(universe);
  const all = [...universe, ...[...runSet].filter((t) => !inUniverse.has(t))];
  return { all, toRun: { count: runSet.size, has: (k) => runSet.has(all[k]!) } };
}

function estimateTimes(all: readonly string[], runs: (i: number) => boolean, report: TimingReport, file: string): TimeEstimate {
  const recorded = new Float64Array(all.length);
  const unknown: string[] = [];
  for (let k = 0; k < all.length; k++) {
    const v = report.get(all[k]!);
    if (isSeconds(v)) recorded[k] = v;
    else {
      recorded[k] = Number.NaN;
      unknown.push(all[k]!);
    }
  }
  // The same rule as sharding: a test with no time costs its folder's median.
  const guessed = unknown.length > 0 && unknown.length < all.length ? estimateUnknown(unknown, report) : undefined;
  let selectedSeconds = 0;
  let totalSeconds = 0;
  let untimedSelected = 0;
  for (let k = 0; k < all.length; k++) {
    const known = !Number.isNaN(recorded[k]!);
    const s = known ? recorded[k]! : (guessed?.get(all[k]!) ?? 0);
    totalSeconds += s;
    if (runs(k)) {
      selectedSeconds += s;
      if (!known) untimedSelected++;
    }
  }
  // Milliseconds are the most a timing report can claim (and JSON then shows no float noise).
  const ms = (x: number) => Math.round(x * 1000) / 1000;
  return { selectedSeconds: ms(selectedSeconds), totalSeconds: ms(totalSeconds), untimedSelected, untimedTotal: unknown.length, timings: file };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `testsift: selective, 3 of 8 test files (38%) for 2 changed files; est. 0.4 s of 1.5 s`. */
export function summaryText(s: Omit<DetectSummary, 'text'>): string {
  const changed = `for ${plural(s.changedFiles, 'changed file')}`;
  const head =
    s.mode === 'full'
      ? `testsift: FULL SUITE, all ${plural(s.selected, 'test file')} ${changed}`
      : `testsift: selective, ${s.selected} of ${plural(s.total, 'test file')}${s.percent === null ? '' : ` (${s.percent}%)`} ${changed}`;
  return `${head}; ${estimateText(s)}`;
}

export function estimateText(s: Pick<DetectSummary, 'mode' | 'estimate' | 'estimateMissing' | 'total'>): string {
  const e = s.estimate;
  if (!e) return `est. unknown: ${s.estimateMissing ?? 'no timings'}`;
  const time = s.mode === 'full' ? `est. ${formatSeconds(e.totalSeconds)}` : `est. ${formatSeconds(e.selectedSeconds)} of ${formatSeconds(e.totalSeconds)}`;
  if (e.untimedTotal === 0) return time;
  const which = s.mode === 'full' || e.untimedSelected === e.untimedTotal ? '' : `, ${e.untimedSelected} of them selected`;
  return `${time} (${e.untimedTotal} of ${plural(s.total, 'test file')} had no timing${which}: their folder's median used)`;
}

/** Seconds for people: `0.4 s`, `42 s`, `3 min 20 s`, `1 h 5 min`. */
export function formatSeconds(seconds: number): string {
  if (seconds < 9.95) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${whole % 60} s`;
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
