// UnionCoverageMap (several maps queried as one, a public API) dates itself like `map merge`.
import { describe, expect, it } from 'vitest';
import { MapBuilder, MemoryCoverageMap } from '../../../../src/mappings/coverage/model.js';
import type { MapMetadata } from '../../../../src/mappings/coverage/types.js';
import { UnionCoverageMap } from '../../../../src/mappings/coverage/union-map.js';

function map(meta: Partial<MapMetadata>, tests: string[]): MemoryCoverageMap {
  const b = new MapBuilder({ format: 'native', ...meta });
  for (const t of tests) b.addEdge('src/a.ts', t);
  return new MemoryCoverageMap(b.build());
}

describe('UnionCoverageMap.metadata', () => {
  it('maps of one commit: that commit (the first map\'s metadata)', () => {
    const u = new UnionCoverageMap([map({ commit: 'c1', runner: 'vitest' }, ['t1']), map({ commit: 'c1' }, ['t2'])]);
    expect(u.metadata).toMatchObject({ commit: 'c1', runner: 'vitest' });
    expect(u.metadata.recordings).toBeUndefined();
  });

  it('maps of several commits: no single commit, every commit listed with its tests, the oldest timestamp', () => {
    const u = new UnionCoverageMap([
      map({ commit: 'c2', timestamp: '2025-01-02T00:00:00.000Z', runner: 'vitest' }, ['t1', 't2']),
      map({ commit: 'c1', timestamp: '2025-01-01T00:00:00.000Z' }, ['t3']),
    ]);
    expect(u.metadata.commit).toBeUndefined();
    expect(u.metadata.timestamp).toBe('2025-01-01T00:00:00.000Z');
    expect(u.metadata.runner).toBe('vitest');
    expect(u.metadata.recordings).toEqual([
      { commit: 'c2', timestamp: '2025-01-02T00:00:00.000Z', tests: 2 },
      { commit: 'c1', timestamp: '2025-01-01T00:00:00.000Z', tests: 1 },
    ]);
  });

  it('a map without a commit: the union has none (a staleness check then trusts nothing)', () => {
    const u = new UnionCoverageMap([map({ commit: 'c1' }, ['t1']), map({}, ['t2'])]);
    expect(u.metadata.commit).toBeUndefined();
    expect(u.metadata.recordings).toBeUndefined();
  });
});

describe('UnionCoverageMap as a test table', () => {
  it('merges the maps\' tables (sorted, each name once) and moves every row\'s ids into it', () => {
    const vitest = new MapBuilder({ format: 'native' });
    for (const t of ['test/z.test.ts', 'test/b.test.ts']) vitest.addEdge('src/a.ts', t);
    vitest.addEdge('src/only-vitest.ts', 'test/z.test.ts');
    const jest = new MapBuilder({ format: 'gitlab-json' });
    for (const t of ['test/b.test.ts', 'test/a.test.ts']) jest.addEdge('src/a.ts', t);
    jest.addKnown('src/unused.ts');
    const u = new UnionCoverageMap([new MemoryCoverageMap(vitest.build()), new MemoryCoverageMap(jest.build())]);
    expect(u.testNames()).toEqual(['test/a.test.ts', 'test/b.test.ts', 'test/z.test.ts']);
    expect(u.testCount).toBe(3);
    const names = (p: string) => {
      const bits = u.testBitsFor(p);
      return bits && u.testNamesOf([...Array(u.testCount).keys()].filter((t) => bits[t >>> 5] & (1 << (t & 31))));
    };
    expect(names('src/a.ts')).toEqual(['test/a.test.ts', 'test/b.test.ts', 'test/z.test.ts']);
    expect(names('src/only-vitest.ts')).toEqual(['test/z.test.ts']);
    expect(names('src/unused.ts')).toBeUndefined();
    expect(names('src/unknown.ts')).toBeUndefined();
  });
});
