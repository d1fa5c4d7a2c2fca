/**
 * Recording commits through a merge. A test file's run records all its edges at one commit, so
 * the commit belongs to the test: a merge of maps of different commits keeps, per test, the
 * commit(s) it was recorded at, and `detect` checks staleness from each (policy/staleness.ts).
 * Dating the merged map with one input's commit instead would hide every change made between
 * the other inputs' commits and it: the rows recorded earlier would never be checked.
 */
import type { MapRecord } from './model.js';
import type { MapMetadata, Recording } from './types.js';

interface InputRecording {
  commit: string;
  timestamp?: string;
  /** Test names recorded at `commit`. */
  tests: readonly string[];
}

/** What one input says about when its tests were recorded; undefined when it records no commit. */
export function recordingsOf(r: MapRecord): InputRecording[] | undefined {
  const list = r.metadata.recordings;
  if (list && r.recordingTests) {
    return list.map((rec, i) => ({ commit: rec.commit, timestamp: rec.timestamp, tests: Array.from(r.recordingTests![i], (id) => r.tests[id]) }));
  }
  if (r.metadata.commit === undefined) return undefined;
  return [{ commit: r.metadata.commit, timestamp: r.metadata.timestamp, tests: r.tests }];
}

function time(t: string | undefined): number {
  const ms = t === undefined ? NaN : Date.parse(t);
  return Number.isFinite(ms) ? ms : Infinity;
}

/** The older of two timestamps; one that is absent or unreadable loses to one that is known. */
function older(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined || !Number.isFinite(time(a))) return b ?? a;
  if (b === undefined || !Number.isFinite(time(b))) return a;
  return time(b) < time(a) ? b : a;
}

export interface MergedDating {
  /** commit (one commit), or recordings (several), or neither (unknown); timestamp: the oldest. */
  metadata: Pick<MapMetadata, 'commit' | 'timestamp' | 'recordings'>;
  /** Parallel to metadata.recordings: ids in `merged.tests`. */
  recordingTests?: Uint32Array[];
  warnings: string[];
}

/**
 * The dating of `merged`, the union of `records` (named `names` in warnings). Conservative in
 * every case: one commit → that commit; several → each with its tests; any input without a commit
 * while another has one → no commit at all (such a map makes `detect` run the full suite: what
 * changed since the undated part was recorded is unknowable), said in a warning.
 */
export function mergeRecordings(records: readonly MapRecord[], names: readonly string[], merged: MapRecord): MergedDating {
  const warnings: string[] = [];
  let timestamp: string | undefined;
  for (const r of records) timestamp = older(timestamp, r.metadata.timestamp);
  const inputs = records.map(recordingsOf);
  const undated = names.filter((_, i) => inputs[i] === undefined);
  if (undated.length > 0) {
    if (undated.length < records.length) {
      warnings.push(
        `${undated.join(', ')} record${undated.length === 1 ? 's' : ''} no commit while other inputs do: the merged map records no commit, so 'detect' runs the full suite with it (give each input its commit: map import --commit SHA)`,
      );
    }
    return { metadata: { timestamp }, warnings };
  }

  const byCommit = new Map<string, { timestamp?: string; tests: Set<string> }>();
  for (const list of inputs) {
    for (const rec of list!) {
      let entry = byCommit.get(rec.commit);
      if (!entry) byCommit.set(rec.commit, (entry = { timestamp: rec.timestamp, tests: new Set() }));
      else entry.timestamp = older(entry.timestamp, rec.timestamp);
      for (const t of rec.tests) entry.tests.add(t);
    }
  }
  if (byCommit.size === 1) return { metadata: { commit: [...byCommit.keys()][0], timestamp }, warnings };

  const idOf = new Map<string, number>();
  merged.tests.forEach((t, i) => idOf.set(t, i));
  const ordered = [...byCommit].sort(([ca, a], [cb, b]) => time(a.timestamp) - time(b.timestamp) || (ca < cb ? -1 : ca > cb ? 1 : 0));
  const recordings: Recording[] = [];
  const recordingTests: Uint32Array[] = [];
  for (const [commit, entry] of ordered) {
    // A test the merge dropped (no edges in any input) is absent from merged.tests: it is then
    // "unrecorded" and selected every time, so it needs no commit.
    const ids = Uint32Array.from([...entry.tests].flatMap((t) => (idOf.has(t) ? [idOf.get(t)!] : []))).sort();
    recordings.push(entry.timestamp === undefined ? { commit, tests: ids.length } : { commit, timestamp: entry.timestamp, tests: ids.length });
    recordingTests.push(ids);
  }
  return { metadata: { recordings, timestamp }, recordingTests, warnings };
}
