import type { RanFiles } from './report-files.js';

/** The outcome of checking the jobs' reports against the selected tests. */
export interface VerifyResult {
  selected: number;
  /** Selected tests in no report. */
  missing: string[];
  /** Selected tests in more than one report, with those reports. */
  duplicated: Array<{ test: string; reports: string[] }>;
  /** Files the reports name that were not selected (extra work, not an error). */
  unexpected: Array<{ test: string; reports: string[] }>;
  /** Test cases of each report that could not be tied to a file. */
  unattributed: Array<{ report: string; count: number }>;
  ok: boolean;
}

/**
 * Every selected test must appear in exactly one job's report. A test in none ran nowhere (the
 * bug this exists to catch: jobs that split differently, a job that died); a test in two ran
 * twice, which also means the jobs did not share one split. Each report counts a file once,
 * however many test cases of it it lists.
 */
export function verifyRuns(selected: readonly string[], reports: ReadonlyArray<{ file: string; ran: RanFiles }>): VerifyResult {
  const seen = new Map<string, string[]>();
  const extra = new Map<string, string[]>();
  for (const r of reports) {
    for (const t of r.ran.ran) {
      const list = seen.get(t);
      if (list) list.push(r.file);
      else seen.set(t, [r.file]);
    }
    for (const t of r.ran.unexpected) {
      const list = extra.get(t);
      if (list) list.push(r.file);
      else extra.set(t, [r.file]);
    }
  }
  const unique = [...new Set(selected)].sort();
  const missing = unique.filter((t) => !seen.has(t));
  const duplicated = unique.filter((t) => (seen.get(t)?.length ?? 0) > 1).map((test) => ({ test, reports: seen.get(test)! }));
  const unexpected = [...extra.keys()].sort().map((test) => ({ test, reports: extra.get(test)! }));
  const unattributed = reports.filter((r) => r.ran.unattributed > 0).map((r) => ({ report: r.file, count: r.ran.unattributed }));
  return { selected: unique.length, missing, duplicated, unexpected, unattributed, ok: missing.length === 0 && duplicated.length === 0 };
}
