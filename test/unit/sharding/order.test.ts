import { describe, expect, it } from 'vitest';
import { karmarkarKarp } from '../../../src/sharding/karmarkar-karp.js';
import { canonicalOrder } from '../../../src/sharding/order.js';
import { jsonErrorLine } from '../../../src/sharding/formats/json-error.js';
import { shuffled } from '../../helpers/real-reports.js';

/** The order the allocator promises, written the obvious (slow) way. */
function reference(paths: string[], seconds: number[]): number[] {
  return paths.map((_, i) => i).sort((a, b) => seconds[b]! - seconds[a]! || (paths[a]! < paths[b]! ? -1 : paths[a]! > paths[b]! ? 1 : 0));
}

describe('canonicalOrder (packed-key sort)', () => {
  it('equals the plain (seconds desc, path asc) sort, with ties, sub-ms differences, long runs and huge values', () => {
    let seed = 1;
    for (const size of [0, 1, 2, 17, 300, 5000]) {
      const paths = shuffled(
        Array.from({ length: size }, (_, i) => `spec/${i % 7}/f${i}_spec.rb`),
        seed++,
      );
      const pool = [0, 0.0004, 0.0009, 0.001, 1, 1, 1.00001, 2.5, 2.5004, 1e7, 3e9, 3e9 + 1];
      const seconds = paths.map((_, i) => pool[(i * 7 + size) % pool.length]!);
      const got = Array.from(canonicalOrder(paths, Float64Array.from(seconds)));
      expect(got.map((i) => paths[i])).toEqual(reference(paths, seconds).map((i) => paths[i]));
    }
  });

  it('sorts a run of thousands of equal times by path (all tests estimated alike)', () => {
    const paths = shuffled(
      Array.from({ length: 3000 }, (_, i) => `t/${i}.test.ts`),
      9,
    );
    const got = Array.from(canonicalOrder(paths, new Float64Array(3000).fill(1)), (i) => paths[i]);
    expect(got).toEqual([...paths].sort());
  });
});

describe('karmarkarKarp (measured in the bench against LPT)', () => {
  it('assigns every item to a shard in range; on 8,7,6,5,4 it beats LPT (17/13) with 16/14, as differencing does', () => {
    const times = [8, 7, 6, 5, 4];
    const shardOf = karmarkarKarp(times, 2);
    const loads = [0, 0];
    times.forEach((t, i) => (loads[shardOf[i]!]! += t));
    expect(loads.sort()).toEqual([14, 16]);
    const many = Array.from({ length: 200 }, (_, i) => 200 - i);
    const s = karmarkarKarp(many, 7);
    expect(Array.from(s).every((x) => x >= 0 && x < 7)).toBe(true);
  });
});

describe('jsonErrorLine', () => {
  it('points at the line where the JSON breaks', () => {
    expect(jsonErrorLine('{\n "a": 1,\n "b": 2,\n}')).toBe(4);
    expect(jsonErrorLine('{\n "a": 1,\n "b": tru\n}')).toBe(3);
    expect(jsonErrorLine('{\n "a": 1,\n "b": 2')).toBe(3); // truncated
    expect(jsonErrorLine('{"a": 1} x')).toBe(1);
  });
});
