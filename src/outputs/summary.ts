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
 * Counts and estimate for a detect result. "Of all" is the universe together with any selected
 * test outside it (a tests.yml rule or a JUnit report can name one), so the share is never above
 * 100%. The universe is read here: in selective mode that lists it (see DetectResult.universe).
 */
export function summarize(r: DetectResult, timings: TimingSource): DetectSummary {
  const universe = r.universe;
  // A Set of the (usually few) tests to run, not of the whole universe (25k at GitLab scale).
  const toRun = new Set(r.tests);
  let inUniverse = 0;
  for (const t of universe) if (toRun.has(t)) inUniverse++;
  let outside: string[] = [];
  if (inUniverse < toRun.size) {
    const known = new Set(universe);
    outside = [...toRun].filter((t) => !known.has(t));
  }
  const total = universe.length + outside.length;
  const selected = toRun.size;
  const percent = total === 0 ? null : Math.round((100 * selected) / total);

  let estimate: TimeEstimate | null = null;
  let estimateMissing: string | undefined;
  if (timings.report === undefined) {
    estimateMissing = timings.missing;
  } else {
    estimate = estimateTimes([...universe, ...outside], toRun, timings.report, timings.file);
    if (estimate && estimate.untimedTotal === total && total > 0) {
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

function estimateTimes(all: readonly string[], toRun: ReadonlySet<string>, report: TimingReport, file: string): TimeEstimate {
  const unknown: string[] = [];
  for (const t of all) if (!isSeconds(report.get(t))) unknown.push(t);
  // The same rule as sharding: a test with no time costs its folder's median.
  const guessed = estimateUnknown(unknown, report);
  let selectedSeconds = 0;
  let totalSeconds = 0;
  let untimedSelected = 0;
  for (const t of all) {
    const recorded = report.get(t);
    const s = isSeconds(recorded) ? recorded : guessed.get(t)!;
    totalSeconds += s;
    if (toRun.has(t)) {
      selectedSeconds += s;
      if (!isSeconds(recorded)) untimedSelected++;
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
