import { idsOfBits } from '../../util/bitset.js';
import type { CoverageMap, FileBlocks, MapMetadata } from './types.js';

/**
 * Several maps queried as one (e.g. a Vitest map and a Jest map of one repository): a file is
 * known if any map knows it, and its tests are the union. Block data is used only when exactly
 * one map has tests for the file (two maps' blocks are not comparable: file level is safe).
 */
export class UnionCoverageMap implements CoverageMap {
  constructor(private readonly maps: readonly CoverageMap[]) {}

  private dated: MapMetadata | undefined;

  /**
   * The first map's metadata, dated honestly: maps of one commit keep it; maps of several give
   * `recordings` (one per commit, no `commit`), as `map merge` would, so a staleness check of the
   * union checks every commit; any map without a commit leaves the union without one.
   * (`detect` checks each map on its own before making the union: same stale files.)
   */
  get metadata(): MapMetadata {
    if (this.dated) return this.dated;
    const first = this.maps[0].metadata;
    const tests = new Map<string, { timestamp?: string; tests: number }>();
    let undated = false;
    let oldest: string | undefined;
    for (const m of this.maps) {
      const meta = m.metadata;
      if (meta.timestamp !== undefined && (oldest === undefined || Date.parse(meta.timestamp) < Date.parse(oldest))) oldest = meta.timestamp;
      const list = meta.recordings ?? (meta.commit !== undefined ? [{ commit: meta.commit, timestamp: meta.timestamp, tests: m.stats().tests }] : undefined);
      if (!list) undated = true;
      for (const r of list ?? []) {
        const e = tests.get(r.commit);
        if (!e) tests.set(r.commit, { timestamp: r.timestamp, tests: r.tests });
        else {
          e.tests += r.tests;
          if (r.timestamp !== undefined && (e.timestamp === undefined || Date.parse(r.timestamp) < Date.parse(e.timestamp))) e.timestamp = r.timestamp;
        }
      }
    }
    const { commit: _c, recordings: _r, timestamp: _t, ...rest } = first;
    if (undated) this.dated = { ...rest, ...(oldest === undefined ? {} : { timestamp: oldest }) };
    else if (tests.size === 1) this.dated = tests.has(first.commit ?? '') ? first : { ...rest, commit: [...tests.keys()][0], ...(oldest === undefined ? {} : { timestamp: oldest }) };
    else {
      const recordings = [...tests].map(([commit, e]) => (e.timestamp === undefined ? { commit, tests: e.tests } : { commit, timestamp: e.timestamp, tests: e.tests }));
      this.dated = { ...rest, recordings, ...(oldest === undefined ? {} : { timestamp: oldest }) };
    }
    return this.dated;
  }

  isKnown(path: string): boolean {
    return this.maps.some((m) => m.isKnown(path));
  }

  testsFor(path: string): readonly string[] {
    const rows = this.maps.map((m) => m.testsFor(path)).filter((r) => r.length > 0);
    if (rows.length <= 1) return rows[0] ?? [];
    return [...new Set(rows.flat())];
  }

  blocksFor(path: string): FileBlocks | undefined {
    const withTests = this.maps.filter((m) => m.testsFor(path).length > 0);
    return withTests.length === 1 ? withTests[0].blocksFor(path) : undefined;
  }

  /**
   * The union's test table: every map's names, merged (each once, sorted), and per map where its
   * ids went. Built on first use: one merge of sorted lists per map.
   */
  private merged: { names: string[]; toUnion: Uint32Array[] } | undefined;

  private table(): { names: string[]; toUnion: Uint32Array[] } {
    if (this.merged) return this.merged;
    const all = new Set<string>();
    for (const m of this.maps) for (const t of m.testNames()) all.add(t);
    const names = [...all].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const toUnion = this.maps.map((m) => {
      const own = m.testNames();
      const ids = new Uint32Array(own.length);
      let j = 0;
      for (let i = 0; i < own.length; i++) {
        // Both sorted, and `names` holds every one of `own`: j only moves forward.
        while (j < names.length && names[j] !== own[i]) j++;
        if (j === names.length) throw new Error(`UnionCoverageMap: a map's test table is not sorted (at ${JSON.stringify(own[i])})`);
        ids[i] = j;
      }
      return ids;
    });
    return (this.merged = { names, toUnion });
  }

  get testCount(): number {
    return this.table().names.length;
  }

  testNames(): readonly string[] {
    return this.table().names;
  }

  testNamesOf(ids: ArrayLike<number>): string[] {
    const names = this.table().names;
    return Array.from(ids, (id) => names[id]);
  }

  /** Every map's row, its ids moved into the union's table. */
  testBitsFor(path: string): Uint32Array | undefined {
    const { names, toUnion } = this.table();
    let out: Uint32Array | undefined;
    this.maps.forEach((m, k) => {
      const bits = m.testBitsFor(path);
      if (!bits) return;
      out ??= new Uint32Array((names.length + 31) >>> 5);
      const ids = idsOfBits(bits);
      for (let i = 0; i < ids.length; i++) {
        const t = toUnion[k][ids[i]];
        out[t >>> 5] |= 1 << (t & 31);
      }
    });
    return out;
  }

  stats(): { sources: number; tests: number; edges: number } {
    const s = { sources: 0, tests: 0, edges: 0 };
    for (const m of this.maps) {
      const t = m.stats();
      s.sources += t.sources;
      s.tests += t.tests;
      s.edges += t.edges;
    }
    return s;
  }
}
