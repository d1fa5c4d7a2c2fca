import { describe, expect, it } from 'vitest';
import { MapBuilder, MemoryCoverageMap, mergeMapRecords, type MapRecord } from '../../../../src/mappings/coverage/index.js';
import { testsForBlocks } from '../../../../src/selection/strategies/blocks.js';
import type { Block, MapMetadata } from '../../../../src/mappings/coverage/types.js';
import { edgesOf } from '../../../helpers/map-fixtures.js';

function record(meta: Partial<MapMetadata>, edges: Array<[string, string]>, known: string[] = []): MapRecord {
  const b = new MapBuilder({ format: 'native', ...meta });
  for (const [s, t] of edges) b.addEdge(s, t);
  for (const k of known) b.addKnown(k);
  return b.build();
}

const blocksA: Block[] = [
  { id: 0, name: '', start: 1, end: 30 },
  { id: 1, name: 'total', start: 3, end: 10 },
];

function withBlocks(test: string, table: Block[], executed: number[]): MapRecord {
  const b = new MapBuilder({ format: 'native', granularity: 'block', commit: 'c1', timestamp: '2025-01-01T00:00:00.000Z' });
  b.addEdge('src/cart.ts', test);
  b.setBlocks('src/cart.ts', table);
  b.addExecutedBlocks('src/cart.ts', test, executed);
  return b.build();
}

describe('mergeMapRecords', () => {
  it('unions edges and known files; a file executed in one part is no longer "unused"', () => {
    const a = record({ commit: 'c1' }, [['src/a.ts', 'test/a.test.ts']], ['src/b.ts', 'src/c.ts']);
    const b = record({ commit: 'c1' }, [['src/a.ts', 'test/b.test.ts'], ['src/b.ts', 'test/b.test.ts']]);
    const { record: m, warnings } = mergeMapRecords([a, b], ['a.map', 'b.map']);
    expect(warnings).toEqual([]);
    expect(edgesOf(m)).toEqual({
      rows: { 'src/a.ts': ['test/a.test.ts', 'test/b.test.ts'], 'src/b.ts': ['test/b.test.ts'] },
      unused: ['src/c.ts'],
    });
  });

  it('on different commits keeps each test with its commit (no single commit), the oldest timestamp, in any input order', () => {
    const older = record({ commit: 'aaa111', timestamp: '2025-01-01T00:00:00Z' }, [['x', 't1']]);
    const newer = record({ commit: 'bbb222', timestamp: '2025-02-01T00:00:00Z' }, [['y', 't2']]);
    for (const order of [[older, newer], [newer, older]]) {
      const names = order.map((r) => (r === older ? 'old.json' : 'new.json'));
      const { record: m, warnings } = mergeMapRecords(order, names);
      expect(m.metadata.commit).toBeUndefined();
      expect(m.metadata.timestamp).toBe('2025-01-01T00:00:00Z');
      expect(m.metadata.recordings).toEqual([
        { commit: 'aaa111', timestamp: '2025-01-01T00:00:00Z', tests: 1 },
        { commit: 'bbb222', timestamp: '2025-02-01T00:00:00Z', tests: 1 },
      ]);
      expect(m.recordingTests?.map((ids) => Array.from(ids, (id) => m.tests[id]))).toEqual([['t1'], ['t2']]);
      expect(warnings).toEqual([]);
      expect(edgesOf(m).rows).toEqual({ x: ['t1'], y: ['t2'] });
    }
  });

  it('keeps block data when the block tables agree', () => {
    const { record: m, warnings } = mergeMapRecords([withBlocks('test/a.test.ts', blocksA, [0, 1]), withBlocks('test/b.test.ts', blocksA, [0])], ['a', 'b']);
    expect(warnings).toEqual([]);
    expect(m.metadata.granularity).toBe('block');
    const b = m.blocks?.get('src/cart.ts');
    expect(b?.blocks).toEqual(blocksA);
    const byTest = Object.fromEntries([...(b?.executed ?? [])].map(([id, ids]) => [m.tests[id], ids]));
    expect(byTest).toEqual({ 'test/a.test.ts': [0, 1], 'test/b.test.ts': [0] });
  });

  it('drops block data for a file whose tables differ (file level, never fewer tests), with a warning', () => {
    const other: Block[] = [{ id: 0, name: '', start: 1, end: 31 }, { id: 1, name: 'total', start: 4, end: 11 }];
    const parts = [withBlocks('test/a.test.ts', blocksA, [1]), withBlocks('test/b.test.ts', other, [1]), withBlocks('test/c.test.ts', blocksA, [0])];
    const { record: m, warnings } = mergeMapRecords(parts, ['a', 'b', 'c']);
    expect(m.blocks).toBeUndefined();
    expect(m.metadata.granularity).toBe('file');
    expect(edgesOf(m).rows['src/cart.ts']).toEqual(['test/a.test.ts', 'test/b.test.ts', 'test/c.test.ts']);
    expect(warnings.join('\n')).toContain('block tables differ between the inputs for src/cart.ts');
  });

  it('drops block data for a file another input has only at file level', () => {
    const fileLevel = record({ commit: 'c1' }, [['src/cart.ts', 'test/z.test.ts']]);
    const { record: m, warnings } = mergeMapRecords([withBlocks('test/a.test.ts', blocksA, [1]), fileLevel], ['a', 'z']);
    expect(m.blocks).toBeUndefined();
    expect(warnings.join('\n')).toContain('only file-level data in another');
  });

  it('warns when root or runner differ, keeping the newer metadata', () => {
    const older = record({ commit: 'c1', timestamp: '2025-01-01T00:00:00Z', root: '/ci/a', runner: 'vitest' }, [['x', 't1']]);
    const newer = record({ commit: 'c1', timestamp: '2025-02-01T00:00:00Z', root: '/ci/b', runner: 'jest' }, [['y', 't2']]);
    const { record: m, warnings } = mergeMapRecords([newer, older], ['new.json', 'old.json']);
    expect(m.metadata).toMatchObject({ root: '/ci/b', runner: 'jest' });
    expect(warnings).toEqual([
      'maps recorded with different roots: old.json (root /ci/a) and new.json (root /ci/b); keeping the metadata of the newer, new.json',
      'maps recorded with different runners: old.json (runner vitest) and new.json (runner jest); keeping the metadata of the newer, new.json',
    ]);
    // Same values, or one side not recorded: nothing to say.
    const same = record({ commit: 'c1', timestamp: '2025-03-01T00:00:00Z', root: '/ci/b' }, [['z', 't3']]);
    expect(mergeMapRecords([newer, same], ['new.json', 'same.json']).warnings).toEqual([]);
  });
});

