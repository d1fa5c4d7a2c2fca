import { beforeAll, describe, expect, it } from 'vitest';
import { allocateShards, estimateUnknown, MAX_SHARDS, type ShardPlan, type TimingReport } from '../../../src/sharding/index.js';
import { realReports, shuffled } from '../../helpers/real-reports.js';

function everyTestOnce(plan: ShardPlan, tests: readonly string[]): void {
  const seen = plan.shards.flatMap((s) => s.tests);
  expect(seen.length).toBe(new Set(tests).size);
  expect(new Set(seen)).toEqual(new Set(tests));
}

const report = (entries: Record<string, number>): TimingReport => new Map(Object.entries(entries));

describe('allocateShards on the real reports', () => {
  let reports: Awaited<ReturnType<typeof realReports>>;
  beforeAll(async () => {
    reports = await realReports();
  });

  it('puts every test in exactly one shard, with 1-based indexes and sums that add up', () => {
    for (const { report } of reports) {
      const tests = [...report.keys()];
      for (const n of [1, 2, 3, 7, 16, 64]) {
        const plan = allocateShards(tests, report, n);
        everyTestOnce(plan, tests);
        expect(plan.shards.map((s) => s.index)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
        for (const s of plan.shards) {
          const sum = s.tests.reduce((a, t) => a + report.get(t)!, 0);
          expect(s.seconds).toBeCloseTo(sum, 6);
        }
        expect(plan.makespan).toBe(Math.max(...plan.shards.map((s) => s.seconds)));
        expect(plan.estimated).toEqual({});
      }
    }
  });

  it('is deterministic whatever the input order', () => {
    for (const { report } of reports) {
      const tests = [...report.keys()];
      for (const n of [4, 13]) {
        const a = allocateShards(tests, report, n);
        const b = allocateShards(shuffled(tests, n), report, n);
        const c = allocateShards([...tests].reverse(), new Map(shuffled([...report], 7)), n);
        expect(b).toEqual(a);
        expect(c).toEqual(a);
      }
    }
  });

  it('is never worse than greedy LPT and never below the lower bound', () => {
    for (const { name, report } of reports) {
      const tests = [...report.keys()];
      for (let n = 2; n <= 64; n *= 2) {
        const ours = allocateShards(tests, report, n);
        const lpt = allocateShards(tests, report, n, { budgetMs: 0 });
        expect(ours.makespan, `${name} N=${n}`).toBeLessThanOrEqual(lpt.makespan);
        expect(ours.makespan).toBeGreaterThanOrEqual(ours.lowerBound * (1 - 1e-12));
        if (lpt.makespan <= lpt.lowerBound * 1.01) expect(ours.makespan).toBeLessThanOrEqual(ours.lowerBound * 1.01);
      }
    }
  });
});

describe('allocateShards on small cases', () => {
  it('improves on LPT where LPT is not optimal (3,3,2,2,2 into 2)', () => {
    const r = report({ a: 3, b: 3, c: 2, d: 2, e: 2 });
    const lpt = allocateShards([...r.keys()], r, 2, { budgetMs: 0 });
    const ours = allocateShards([...r.keys()], r, 2);
    expect(lpt.makespan).toBe(7);
    expect(ours.makespan).toBe(6);
    const groups = ours.shards.map((s) => [...s.tests].sort().join(',')).sort();
    expect(groups).toEqual(['a,b', 'c,d,e']);
    everyTestOnce(ours, [...r.keys()]);
  });

  it('leaves shards empty when there are more shards than tests', () => {
    const r = report({ 'spec/a_spec.rb': 5, 'spec/b_spec.rb': 3, 'spec/c_spec.rb': 1 });
    const plan = allocateShards([...r.keys()], r, 5);
    everyTestOnce(plan, [...r.keys()]);
    expect(plan.shards.filter((s) => s.tests.length === 0)).toHaveLength(2);
    expect(plan.makespan).toBe(5);
    expect(plan.lowerBound).toBe(5);
  });

  it('splits an empty selection into empty shards', () => {
    const plan = allocateShards([], report({ a: 1 }), 3, { jobOverhead: 10 });
    expect(plan.shards.map((s) => s.tests)).toEqual([[], [], []]);
    expect(plan.makespan).toBe(10);
  });

  it('adds the job overhead to every shard, the makespan and the lower bound', () => {
    const r = report({ a: 4, b: 4, c: 4, d: 4 });
    const plan = allocateShards([...r.keys()], r, 3, { jobOverhead: 30 });
    expect(plan.shards.map((s) => s.seconds).sort()).toEqual([34, 34, 38]);
    expect(plan.makespan).toBe(38);
    expect(plan.lowerBound).toBeCloseTo(30 + 16 / 3, 9);
  });

  it('normalises ./ paths and counts duplicates once', () => {
    const r = report({ 'spec/a_spec.rb': 2, 'spec/b_spec.rb': 1 });
    const plan = allocateShards(['./spec/a_spec.rb', 'spec/a_spec.rb', 'spec/b_spec.rb'], r, 2);
    expect(plan.shards.map((s) => s.tests)).toEqual([['spec/a_spec.rb'], ['spec/b_spec.rb']]);
  });

  it('spreads zero-second files over the shards instead of piling them onto shard 1', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f'].map((x) => `spec/${x}_spec.rb`);
    const zeros = report(Object.fromEntries(names.map((n) => [n, 0])));
    const plan = allocateShards(names, zeros, 3);
    expect(plan.shards.map((s) => s.tests.length)).toEqual([2, 2, 2]);
    expect(plan.shards.map((s) => s.seconds)).toEqual([0, 0, 0]);
    everyTestOnce(plan, names);
    // Next to a timed file: the zeros go to the shards that are lighter by time, evenly.
    const mixed = report({ 'spec/slow_spec.rb': 10, ...Object.fromEntries(names.map((n) => [n, 0])) });
    const split = allocateShards([...mixed.keys()], mixed, 3);
    expect(split.shards.map((s) => s.tests.length)).toEqual([1, 3, 3]);
    expect(split.makespan).toBe(10);
  });

  it('spreads unknown tests whose estimate is 0 s (a report of zeros) the same way', () => {
    const unknown = Array.from({ length: 7 }, (_, i) => `spec/new${i}_spec.rb`);
    const plan = allocateShards(unknown, report({ 'spec/old_spec.rb': 0 }), 3);
    expect(Object.values(plan.estimated)).toEqual(Array(7).fill(0));
    expect(plan.shards.map((s) => s.tests.length)).toEqual([3, 2, 2]);
  });

  it('rejects a shard count outside 1..MAX_SHARDS with a message, not a failed allocation', () => {
    expect(() => allocateShards(['a'], new Map(), 0)).toThrow(RangeError);
    expect(() => allocateShards(['a'], new Map(), 1.5)).toThrow(RangeError);
    expect(() => allocateShards(['a'], new Map(), MAX_SHARDS + 1)).toThrow(`total must be an integer in 1..${MAX_SHARDS}, got ${MAX_SHARDS + 1}`);
    expect(() => allocateShards(['a'], new Map(), 2 ** 32)).toThrow(`got ${2 ** 32}`);
    expect(allocateShards(['a'], new Map(), MAX_SHARDS).shards).toHaveLength(MAX_SHARDS);
  });
});

