import type { DetectResult } from '../detect.js';
import type { Reason, Strategy } from '../selection/types.js';
import { selectionByFile, type NoTestsKind } from './by-file.js';
import { summarize, type DetectSummary } from './summary.js';

const NO_TESTS: Record<NoTestsKind, string> = {
  ignored: ' — ignored (needs no tests)',
  unmapped: ' — UNMAPPED: no rule or map row explains it',
  none: ' — no tests',
};

/**
 * Reasons in words, each by the strategy that gave it (the strategies describe their own
 * reasons, a caller's as well as the built-in ones). A reason of no strategy in the list (a
 * result put together by hand) reads as its name and detail.
 */
export function describer(strategies: readonly Strategy[]): (r: Reason) => string {
  const byName = new Map(strategies.map((s) => [s.name, s]));
  return (r) => byName.get(r.strategy)?.describe(r) ?? `${r.strategy}${r.detail ? ` (${r.detail})` : ''}`;
}

export interface ExplainOptions {
  /**
   * Tests shown under each changed file (and under "also run"); the rest are counted. 0: all.
   * Default {@link DEFAULT_EXPLAIN_LIMIT}: at GitLab scale a hot file selects 25k tests, and a
   * CI log holding every (file, test) pair (125k lines) would pass GitLab's 4 MB log limit.
   */
  limit?: number;
  /** Where every test with its reasons is written (the JSON artifact), for the "… more" lines. */
  jsonPath?: string;
  /** The summary line's data (with the time estimate); default: counts only, "no timings". */
  summary?: DetectSummary;
}

export const DEFAULT_EXPLAIN_LIMIT = 20;

/** The first `limit` items (0: all). */
function upTo<T>(items: T[], limit: number): T[] {
  return limit === 0 ? items : items.slice(0, limit);
}

function more(hidden: number, jsonPath: string | undefined): string[] {
  if (hidden === 0) return [];
  const where = jsonPath ? `all of them, with their reasons, in ${jsonPath}` : 'every test with its reasons: --format json, or --explain-limit 0';
  return [`  … and ${hidden} more (${where})`];
}

/** Block-level places of one file's tests: place → tests that executed it. */
function places(tests: Array<{ test: string; because: Reason[] }>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const t of tests) {
    for (const b of t.because) {
      if (b.strategy !== 'coverage-map' || !b.detail || b.detail.startsWith('map row')) continue;
      let list = out.get(b.detail);
      if (!list) out.set(b.detail, (list = []));
      list.push(t.test);
    }
  }
  return out;
}

/**
 * `detect --format explain`: for people reading a CI log. Grouped by changed file, each test with
 * the rule or map row behind it, then every full-suite reason.
 */
export function selectionExplain(r: DetectResult, opts: ExplainOptions = {}): string {
  const limit = opts.limit ?? DEFAULT_EXPLAIN_LIMIT;
  const lines: string[] = [];
  // The summary line first (the same line detect prints on stderr for the other formats).
  lines.push((opts.summary ?? summarize(r, { missing: 'no timings' })).text);
  if (r.mode === 'full') {
    lines.push('full suite, because:');
    for (const reason of r.reasons) lines.push(`  - ${reason}`);
  }
  if (r.base || r.mergeBase)
    lines.push(`  diff: ${r.mergeBase ? r.mergeBase.slice(0, 12) : '?'} (merge-base of ${r.base ?? '?'} and ${r.head ?? 'HEAD'})..${r.head ?? 'HEAD'}`);
  if (r.labels.length) lines.push(`  labels: ${r.labels.join(', ')}`);
  if (r.map) {
    const commits = r.map.commits ? `, commits ${r.map.commits.map((c) => c.slice(0, 12)).join(' ')}` : r.map.commit ? `, commit ${r.map.commit.slice(0, 12)}` : '';
    lines.push(`  coverage map: ${r.map.path} (${r.map.format}${commits}${r.map.timestamp ? `, ${r.map.timestamp}` : ''})`);
  }

  const { files, other } = selectionByFile(r);
  const describe = describer(r.strategies);
  lines.push('');
  for (const f of files) {
    const tests = f.tests.map((t) => ({ test: t.test, why: t.because.map(describe).join('; ') }));
    const note = f.noTests ? NO_TESTS[f.noTests] : '';
    lines.push(`${f.path} (${f.label})${note}`);
    const shown = upTo(tests, limit);
    const width = shown.reduce((w, t) => Math.max(w, t.test.length), 0);
    for (const t of shown) lines.push(`  ${t.test.padEnd(width)}  ← ${t.why}`);
    lines.push(...more(tests.length - shown.length, opts.jsonPath));
    // How the map answered: each place a change sits in with the tests that executed it, or why
    // the whole file's tests answer (block data missing, stale, untrusted, or no test ran it).
    for (const [place, names] of places(f.tests)) {
      const listed = upTo(names, limit);
      lines.push(`  ${place} ← ${listed.join(', ')}${names.length > listed.length ? `, … and ${names.length - listed.length} more` : ''}`);
    }
    for (const n of r.fileNotes ?? []) {
      // A file listed only as changed since the map was recorded says so in its header already.
      if (n.file === f.path && !n.note.endsWith(f.label)) lines.push(`  (${n.note})`);
    }
  }
  if (other.length) {
    lines.push('', 'also run:');
    const shown = upTo(other, limit);
    for (const t of shown) lines.push(`  ${t.test}  ← ${describe(t.because)}`);
    lines.push(...more(other.length - shown.length, opts.jsonPath));
  }
  if (r.failFast.tests.length) lines.push('', `fail-fast subset: ${r.failFast.tests.join(' ')}`);
  else if (r.failFast.skipped) lines.push('', `fail-fast subset skipped: ${r.failFast.skipped}`);
  if (r.warnings.length) {
    lines.push('', 'warnings:');
    for (const w of r.warnings) lines.push(`  - ${w}`);
  }
  return `${lines.join('\n')}\n`;
}
