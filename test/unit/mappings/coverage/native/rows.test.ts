// Row encodings: every kind, at awkward sizes (word boundaries, bitmaps crossing words), decoded
// both ways (materialised ids and OR-ed into a bitset) must give back exactly the input ids.
import { describe, expect, it } from 'vitest';
import { orRowInto, readRow, writeRow } from '../../../../../src/mappings/coverage/native/rows.js';
import { idsOfBits } from '../../../../../src/util/bitset.js';
import { ByteWriter } from '../../../../../src/mappings/coverage/native/varint.js';
// @ts-expect-error plain .mjs bench helper without type declarations
import { createRng } from '../../../../../bench/lib/prng.mjs';

function encode(ids: Uint32Array, testCount: number): { bytes: Uint8Array; kind: number } {
  const w = new ByteWriter(16);
  writeRow(w, ids, testCount);
  const bytes = w.view().slice();
  return { bytes, kind: bytes[0] & 3 };
}

function randomRow(rng: { next(): number }, testCount: number, density: number): Uint32Array {
  const ids: number[] = [];
  for (let t = 0; t < testCount; t++) if (rng.next() < density) ids.push(t);
  return Uint32Array.from(ids);
}

describe('row encodings', () => {
  it('round-trip through readRow and orRowInto for all kinds and sizes', () => {
    const rng = createRng(5);
    const kinds = new Set<number>();
    for (const testCount of [1, 2, 31, 32, 33, 63, 64, 65, 100, 1000, 70_000]) {
      for (const density of [0, 0.001, 0.02, 0.2, 0.5, 0.9, 0.999, 1]) {
        const ids = randomRow(rng, testCount, density);
        const { bytes, kind } = encode(ids, testCount);
        kinds.add(kind);
        expect([...readRow(bytes, testCount)], `${testCount}/${density}`).toEqual([...ids]);
        const bits = new Uint32Array((testCount + 31) >>> 5);
        orRowInto(bytes, testCount, bits);
        expect([...idsOfBits(bits)], `${testCount}/${density}`).toEqual([...ids]);
      }
    }
    expect([...kinds].sort()).toEqual([0, 1, 2]); // delta, bitmap and complement all exercised
  });

  it('ORs several rows into one bitset = the set union', () => {
    const rng = createRng(6);
    const testCount = 5000;
    const bits = new Uint32Array((testCount + 31) >>> 5);
    const expected = new Set<number>();
    for (const density of [0.001, 0.3, 0.95, 0.05]) {
      const ids = randomRow(rng, testCount, density);
      ids.forEach((t) => expected.add(t));
      orRowInto(encode(ids, testCount).bytes, testCount, bits);
    }
    expect([...idsOfBits(bits)]).toEqual([...expected].sort((a, b) => a - b));
  });

  it('picks the smallest encoding: a row of all tests costs a couple of bytes', () => {
    const all = Uint32Array.from({ length: 25_000 }, (_, i) => i);
    expect(encode(all, 25_000).bytes.length).toBeLessThanOrEqual(4);
    const everyOther = all.filter((i) => i % 2 === 0);
    expect(encode(everyOther, 25_000).bytes.length).toBeLessThan(25_000 / 8 + 8);
  });

  it('checks a complement row while ORing it: ids past the map, trailing bytes', () => {
    // head = count · 4 + 2; then the missing ids as a delta list
    const past = Uint8Array.of(8 * 4 + 2, 3, 8); // missing 3, then 3 + 1 + 8 = 12 ≥ 10
    expect(() => orRowInto(past, 10, new Uint32Array(1))).toThrow(/test id 12/);
    const trailing = Uint8Array.of(8 * 4 + 2, 3, 0, 7); // missing 3 and 4, then a stray byte
    expect(() => orRowInto(trailing, 10, new Uint32Array(1))).toThrow(/trailing/);
    const ok = Uint8Array.of(8 * 4 + 2, 3, 0);
    const bits = new Uint32Array(1);
    orRowInto(ok, 10, bits);
    expect([...idsOfBits(bits)]).toEqual([0, 1, 2, 5, 6, 7, 8, 9]);
  });

  it('rejects rows whose ids do not fit the map', () => {
    const { bytes } = encode(Uint32Array.of(3, 9), 10);
    expect(() => readRow(bytes, 5)).toThrow(/test id/);
    expect(() => orRowInto(bytes, 5, new Uint32Array(1))).toThrow(/test id/);
  });
});
