import type { CoverageMap, FileBlocks, MapMetadata } from './types.js';

/**
 * Several maps queried as one (e.g. a Vitest map and a Jest map of one repository): a file is
 * known if any map knows it, and its tests are the union. Block data is used only when exactly
 * one map has tests for the file (two maps' blocks are not comparable: file level is safe).
 */
export class UnionCoverageMap implements CoverageMap {
  constructor(private readonly maps: readonly CoverageMap[]) {}

  get metadata(): MapMetadata {
    return this.maps[0].metadata;
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
    return withTests.length === 1 ? withTests[0].blocksFor?.(path) : undefined;
  }

  recordedTests(): Iterable<string> | undefined {
    const all = new Set<string>();
    for (const m of this.maps) {
      const tests = m.recordedTests?.();
      if (!tests) return undefined;
      for (const t of tests) all.add(t);
    }
    return all;
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