describe('tests without a recorded time', () => {
  const r = report({
    'spec/models/a_spec.rb': 10,
    'spec/models/b_spec.rb': 20,
    'spec/models/c_spec.rb': 30,
    'spec/system/slow_spec.rb': 300,
    'test/unit/x_test.rb': 1,
  });

  it('get the median of their own folder, else of the nearest folder above, else of the whole report', () => {
    const est = estimateUnknown(['spec/models/new_spec.rb', 'spec/models/deep/new_spec.rb', 'spec/new_spec.rb', 'features/new.feature'], r);
    expect(est.get('spec/models/new_spec.rb')).toBe(20); // median of 10, 20, 30
    expect(est.get('spec/models/deep/new_spec.rb')).toBe(20); // nearest folder with times: spec/models
    expect(est.get('spec/new_spec.rb')).toBe(25); // spec/: 10, 20, 30, 300
    expect(est.get('features/new.feature')).toBe(20); // whole report: 1, 10, 20, 30, 300
  });

  it('get 1 second each when there is no report at all, so the split is balanced by count', () => {
    const tests = Array.from({ length: 10 }, (_, i) => `test/t${i}.test.ts`);
    const plan = allocateShards(tests, new Map(), 3);
    expect(plan.shards.map((s) => s.tests.length).sort()).toEqual([3, 3, 4]);
    expect(Object.values(plan.estimated)).toEqual(Array(10).fill(1));
  });

  it('are balanced like the rest and listed in plan.estimated', () => {
    const unknown = Array.from({ length: 6 }, (_, i) => `spec/models/new${i}_spec.rb`);
    const plan = allocateShards([...r.keys(), ...unknown], r, 2);
    everyTestOnce(plan, [...r.keys(), ...unknown]);
    expect(Object.keys(plan.estimated)).toEqual([...unknown].sort());
    // 300 alone on one shard, everything else (10+20+30+1+6×20 = 181) on the other.
    expect(plan.shards.map((s) => s.seconds)).toEqual([300, 181]);
  });
});

