import type { DetectResult } from '../detect.js';
import { fromCwd } from './list.js';
import { summarize, type DetectSummary } from './summary.js';

/**
 * `detect --format json`: the docs/formats.md contract object (extra keys are additive). `summary`
 * holds the counts, the time estimate and the summary line; without `summary` given, the
 * estimate is unknown ("no timings").
 */
export function selectionJson(r: DetectResult, opts: { summary?: DetectSummary } = {}): string {
  const out = {
    mode: r.mode,
    reasons: r.reasons,
    tests: r.tests,
    selection: r.selection,
    changedFiles: r.changedFiles,
    failFast: r.failFast,
    warnings: r.warnings,
    labels: r.labels,
    base: r.base,
    head: r.head,
    mergeBase: r.mergeBase,
    map: r.map,
    staleFiles: r.staleFiles,
    unmapped: r.unmapped,
    ignored: r.ignored,
    summary: opts.summary ?? summarize(r, { missing: 'no timings' }),
    // Run from a package: where, and the list's paths (`tests` stays repo-relative: the runner
    // integrations match those).
    ...(r.cwd ? { cwd: r.cwd, cwdTests: fromCwd(r.tests, r.cwd) } : {}),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