describe('mergeMapRecords: a test without block data in one input', () => {
  const blocks3: Block[] = [...blocksA, { id: 2, name: 'discount', start: 12, end: 20 }];
  /** Job A: cart.test.ts ran `total` only. */
  function jobA(): MapRecord {
    const b = new MapBuilder({ format: 'native', granularity: 'block', runner: 'vitest', commit: 'c1', timestamp: '2025-01-01T00:00:00.000Z' });
    b.addEdge('src/cart.ts', 'test/cart.test.ts');
    b.setBlocks('src/cart.ts', blocks3);
    b.addExecutedBlocks('src/cart.ts', 'test/cart.test.ts', [0, 1]);
    return b.build();
  }
  /** Job B: cart.test.ts ran the file but its functions could not be matched; discount.test.ts ran `discount`. */
  function jobB(): MapRecord {
    const b = new MapBuilder({ format: 'native', granularity: 'block', runner: 'vitest', commit: 'c1', timestamp: '2025-01-01T00:00:00.000Z' });
    b.addEdge('src/cart.ts', 'test/cart.test.ts');
    b.addEdge('src/cart.ts', 'test/discount.test.ts');
    b.setBlocks('src/cart.ts', blocks3);
    b.addExecutedBlocks('src/cart.ts', 'test/discount.test.ts', [0, 2]);
    return b.build();
  }

  it('ends up without block data for that file, in either input order, so a change in any function selects it', () => {
    for (const parts of [[jobA(), jobB()], [jobB(), jobA()]]) {
      const { record: m, warnings } = mergeMapRecords(parts, ['a', 'b']);
      expect(warnings).toEqual([]);
      const map = new MemoryCoverageMap(m);
      const data = map.blocksFor('src/cart.ts')!;
      expect(data.blocks).toEqual(blocks3);
      expect(Object.fromEntries(data.executed)).toEqual({ 'test/discount.test.ts': [0, 2] });
      const fileTests = map.testsFor('src/cart.ts');
      // A change inside `discount` (line 15): cart.test.ts is unknown there, so it runs too.
      expect(testsForBlocks(fileTests, data, [{ start: 15, end: 15 }])).toEqual(['test/cart.test.ts', 'test/discount.test.ts']);
      // Inside `total` (line 5): discount.test.ts never ran it; cart.test.ts still unknown.
      expect(testsForBlocks(fileTests, data, [{ start: 5, end: 5 }])).toEqual(['test/cart.test.ts']);
    }
  });

  it('a table conflict with a third input keeps the file at file level (a later equal table does not revive it)', () => {
    const other: Block[] = [{ id: 0, name: '', start: 1, end: 31 }];
    const b = new MapBuilder({ format: 'native' });
    for (const [test, table] of [['t1', blocksA], ['t2', other], ['t3', blocksA]] as const) {
      b.addEdge('src/cart.ts', test);
      b.setBlocks('src/cart.ts', table);
      b.addExecutedBlocks('src/cart.ts', test, [0]);
    }
    expect(b.build().blocks).toBeUndefined();
  });
});
