import { describe, expect, it } from 'vitest';
import { adviseShardCount, recommendShardCount, type ShardCountRow } from '../../../src/sharding/index.js';

const row = (shards: number, wallClock: number): ShardCountRow => ({ shards, wallClock, machineTime: wallClock * shards, lowerBound: wallClock, imbalance: 0 });

describe('shard count advice', () => {
  it('recommends the fewest shards within 1% (or 1 s) of the fastest wall-clock', () => {
    expect(recommendShardCount([row(1, 1000), row(2, 500), row(3, 400), row(4, 398), row(5, 397)])).toBe(3);
    expect(recommendShardCount([row(1, 10.5), row(2, 9.5), row(3, 9)])).toBe(2); // 1 s slack
  });

  it('stops where the longest file bounds the wall-clock; overhead adds machine time per job', () => {
    const timings = new Map([['spec/slow_spec.rb', 100], ...Array.from({ length: 40 }, (_, i) => [`spec/f${i}_spec.rb`, 10] as [string, number])]);
    const advice = adviseShardCount([...timings.keys()], timings, { maxShards: 12, jobOverhead: 20 });
    expect(advice.rows.map((r) => r.shards)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    // 500 s of work: from N = 5 the 100 s file is the bound (plus 20 s overhead).
    expect(advice.rows[4]!.wallClock).toBe(120);
    expect(advice.best).toBe(5);
    expect(advice.rows[5]!.machineTime - advice.rows[4]!.machineTime).toBeCloseTo(20, 9);
  });
});
