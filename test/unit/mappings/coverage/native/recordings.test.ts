// Native format version 2: a map merged from maps of several commits keeps each test's commit.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MapError } from '../../../../../src/errors.js';
import { mergeMapRecords } from '../../../../../src/mappings/coverage/merge.js';
import { MapBuilder, type MapRecord } from '../../../../../src/mappings/coverage/model.js';
import { crc32 } from '../../../../../src/mappings/coverage/native/crc32.js';
import { decodeNativeRecord, encodeNativeMap, openNativeMap } from '../../../../../src/mappings/coverage/native/index.js';
import type { MapMetadata } from '../../../../../src/mappings/coverage/types.js';

const dir = mkdtempSync(join(tmpdir(), 'testsift-native-rec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function part(meta: Partial<MapMetadata>, edges: Array<[string, string]>): MapRecord {
  const b = new MapBuilder({ format: 'native', ...meta });
  for (const [s, t] of edges) b.addEdge(s, t);
  return b.build();
}

/** p1 at c1: x ← t, z ← u; p2 at c2: z ← u, w ← v (u recorded at both). */
function merged(): MapRecord {
  const p1 = part({ commit: 'c1c1c1', timestamp: '2025-01-01T00:00:00.000Z' }, [['src/x.ts', 'test/t.test.ts'], ['src/z.ts', 'test/u.test.ts']]);
  const p2 = part({ commit: 'c2c2c2', timestamp: '2025-01-02T00:00:00.000Z' }, [['src/z.ts', 'test/u.test.ts'], ['src/w.ts', 'test/v.test.ts']]);
  return mergeMapRecords([p2, p1], ['p2.map', 'p1.map']).record;
}

/** Per commit, the names of its tests. */
function datedTests(r: MapRecord): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  r.metadata.recordings?.forEach((rec, i) => (out[rec.commit] = Array.from(r.recordingTests![i], (id) => r.tests[id]).sort()));
  return out;
}

const EXPECTED = { c1c1c1: ['test/t.test.ts', 'test/u.test.ts'], c2c2c2: ['test/u.test.ts', 'test/v.test.ts'] };

function versionOf(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
}

/** Replace header text of the same length, fixing the header CRC (so only our check can object). */
function editHeader(bytes: Uint8Array, from: string, to: string): Uint8Array {
  expect(to.length).toBe(from.length);
  const out = bytes.slice();
  const dv = new DataView(out.buffer);
  const len = dv.getUint32(12, true);
  const json = new TextDecoder().decode(out.subarray(20, 20 + len));
  expect(json).toContain(from);
  const edited = new TextEncoder().encode(json.replace(from, to));
  out.set(edited, 20);
  dv.setUint32(16, crc32(edited), true);
  return out;
}

function mapError(fn: () => unknown): MapError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(MapError);
    return err as MapError;
  }
  throw new Error('expected a MapError');
}

