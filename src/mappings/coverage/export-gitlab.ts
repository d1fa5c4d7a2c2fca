import type { MapRecord } from './model.js';

export type GitlabExportFormat = 'gitlab-json' | 'gitlab-packed';

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Tests of one source, sorted; [] for a known file no test executed. */
function testsOf(record: MapRecord, source: string): string[] {
  const ids = record.rows.get(source);
  if (!ids) return [];
  const out = Array.from(ids, (id) => record.tests[id]);
  return out.sort(byCodeUnit);
}

/** GitLab's TestMapPacker shape: path segments nest, a leaf is 1. */
function pack(tests: string[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const t of tests) {
    const parts = t.split('/');
    let node = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const next = node[parts[i]];
      if (typeof next === 'object' && next !== null) node = next as Record<string, unknown>;
      else node = (node[parts[i]] = {}) as Record<string, unknown>;
    }
    node[parts[parts.length - 1]] = 1;
  }
  return root;
}

/**
 * The record as GitLab / tff JSON (direct or packed), sorted keys, one source per line, yielded
 * in pieces of about `pieceChars` so a GitLab-scale map is never one giant string. Known files
 * that no test executed are kept as `[]` (`{}` packed): tff reads them fine and they keep
 * "known, never executed" distinct from "unknown" on a round trip.
 */
export function* gitlabJsonPieces(record: MapRecord, format: GitlabExportFormat, pieceChars = 1 << 20): Generator<string> {
  const sources = [...record.rows.keys(), ...record.unused].sort(byCodeUnit);
  let piece = '{';
  for (let i = 0; i < sources.length; i++) {
    const tests = testsOf(record, sources[i]);
    const value = format === 'gitlab-packed' ? JSON.stringify(pack(tests)) : JSON.stringify(tests);
    piece += `${i === 0 ? '' : ','}\n${JSON.stringify(sources[i])}:${value}`;
    if (piece.length >= pieceChars) {
      yield piece;
      piece = '';
    }
  }
  yield `${piece}\n}\n`;
}
