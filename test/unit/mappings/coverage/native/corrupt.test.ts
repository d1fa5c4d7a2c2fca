// A damaged map must become a MapError naming the file — never a wrong answer.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { MapError } from '../../../../../src/errors.js';
import { mergeMapRecords } from '../../../../../src/mappings/coverage/merge.js';
import { MapBuilder, type MapRecord } from '../../../../../src/mappings/coverage/model.js';
import { crc32Fallback } from '../../../../../src/mappings/coverage/native/crc32.js';
import { decodeNativeRecord, encodeNativeMap, openNativeMap } from '../../../../../src/mappings/coverage/native/index.js';
import { flipPositions } from '../../../../helpers/flip-positions.js';

const dir = mkdtempSync(join(tmpdir(), 'testsift-native-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sample(): MapRecord {
  const b = new MapBuilder({ format: 'native', commit: 'c0ffee' });
  for (let t = 0; t < 40; t++) {
    b.addEdge('lib/hot.rb', `spec/t${t}_spec.rb`);
    if (t % 3 === 0) b.addEdge('lib/third.rb', `spec/t${t}_spec.rb`);
    if (t === 7) b.addEdge('lib/one.rb', `spec/t${t}_spec.rb`);
    if (t !== 5) b.addEdge('lib/almost.rb', `spec/t${t}_spec.rb`);
  }
  b.addKnown('lib/unused.rb');
  b.setBlocks('lib/one.rb', [{ id: 0, name: '', start: 1, end: 9 }, { id: 1, name: 'f', start: 2, end: 4 }]);
  b.addExecutedBlocks('lib/one.rb', 'spec/t7_spec.rb', [1]);
  return b.build();
}

/** The sample split across two commits and merged: a version 2 map with its recordingTests section. */
function multiCommit(): MapRecord {
  const whole = sample();
  const parts = [0, 1].map((half) => {
    const b = new MapBuilder({ format: 'native', commit: half === 0 ? 'c0ffee' : 'beef42', timestamp: `2025-01-0${half + 1}T00:00:00.000Z` });
    for (const [source, ids] of whole.rows) for (const id of ids) if (id % 2 === half || id === 7) b.addEdge(source, whole.tests[id]);
    return b.build();
  });
  const one = whole.blocks!.get('lib/one.rb')!;
  parts[1].blocks = new Map([['lib/one.rb', { blocks: one.blocks, executed: new Map([[parts[1].tests.indexOf('spec/t7_spec.rb'), [1]]]) }]]);
  const merged = mergeMapRecords(parts, ['a', 'b']).record;
  merged.unused.add('lib/unused.rb');
  return merged;
}

const SOURCES = ['lib/hot.rb', 'lib/third.rb', 'lib/one.rb', 'lib/almost.rb', 'lib/unused.rb', 'lib/unknown.rb'];

/** Everything a consumer can ask, as plain data (and the per-test commits, which only a full decode reads). */
function answers(path: string) {
  const map = openNativeMap(path);
  try {
    return {
      recordingTests: decodeNativeRecord(readFileSync(path), path).recordingTests,
      metadata: map.metadata,
      stats: map.stats(),
      rows: SOURCES.map((s) => [map.isKnown(s), map.testsFor(s), map.blocksFor(s)]),
      union: [...map.unionTestIds(SOURCES)],
    };
  } finally {
    map.close();
  }
}

function writeBytes(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

function expectMapError(fn: () => unknown, file: string, pattern?: RegExp): void {
  let error: unknown;
  try {
    fn();
  } catch (err) {
    error = err;
  }
  expect(error, 'expected a MapError').toBeInstanceOf(MapError);
  expect((error as MapError).message).toContain(file);
  expect((error as MapError).exitCode).toBe(2);
  if (pattern) expect((error as MapError).message).toMatch(pattern);
}

function everyTruncationFails(good: Uint8Array): void {
  for (let len = 0; len < good.length; len += len < 64 ? 1 : 7) {
    const cut = good.subarray(0, len);
    const p = writeBytes(`cut-${len}.map`, cut);
    expectMapError(() => openNativeMap(p), p);
    expectMapError(() => decodeNativeRecord(cut, `cut-${len}.map`), `cut-${len}.map`);
  }
}

function everyFlipFailsOrChangesNothing(good: Uint8Array): void {
  const expected = answers(writeBytes('good.map', good));
  let detected = 0;
  const { positions, padding } = flipPositions(good);
  for (const pos of positions) {
    const bad = good.slice();
    bad[pos] ^= 1 << pos % 8;
    const p = writeBytes('flip.map', bad);
    let got: unknown;
    try {
      got = answers(p);
    } catch (err) {
      expect(err, `byte ${pos}`).toBeInstanceOf(MapError);
      expect((err as Error).message).toContain(p);
      detected++;
      continue;
    }
    // Undetected flips can only be in alignment padding, which nothing reads.
    expect(got, `byte ${pos} changed an answer`).toEqual(expected);
  }
  // nearly every byte matters; only padding may go unnoticed
  expect(detected).toBeGreaterThan(positions.filter((p) => !padding.has(p)).length * 0.95);
}

describe('damaged native maps of several commits (version 2, section recordingTests)', () => {
  const good = encodeNativeMap(multiCommit());

  it('the sample is a version 2 map with two recordings', () => {
    expect(new DataView(good.buffer).getUint32(8, true)).toBe(2);
    expect(decodeNativeRecord(good, 'mem').recordingTests).toHaveLength(2);
  });

  it('every truncation → MapError at open (and in full decode)', () => everyTruncationFails(good));

  it('a flipped bit anywhere → MapError or the exact original answers, never a wrong one', () => everyFlipFailsOrChangesNothing(good));
});

describe('damaged native maps', () => {
  const good = encodeNativeMap(sample());

  it('bad magic (a JSON map handed to the native reader) → MapError', () => {
    const p = writeBytes('json.map', new TextEncoder().encode('{"lib/a.rb": ["spec/a_spec.rb"]}'));
    expectMapError(() => openNativeMap(p), p, /not a testsift native map/);
    expectMapError(() => decodeNativeRecord(new TextEncoder().encode('{"lib/a.rb": ["spec/a_spec.rb"]}'), 'x.json'), 'x.json');
  });

  it('a future format version → MapError saying to upgrade', () => {
    const future = good.slice();
    new DataView(future.buffer).setUint32(8, 3, true);
    const p = writeBytes('future.map', future);
    expectMapError(() => openNativeMap(p), p, /version 3, newer than this testsift reads \(2\)/);
  });

  it('missing file, directory, empty file → MapError', () => {
    const missing = join(dir, 'nope.map');
    expectMapError(() => openNativeMap(missing), missing, /does not exist/);
    const sub = join(dir, 'adir');
    mkdirSync(sub);
    expectMapError(() => openNativeMap(sub), sub);
    const empty = writeBytes('empty.map', new Uint8Array(0));
    expectMapError(() => openNativeMap(empty), empty, /empty/);
  });

  it('every truncation → MapError at open (and in full decode)', () => everyTruncationFails(good));

  it('appended bytes → MapError', () => {
    const longer = new Uint8Array(good.length + 3);
    longer.set(good);
    const p = writeBytes('long.map', longer);
    expectMapError(() => openNativeMap(p), p, /unexpected bytes/);
  });

  it('a flipped bit anywhere → MapError or the exact original answers, never a wrong one', () => everyFlipFailsOrChangesNothing(good));

  it('the fallback CRC-32 (for Node < 20.15) agrees with zlib', () => {
    const data = new TextEncoder().encode('testsift native map ✓'.repeat(50));
    expect(crc32Fallback(data)).toBe(zlibCrc32(data) >>> 0);
    expect(crc32Fallback(new Uint8Array(0))).toBe(0);
  });
});
