import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MapBuilder, MemoryCoverageMap, type MapRecord } from '../../../../../src/mappings/coverage/model.js';
import {
  NATIVE_MAGIC,
  decodeNativeRecord,
  encodeNativeMap,
  isNativeMap,
  openNativeMap,
  readNativeRecord,
  writeNativeMap,
} from '../../../../../src/mappings/coverage/native/index.js';

const dir = mkdtempSync(join(tmpdir(), 'testsift-native-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Record → plain object with names instead of ids, so records with different id orders compare. */
function byName(r: MapRecord) {
  const rows: Record<string, string[]> = {};
  for (const [s, ids] of r.rows) rows[s] = [...ids].map((i) => r.tests[i]).sort();
  const blocks: Record<string, unknown> = {};
  for (const [s, b] of r.blocks ?? []) {
    const executed: Record<string, number[]> = {};
    for (const [t, ids] of b.executed) executed[r.tests[t]] = ids;
    blocks[s] = { blocks: b.blocks, executed };
  }
  return { tests: [...r.tests].sort(), rows, unused: [...r.unused].sort(), blocks };
}

function sample(): MapRecord {
  const b = new MapBuilder({ format: 'gitlab-json', commit: 'abc123', timestamp: '2026-11-23T12:00:00Z', root: '/repo', runner: 'vitest', runnerVersion: '4.1.12', granularity: 'block' });
  b.addEdge('src/z.ts', 'test/z.test.ts');
  b.addEdge('src/a.ts', 'test/z.test.ts');
  b.addEdge('src/a.ts', 'test/a.test.ts');
  b.addEdge('src/a.ts', 'test/a.test.ts'); // duplicate edge
  b.addEdge('src/ünï cödé/файл.ts', 'test/日本語 テスト.test.ts');
  b.addEdge('src/with\nnewline.ts', 'test/a.test.ts');
  b.addKnown('src/never-run.ts');
  b.addKnown('src/a.ts');
  b.setBlocks('src/a.ts', [
    { id: 0, name: '', start: 1, end: 40 },
    { id: 1, name: 'parse', start: 3, end: 10 },
    { id: 2, name: 'ränder', start: 12, end: 30 },
  ]);
  b.addExecutedBlocks('src/a.ts', 'test/a.test.ts', [2, 0]);
  b.addExecutedBlocks('src/a.ts', 'test/z.test.ts', [0, 1]);
  return b.build();
}

describe('native map round trip', () => {
  it('writes the magic and is sniffed by isNativeMap', () => {
    const bytes = encodeNativeMap(sample());
    expect(isNativeMap(bytes.subarray(0, 8))).toBe(true);
    expect([...bytes.subarray(0, NATIVE_MAGIC.length)]).toEqual([...NATIVE_MAGIC]);
    expect(isNativeMap(new TextEncoder().encode('{"src/a.rb": []}'))).toBe(false);
    expect(isNativeMap(bytes.subarray(0, 4))).toBe(false);
  });

  it('decodes to the same record: rows, unused, unicode/newline names, blocks, metadata', () => {
    const rec = sample();
    const back = decodeNativeRecord(encodeNativeMap(rec), 'mem.map');
    expect(byName(back)).toEqual(byName(rec));
    expect(back.metadata).toMatchObject({ format: 'native', formatVersion: 1, commit: 'abc123', timestamp: '2026-11-23T12:00:00Z', root: '/repo', runner: 'vitest', runnerVersion: '4.1.12', granularity: 'block' });
    expect(back.metadata.testsiftVersion).toBe(JSON.parse(readFileSync(new URL('../../../../../package.json', import.meta.url), 'utf8')).version);
    // tests come back in sorted order: ids ascending = names sorted
    expect(back.tests).toEqual([...back.tests].sort());
  });

  it('round-trips an empty map', async () => {
    const empty: MapRecord = { metadata: { format: 'native' }, tests: [], rows: new Map(), unused: new Set() };
    const path = join(dir, 'empty.map');
    await writeNativeMap(path, empty);
    const back = readNativeRecord(path);
    expect(byName(back)).toEqual({ tests: [], rows: {}, unused: [], blocks: {} });
    const map = openNativeMap(path);
    expect(map.stats()).toEqual({ sources: 0, tests: 0, edges: 0 });
    expect(map.isKnown('src/a.ts')).toBe(false);
    expect(map.testsFor('src/a.ts')).toEqual([]);
    expect(map.unionTestIds(['src/a.ts']).length).toBe(0);
    map.close();
  });

  it('keeps recorded tests that executed nothing (so detect can tell them from unrecorded ones)', async () => {
    const rec: MapRecord = { metadata: { format: 'native' }, tests: ['spec/idle_spec.rb', 'spec/a_spec.rb'], rows: new Map([['lib/a.rb', Uint32Array.of(1)]]), unused: new Set() };
    const path = join(dir, 'idle.map');
    await writeNativeMap(path, rec);
    const map = openNativeMap(path);
    expect([...map.testNames()]).toEqual(['spec/a_spec.rb', 'spec/idle_spec.rb']);
    expect(map.stats().tests).toBe(2);
    map.close();
  });

  it('keeps a present-but-empty row distinct from an unused file', () => {
    const rec: MapRecord = { metadata: { format: 'native' }, tests: ['t1'], rows: new Map([['src/empty-row.ts', new Uint32Array(0)]]), unused: new Set(['src/unused.ts']) };
    const back = decodeNativeRecord(encodeNativeMap(rec), 'mem.map');
    expect([...back.rows.keys()]).toEqual(['src/empty-row.ts']);
    expect([...back.unused]).toEqual(['src/unused.ts']);
  });

  it('handles test ids above 2^16 and every row encoding (sparse, dense bitmap, complement)', () => {
    const n = 70_000;
    const tests = Array.from({ length: n }, (_, i) => `spec/t${String(i).padStart(6, '0')}_spec.rb`);
    const all = Uint32Array.from({ length: n }, (_, i) => i);
    const rows = new Map<string, Uint32Array>([
      ['sparse.rb', Uint32Array.of(0, 65_535, 65_536, 69_999)],
      ['dense.rb', all.filter((i) => i % 3 === 0)],
      ['almost-all.rb', all.filter((i) => i !== 12_345 && i !== 69_998)],
      ['all.rb', all],
      ['single-high.rb', Uint32Array.of(69_999)],
    ]);
    const rec: MapRecord = { metadata: { format: 'native' }, tests, rows, unused: new Set() };
    const bytes = encodeNativeMap(rec);
    const back = decodeNativeRecord(bytes, 'mem.map');
    for (const [s, ids] of rows) expect([...back.rows.get(s)!], s).toEqual([...ids]);
    // the dense rows must not cost a byte an edge
    const edges = [...rows.values()].reduce((a, r) => a + r.length, 0);
    expect(bytes.length - new TextEncoder().encode(tests.join('\0')).length).toBeLessThan(edges / 4);
  });

  it('renumbers tests given in any order and merges duplicate names', () => {
    const rec: MapRecord = {
      metadata: { format: 'native' },
      tests: ['b', 'a', 'c', 'a'],
      rows: new Map([['s', Uint32Array.of(0, 1, 3)], ['r', Uint32Array.of(2, 3)]]),
      unused: new Set(),
    };
    const back = decodeNativeRecord(encodeNativeMap(rec), 'mem.map');
    expect(back.tests).toEqual(['a', 'b', 'c']);
    expect([...back.rows.get('s')!]).toEqual([0, 1]);
    expect([...back.rows.get('r')!]).toEqual([0, 2]);
  });

  it('opens lazily and answers like MemoryCoverageMap, incl. blocks and the integer API', async () => {
    const rec = sample();
    const path = join(dir, 'sample.map');
    await writeNativeMap(path, rec);
    const mem = new MemoryCoverageMap(rec);
    const map = openNativeMap(path);
    for (const p of ['src/a.ts', 'src/z.ts', 'src/never-run.ts', 'src/ünï cödé/файл.ts', 'src/with\nnewline.ts', 'src/unknown.ts', '']) {
      expect(map.isKnown(p), p).toBe(mem.isKnown(p));
      expect([...map.testsFor(p)].sort(), p).toEqual([...mem.testsFor(p)].sort());
      expect(map.blocksFor(p), p).toEqual(mem.blocksFor(p));
    }
    expect(map.stats()).toEqual(mem.stats());
    expect([...map.testNames()]).toEqual([...mem.testNames()]);
    const ids = map.unionTestIds(['src/a.ts', 'src/z.ts']);
    expect(map.testNamesOf(ids)).toEqual(['test/a.test.ts', 'test/z.test.ts']);
    expect(map.testName(ids[0])).toBe('test/a.test.ts');
    expect(map.metadata.commit).toBe('abc123');
    map.close();
  });

  it('a failed write leaves the previous map intact and no temp file behind', async () => {
    const path = join(dir, 'keep', 'map.bin');
    await writeNativeMap(path, sample());
    const before = readFileSync(path);
    const bad: MapRecord = { metadata: { format: 'native' }, tests: ['spec/a\0b_spec.rb'], rows: new Map([['lib/a.rb', Uint32Array.of(0)]]), unused: new Set() };
    await expect(writeNativeMap(path, bad)).rejects.toThrow(/NUL/);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(join(dir, 'keep'))).toEqual(['map.bin']);
  });
});