describe('native map: recording commits (version 2)', () => {
  it('a merge of two commits keeps each test with its commit(s); the map has no single commit', () => {
    const m = merged();
    expect(m.metadata.commit).toBeUndefined();
    expect(m.metadata.timestamp).toBe('2025-01-01T00:00:00.000Z'); // the oldest part
    expect(m.metadata.recordings).toEqual([
      { commit: 'c1c1c1', timestamp: '2025-01-01T00:00:00.000Z', tests: 2 },
      { commit: 'c2c2c2', timestamp: '2025-01-02T00:00:00.000Z', tests: 2 },
    ]);
    expect(datedTests(m)).toEqual(EXPECTED);
  });

  it('round-trips as version 2 through decode and the lazy reader', () => {
    const bytes = encodeNativeMap(merged());
    expect(versionOf(bytes)).toBe(2);
    const back = decodeNativeRecord(bytes, 'v2.map');
    expect(back.metadata.formatVersion).toBe(2);
    expect(back.metadata.commit).toBeUndefined();
    expect(back.metadata.recordings?.map((r) => r.commit)).toEqual(['c1c1c1', 'c2c2c2']);
    expect(datedTests(back)).toEqual(EXPECTED);
    const path = join(dir, 'v2.map');
    writeFileSync(path, bytes);
    const map = openNativeMap(path);
    expect(map.metadata.recordings).toEqual(back.metadata.recordings);
    expect(map.testsFor('src/z.ts')).toEqual(['test/u.test.ts']);
    map.close();
    // …and survives being merged again (a v2 input keeps its commits).
    const third = part({ commit: 'c3c3c3', timestamp: '2025-01-03T00:00:00.000Z' }, [['src/y.ts', 'test/y.test.ts']]);
    const again = mergeMapRecords([back, third], ['v2.map', 'p3.map']).record;
    expect(datedTests(decodeNativeRecord(encodeNativeMap(again), 'again.map'))).toEqual({ ...EXPECTED, c3c3c3: ['test/y.test.ts'] });
  });

  it('a map of one commit stays version 1, with no trace of recordings (older readers keep reading it)', () => {
    const a = part({ commit: 'c1c1c1', timestamp: '2025-01-02T00:00:00.000Z' }, [['src/x.ts', 'test/t.test.ts']]);
    const b = part({ commit: 'c1c1c1', timestamp: '2025-01-01T00:00:00.000Z' }, [['src/z.ts', 'test/u.test.ts']]);
    const m = mergeMapRecords([a, b], ['a', 'b']).record;
    expect(m.metadata).toMatchObject({ commit: 'c1c1c1', timestamp: '2025-01-01T00:00:00.000Z' });
    expect(m.metadata.recordings).toBeUndefined();
    const bytes = encodeNativeMap(m);
    expect(versionOf(bytes)).toBe(1);
    expect(new TextDecoder().decode(bytes)).not.toContain('recording');
  });

  it('an input without a commit among dated ones: no commit at all, and a warning naming it', () => {
    const dated = part({ commit: 'c1c1c1' }, [['src/x.ts', 'test/t.test.ts']]);
    const undated = part({}, [['src/z.ts', 'test/u.test.ts']]);
    const { record, warnings } = mergeMapRecords([dated, undated], ['dated.map', 'undated.json']);
    expect(record.metadata.commit).toBeUndefined();
    expect(record.metadata.recordings).toBeUndefined();
    expect(warnings.join('\n')).toMatch(/undated\.json records no commit while other inputs do.*full suite/);
    expect(versionOf(encodeNativeMap(record))).toBe(1);
  });

  it('the encoder refuses a test in no recording (the reader would reject the file)', () => {
    const m = merged();
    m.recordingTests = [m.recordingTests![0], new Uint32Array(0)];
    m.metadata = { ...m.metadata, recordings: [m.metadata.recordings![0], { commit: 'c2c2c2', tests: 0 }] };
    expect(() => encodeNativeMap(m)).toThrow(/is in no recording/);
  });

  it('the reader rejects recordings in a version 1 map, a version 2 map without them, and wrong counts', () => {
    const v2 = encodeNativeMap(merged());
    const asV1 = v2.slice();
    new DataView(asV1.buffer).setUint32(8, 1, true);
    expect(mapError(() => decodeNativeRecord(asV1, 'v1.map')).message).toMatch(/version 1 map cannot have/);

    const v1 = encodeNativeMap(part({ commit: 'c1c1c1' }, [['src/x.ts', 'test/t.test.ts']]));
    const asV2 = v1.slice();
    new DataView(asV2.buffer).setUint32(8, 2, true);
    expect(mapError(() => decodeNativeRecord(asV2, 'v2.map')).message).toMatch(/lacks section recordingTests/);

    const badCount = editHeader(v2, '"tests":2}', '"tests":1}');
    expect(mapError(() => decodeNativeRecord(badCount, 'count.map')).message).toMatch(/recording c\w+ holds 2 tests, the header says 1/);

    const twice = editHeader(v2, '"commit":"c2c2c2"', '"commit":"c1c1c1"');
    expect(mapError(() => decodeNativeRecord(twice, 'twice.map')).message).toMatch(/twice/);
  });
});
