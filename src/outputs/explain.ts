import type { DetectResult } from '../detect.js';
import type { Reason } from '../selection/types.js';

function describe(r: Reason): string {
  switch (r.strategy) {
    case 'changed-test':
      return `the test itself changed (${r.detail ?? 'modified'})`;
    case 'tests.yml':
      return `tests.yml rule at ${r.detail}`;
    case 'coverage-map':
      return `coverage map: it executed or read this file${r.detail && r.detail !== 'map row' ? ` [${r.detail}]` : ''}`;
    case 'previous-failure':
      return `failed in the previous run (${r.detail})`;
    case 'unrecorded-test':
      return 'the coverage map never recorded this test, so what it executes is unknown';
    default:
      return `${r.strategy}${r.detail ? ` (${r.detail})` : ''}`;
  }
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

/**
 * `detect --format explain`: for people reading a CI log. Grouped by changed file, each test with
 * the rule or map row behind it, then every full-suite reason.
 */
export function selectionExplain(r: DetectResult, opts: ExplainOptions = {}): string {
  const limit = opts.limit ?? DEFAULT_EXPLAIN_LIMIT;
  const lines: string[] = [];
  const n = r.tests.length;
  if (r.mode === 'full') {
    lines.push(`testsift: FULL SUITE — ${n} test file${n === 1 ? '' : 's'}, because:`);
    for (const reason of r.reasons) lines.push(`  - ${reason}`);
  } else {
    lines.push(`testsift: selective — ${n} test file${n === 1 ? '' : 's'} for ${r.changedFiles.length} changed file${r.changedFiles.length === 1 ? '' : 's'}`);
  }
  if (r.base || r.mergeBase) lines.push(`  diff: ${r.mergeBase ? r.mergeBase.slice(0, 12) : '?'} (merge-base of ${r.base ?? '?'} and ${r.head ?? 'HEAD'})..${r.head ?? 'HEAD'}`);
  if (r.labels.length) lines.push(`  labels: ${r.labels.join(', ')}`);
  if (r.map) lines.push(`  coverage map: ${r.map.path} (${r.map.format}${r.map.commit ? `, commit ${r.map.commit.slice(0, 12)}` : ''}${r.map.timestamp ? `, ${r.map.timestamp}` : ''})`);

  // Invert: changed file → tests with the reasons that name it.
  // One line per (changed file, test), naming every rule and map row behind it.
  const byFile = new Map<string, Map<string, string[]>>();
  const other: Array<{ test: string; why: string }> = [];
  for (const s of r.selection) {
    for (const b of s.because) {
      if (b.strategy === 'previous-failure' || b.strategy === 'unrecorded-test') {
        other.push({ test: s.test, why: describe(b) });
        continue;
      }
      let tests = byFile.get(b.file);
      if (!tests) byFile.set(b.file, (tests = new Map()));
      let whys = tests.get(s.test);
      if (!whys) tests.set(s.test, (whys = []));
      whys.push(describe(b));
    }
  }
  const ignored = new Set(r.ignored);
  const unmapped = new Set(r.unmapped);
  const stale = new Set(r.staleFiles);
  const files = [...r.changes.map((c) => ({ path: c.path, label: c.oldPath ? `renamed from ${c.oldPath}` : c.status })), ...r.staleFiles.map((p) => ({ path: p, label: 'changed since the map was recorded' }))];
  lines.push('');
  for (const f of files) {
    if (stale.has(f.path) && r.changes.some((c) => c.path === f.path)) continue;
    const tests = [...(byFile.get(f.path) ?? new Map<string, string[]>())].map(([test, whys]) => ({ test, why: whys.join('; ') }));
    let note = '';
    if (tests.length === 0) {
      note = ignored.has(f.path) ? ' — ignored (needs no tests)' : unmapped.has(f.path) ? ' — UNMAPPED: no rule or map row explains it' : ' — no tests';
    }
    lines.push(`${f.path} (${f.label})${note}`);
    const shown = upTo(tests, limit);
    const width = shown.reduce((w, t) => Math.max(w, t.test.length), 0);
    for (const t of shown) lines.push(`  ${t.test.padEnd(width)}  ← ${t.why}`);
    lines.push(...more(tests.length - shown.length, opts.jsonPath));
  }
  if (other.length) {
    lines.push('', 'also run:');
    const shown = upTo(other, limit);
    for (const t of shown) lines.push(`  ${t.test}  ← ${t.why}`);
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