describe('allocateShards on seeded random instances (ties, zeros, tiny and huge times)', () => {
  it('always partitions exactly, is order-independent, never worse than LPT, never below the bound', () => {
    let state = 12345;
    const rand = (): number => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let round = 0; round < 300; round++) {
      const count = Math.floor(rand() * 60);
      const total = 1 + Math.floor(rand() * 12);
      const entries: Array<[string, number]> = Array.from({ length: count }, (_, i) => {
        const kind = rand();
        const t = kind < 0.15 ? 0 : kind < 0.35 ? Math.floor(rand() * 5) : kind < 0.9 ? rand() * 100 : rand() * 5000;
        return [`d${i % 4}/t${i}.test.ts`, t];
      });
      // Some tests are not in the report and get estimates.
      const timings = new Map(entries.filter((_, i) => i % 7 !== 3));
      const tests = entries.map(([p]) => p);
      const plan = allocateShards(tests, timings, total);
      everyTestOnce(plan, tests);
      expect(plan.shards).toHaveLength(total);
      const lpt = allocateShards(tests, timings, total, { budgetMs: 0 });
      // Breaking load ties by test count is still LPT: the same makespan as the textbook version.
      expect(lpt.makespan).toBe(textbookLptMakespan(lpt, timings, total));
      expect(plan.makespan).toBeLessThanOrEqual(lpt.makespan);
      expect(plan.makespan).toBeGreaterThanOrEqual(plan.lowerBound * (1 - 1e-12));
      expect(allocateShards(shuffled(tests, round), new Map(shuffled([...timings], round + 1)), total)).toEqual(plan);
    }
  });
});

/**
 * Greedy LPT as the textbook states it: longest first (ties by path), each onto the lightest
 * shard, ties to the lowest index. Times are the recorded ones, else the plan's estimates.
 */
function textbookLptMakespan(plan: ShardPlan, timings: TimingReport, total: number): number {
  const tests = plan.shards.flatMap((s) => s.tests);
  const time = (t: string): number => plan.estimated[t] ?? timings.get(t)!;
  tests.sort((a, b) => time(b) - time(a) || (a < b ? -1 : 1));
  const loads = new Array<number>(total).fill(0);
  for (const t of tests) {
    let light = 0;
    for (let i = 1; i < total; i++) if (loads[i]! < loads[light]!) light = i;
    loads[light] += time(t);
  }
  return Math.max(...loads);
}
