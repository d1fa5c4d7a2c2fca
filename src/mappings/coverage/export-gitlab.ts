import type { MapRecord } from './model.js';

export type GitlabExportFormat = 'gitlab-json' | 'gitlab-packed';

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Per-test data computed once (a map has ~25k tests but ~5M edges): the rank of each test in
 * sorted order, so a row sorts as numbers, and its JSON spelling (whole, and as path segments).
 */
class TestTable {
  readonly rank: Uint32Array;
  readonly byRank: number[];
  readonly quoted: string[];
  readonly segments: string[][];

  constructor(tests: readonly string[]) {
    this.byRank = tests.map((_, i) => i).sort((a, b) => byCodeUnit(tests[a], tests[b]));
    this.rank = new Uint32Array(tests.length);
    this.byRank.forEach((id, r) => (this.rank[id] = r));
    this.quoted = tests.map((t) => JSON.stringify(t));
    this.segments = tests.map((t) => t.split('/').map((s) => JSON.stringify(s)));
  }

  /** Test ids of a row in sorted path order. */
  sorted(ids: Uint32Array): number[] {
    const ranks = new Uint32Array(ids.length);
    for (let i = 0; i < ids.length; i++) ranks[i] = this.rank[ids[i]];
    ranks.sort();
    return Array.from(ranks, (r) => this.byRank[r]);
  }
}

function directValue(t: TestTable, ids: number[]): string {
  let out = '[';
  for (let i = 0; i < ids.length; i++) out += (i === 0 ? '' : ',') + t.quoted[ids[i]];
  return `${out}]`;
}

/**
 * GitLab's TestMapPacker shape (path segments nest, a leaf is 1), written straight from the
 * sorted paths: in code-unit order every directory's paths are contiguous (a sibling that merely
 * starts with the same characters sorts wholly before or after them), so each segment is opened
 * once, and the JSON never has a repeated key.
 */
function packedValue(t: TestTable, ids: number[]): string {
  let out = '{';
  let prev: string[] | undefined;
  for (const id of ids) {
    const segs = t.segments[id];
    let common = 0;
    if (prev) {
      while (common < prev.length - 1 && common < segs.length - 1 && prev[common] === segs[common]) common++;
      out += '}'.repeat(prev.length - 1 - common) + ',';
    }
    for (let i = common; i < segs.length - 1; i++) out += `${segs[i]}:{`;
    out += `${segs[segs.length - 1]}:1`;
    prev = segs;
  }
  if (prev) out += '}'.repeat(prev.length - 1);
  return `${out}}`;
}

/**
 * The record as GitLab / tff JSON (direct or packed), sorted keys, one source per line, yielded
 * in pieces of about `pieceChars` so a GitLab-scale map is never one giant string. Known files
 * that no test executed are kept as `[]` (`{}` packed): tff reads them fine and they keep
 * "known, never executed" distinct from "unknown" on a round trip.
 */
export function* gitlabJsonPieces(record: MapRecord, format: GitlabExportFormat, pieceChars = 1 << 20): Generator<string> {
  const table = new TestTable(record.tests);
  const sources = [...record.rows.keys(), ...record.unused].sort(byCodeUnit);
  const value = format === 'gitlab-packed' ? packedValue : directValue;
  let piece = '{';
  for (let i = 0; i < sources.length; i++) {
    const ids = record.rows.get(sources[i]);
    piece += `${i === 0 ? '' : ','}\n${JSON.stringify(sources[i])}:${value(table, ids ? table.sorted(ids) : [])}`;
    if (piece.length >= pieceChars) {
      yield piece;
      piece = '';
    }
  }
  yield `${piece}\n}\n`;
}
