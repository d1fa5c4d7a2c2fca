import type { MapRecord } from './model.js';
import type { MapFormat, MapMetadata } from './types.js';

export interface MapStats {
  path: string;
  format: MapFormat;
  bytes: number;
  metadata: MapMetadata;
  /** Files the map knows: with tests plus known-but-unused. */
  sources: number;
  sourcesWithTests: number;
  unusedSources: number;
  tests: number;
  edges: number;
  bytesPerEdge: number | null;
  /** Sources executed by the most test files (their change selects the most). */
  topSources: Array<{ source: string; tests: number }>;
  filesWithBlocks: number;
  /**
   * The commits the map's tests were recorded at, with how many tests and edges each (an edge
   * counts for its test's commits). One entry, the whole map, when it has a single commit; none
   * when it has no commit.
   */
  commits: Array<{ commit: string; timestamp?: string; tests: number; edges: number }>;
}

export function mapStats(path: string, format: MapFormat, bytes: number, record: MapRecord, top = 10): MapStats {
  let edges = 0;
  const fanIn: Array<{ source: string; tests: number }> = [];
  for (const [source, ids] of record.rows) {
    edges += ids.length;
    fanIn.push({ source, tests: ids.length });
  }
  fanIn.sort((a, b) => b.tests - a.tests || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  return {
    path,
    format,
    bytes,
    metadata: record.metadata,
    sources: record.rows.size + record.unused.size,
    sourcesWithTests: record.rows.size,
    unusedSources: record.unused.size,
    tests: record.tests.length,
    edges,
    bytesPerEdge: edges > 0 ? Math.round((bytes / edges) * 1000) / 1000 : null,
    topSources: fanIn.slice(0, top),
    filesWithBlocks: record.blocks?.size ?? 0,
    commits: commitsOf(record, edges),
  };
}

function commitsOf(record: MapRecord, edges: number): MapStats['commits'] {
  const { commit, timestamp, recordings } = record.metadata;
  if (!recordings || !record.recordingTests) {
    return commit === undefined ? [] : [{ commit, ...(timestamp === undefined ? {} : { timestamp }), tests: record.tests.length, edges }];
  }
  return recordings.map((r, i) => {
    const member = new Uint8Array(record.tests.length);
    for (const id of record.recordingTests![i]) member[id] = 1;
    let n = 0;
    for (const ids of record.rows.values()) for (const id of ids) n += member[id];
    return { commit: r.commit, ...(r.timestamp === undefined ? {} : { timestamp: r.timestamp }), tests: r.tests, edges: n };
  });
}

export function formatMapStatsText(s: MapStats): string {
  const m = s.metadata;
  const lines = [
    `map:              ${s.path}`,
    `format:           ${s.format}${m.formatVersion !== undefined ? ` (version ${m.formatVersion})` : ''}`,
    `commit:           ${m.commit ?? (s.commits.length > 1 ? `(${s.commits.length} commits, below)` : '(not recorded)')}`,
    `timestamp:        ${m.timestamp ?? '(not recorded)'}${s.commits.length > 1 && m.timestamp ? ' (the oldest part)' : ''}`,
  ];
  if (s.commits.length > 1) {
    // A merged map keeps each test's commit: detect checks staleness from every one of them.
    lines.push(`recorded at ${s.commits.length} commits (tests, edges of those tests; detect checks staleness from each):`);
    const w = String(Math.max(...s.commits.map((c) => c.tests))).length;
    const e = String(Math.max(...s.commits.map((c) => c.edges))).length;
    for (const c of s.commits) {
      lines.push(`  ${c.commit}  ${String(c.tests).padStart(w)} tests  ${String(c.edges).padStart(e)} edges  ${c.timestamp ?? '(no timestamp)'}`);
    }
  }
  if (m.runner) lines.push(`runner:           ${m.runner}${m.runnerVersion ? ` ${m.runnerVersion}` : ''}`);
  if (m.granularity) lines.push(`granularity:      ${m.granularity}`);
  if (m.root) lines.push(`root:             ${m.root}`);
  lines.push(
    `sources known:    ${s.sources} (${s.sourcesWithTests} with tests, ${s.unusedSources} executed by none)`,
    `tests:            ${s.tests}`,
    `edges:            ${s.edges}`,
    `bytes:            ${s.bytes}${s.bytesPerEdge !== null ? ` (${s.bytesPerEdge} bytes/edge)` : ''}`,
    `files with block data: ${s.filesWithBlocks}`,
  );
  if (s.topSources.length > 0) {
    lines.push(`top ${s.topSources.length} sources by fan-in (tests that executed them):`);
    const w = String(s.topSources[0].tests).length;
    for (const t of s.topSources) lines.push(`  ${String(t.tests).padStart(w)}  ${t.source}`);
  }
  return `${lines.join('\n')}\n`;
}
