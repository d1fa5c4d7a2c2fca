// A damaged map must become a MapError naming the file — never a wrong answer.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { MapError } from '../../src/errors.js';
import { MapBuilder, type MapRecord } from '../../src/mappings/coverage/model.js';
import { crc32Fallback } from '../../src/mappings/coverage/native/crc32.js';
import { decodeNativeRecord, encodeNativeMap, openNativeMap } from '../../src/mappings/coverage/native/index.js';

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

const SOURCES = ['lib/hot.rb', 'lib/third.rb', 'lib/one.rb', 'lib/almost.rb', 'lib/unused.rb', 'lib/unknown.rb'];

/** Everything a consumer can ask, as plain data. */
function answers(path: string) {
  const map = openNativeMap(path);
  try {
    return {
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

describe('damaged native maps', () => {
  const good = encodeNativeMap(sample());

  it('bad magic (a JSON map handed to the native reader) → MapError', () => {
    const p = writeBytes('json.map', new TextEncoder().encode('{"lib/a.rb": ["spec/a_spec.rb"]}'));
    expectMapError(() => openNativeMap(p), p, /not a testsift native map/);
    expectMapError(() => decodeNativeRecord(new TextEncoder().encode('{"lib/a.rb": ["spec/a_spec.rb"]}'), 'x.json'), 'x.json');
  });

  it('a future format version → MapError saying to upgrade', () => {
    const future = good.slice();
    new DataView(future.buffer).setUint32(8, 2, true);
    const p = writeBytes('future.map', future);
    expectMapError(() => openNativeMap(p), p, /version 2, newer than this testsift reads \(1\)/);
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

  it('every truncation → MapError at open (and in full decode)', () => {
    for (let len = 0; len < good.length; len += len < 64 ? 1 : 7) {
      const cut = good.subarray(0, len);
      const p = writeBytes(`cut-${len}.map`, cut);
      expectMapError(() => openNativeMap(p), p);
      expectMapError(() => decodeNativeRecord(cut, `cut-${len}.map`), `cut-${len}.map`);
    }
  });

  it('appended bytes → MapError', () => {
    const longer = new Uint8Array(good.length + 3);
    longer.set(good);
    const p = writeBytes('long.map', longer);
    expectMapError(() => openNativeMap(p), p, /unexpected bytes/);
  });

  it('a flipped bit anywhere → MapError or the exact original answers, never a wrong one', () => {
    const expected = answers(writeBytes('good.map', good));
    let detected = 0;
    for (let pos = 0; pos < good.length; pos++) {
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
    expect(detected).toBeGreaterThan(good.length * 0.95);
  });

  it('the fallback CRC-32 (for Node < 20.15) agrees with zlib', () => {
    const data = new TextEncoder().encode('testsift native map ✓'.repeat(50));
    expect(crc32Fallback(data)).toBe(zlibCrc32(data) >>> 0);
    expect(crc32Fallback(new Uint8Array(0))).toBe(0);
  });
});
