import { normalizeRelative } from '../util/paths.js';
import { estimateUnknown } from './estimate.js';
import { improveByMovesAndSwaps, WORK_PER_MS } from './improve.js';
import { greedyLpt } from './lpt.js';
import type { AllocateOptions, Shard, ShardPlan, TimingReport } from './types.js';

/** Default improvement budget: small enough that 30,000 files into 64 shards stays fast. */
export const DEFAULT_BUDGET_MS = 5;

/** A test with the seconds the allocator works with (recorded or estimated). */
export interface TimedTest {
  path: string;
  seconds: number;
}

/**
 * Tests with their recorded or estimated seconds, in the allocator's canonical order: longest
 * first, ties by path (code-unit order, not locale order, so every machine agrees). Duplicates
 * (after normalising `./a` to `a`) count once.
 */
export function timedTests(tests: readonly string[], timings: TimingReport): { items: TimedTest[]; estimated: Map<string, number> } {
  const unique = [...new Set(tests.map(normalizeRelative))];
  const estimated = estimateUnknown(unique.filter((t) => !timings.has(t)), timings);
  const items = unique.map((path) => ({ path, seconds: timings.get(path) ?? estimated.get(path)! }));
  items.sort(byTimeThenPath);
  return { items, estimated };
}

export function byTimeThenPath(a: TimedTest, b: TimedTest): number {
  if (a.seconds !== b.seconds) return b.seconds - a.seconds;
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/**
 * Split `tests` into `total` shards balanced by time, minimising the makespan (the heaviest
 * shard). Greedy LPT first, then moves and swaps out of the heaviest shard within a work budget.
 * Deterministic: the same tests and timings give the same shards whatever their input order.
 * Every test lands in exactly one shard; with more shards than tests some shards are empty.
 */
export function allocateShards(tests: readonly string[], timings: TimingReport, total: number, opts: AllocateOptions = {}): ShardPlan {
  if (!Number.isInteger(total) || total < 1) throw new RangeError(`allocateShards: total must be an integer ≥ 1, got ${total}`);
  const overhead = opts.jobOverhead ?? 0;
  if (!Number.isFinite(overhead) || overhead < 0) throw new RangeError(`allocateShards: jobOverhead must be ≥ 0, got ${overhead}`);
  const { items, estimated } = timedTests(tests, timings);
  const times = Float64Array.from(items, (i) => i.seconds);
  const work = sumOf(times);
  const longest = times.length > 0 ? times[0]! : 0;
  const bound = Math.max(longest, work / total);
  const { shardOf, loads } = greedyLpt(times, total);
  const budget = (opts.budgetMs ?? DEFAULT_BUDGET_MS) * WORK_PER_MS;
  if (budget > 0) improveByMovesAndSwaps(times, shardOf, loads, bound, budget);
  return buildPlan(items, shardOf, total, overhead, bound, estimated);
}

function buildPlan(
  items: readonly TimedTest[],
  shardOf: Int32Array,
  total: number,
  overhead: number,
  bound: number,
  estimated: Map<string, number>,
): ShardPlan {
  const shards: Shard[] = Array.from({ length: total }, (_, i) => ({ index: i + 1, tests: [], seconds: 0 }));
  // Items are in canonical order, so each shard lists its tests longest first.
  items.forEach((item, i) => {
    const shard = shards[shardOf[i]!]!;
    shard.tests.push(item.path);
    shard.seconds += item.seconds;
  });
  // A CI job pays its start-up whether or not it gets tests.
  for (const s of shards) s.seconds += overhead;
  const makespan = Math.max(...shards.map((s) => s.seconds));
  const est: Record<string, number> = {};
  for (const [k, v] of [...estimated].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) est[k] = v;
  return { shards, makespan, lowerBound: bound + overhead, estimated: est };
}

function sumOf(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s;
}
