import { normalizeRelative } from '../util/paths.js';
import { MAX_SECONDS } from './durations.js';
import { estimateUnknown, isSeconds } from './estimate.js';
import { improveByMovesAndSwaps, WORK_PER_MS } from './improve.js';
import { greedyLpt } from './lpt.js';
import { canonicalOrder } from './order.js';
import type { AllocateOptions, Shard, ShardPlan, TimingReport } from './types.js';

/**
 * The most shards a plan may have. No CI runs more jobs than this, and far larger counts (a typo,
 * `2**32`) would allocate per-shard arrays until the process dies instead of saying what is wrong.
 */
export const MAX_SHARDS = 10_000;

/** Default improvement budget (deterministic work units, see improve.ts). */
export const DEFAULT_BUDGET_MS = 5;

/** A test with the seconds the allocator works with (recorded or estimated). */
export interface TimedTest {
  path: string;
  seconds: number;
}

/** The tests in canonical order (seconds descending, ties by path) with their seconds. */
export interface PreparedTests {
  paths: string[];
  seconds: Float64Array;
  /** Tests without a (valid) recorded time, with the estimate used. */
  estimated: Map<string, number>;
}

/**
 * Normalise (`./a` → `a`), drop duplicates, attach recorded or estimated seconds and put the
 * tests in canonical order. A recorded value that is not a non-negative number (possible when a
 * library caller builds the Map by hand) counts as unknown: an estimate, never NaN arithmetic.
 */
export function prepareTests(tests: readonly string[], timings: TimingReport): PreparedTests {
  // Plain loops and no Set: at 30,000 tests the hash lookups dominate, so each path is looked up
  // once; duplicates have equal (seconds, path) keys, so they end up adjacent in canonical order
  // and are dropped there.
  const n = tests.length;
  const all = new Array<string>(n);
  const secs = new Float64Array(n);
  const unknown: string[] = [];
  for (let i = 0; i < n; i++) {
    const p = normalizeRelative(tests[i]!);
    all[i] = p;
    const v = timings.get(p);
    if (isSeconds(v)) secs[i] = v;
    else {
      secs[i] = Number.NaN;
      unknown.push(p);
    }
  }
  const estimated = estimateUnknown(unknown, timings);
  if (unknown.length > 0) for (let i = 0; i < n; i++) if (Number.isNaN(secs[i]!)) secs[i] = estimated.get(all[i]!)!;
  const order = canonicalOrder(all, secs);
  const paths: string[] = [];
  const seconds = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = all[order[i]!]!;
    if (paths.length > 0 && paths[paths.length - 1] === p) continue;
    seconds[paths.length] = secs[order[i]!]!;
    paths.push(p);
  }
  return { paths, seconds: paths.length === n ? seconds : seconds.slice(0, paths.length), estimated };
}

/**
 * {@link prepareTests} as objects, for callers that want to look at the order.
 * @public bench/sharding.bench.mjs (through dist/, which knip cannot follow before a build)
 */
export function timedTests(tests: readonly string[], timings: TimingReport): { items: TimedTest[]; estimated: Map<string, number> } {
  const p = prepareTests(tests, timings);
  return { items: p.paths.map((path, i) => ({ path, seconds: p.seconds[i]! })), estimated: p.estimated };
}

/**
 * Split `tests` into `total` shards balanced by time, minimising the makespan (the heaviest
 * shard). Greedy LPT first, then moves and swaps out of the heaviest shard within a work budget.
 * Deterministic: the same tests and timings give the same shards whatever their input order.
 * Every test lands in exactly one shard; with more shards than tests some shards are empty.
 */
export function allocateShards(tests: readonly string[], timings: TimingReport, total: number, opts: AllocateOptions = {}): ShardPlan {
  if (!Number.isInteger(total) || total < 1 || total > MAX_SHARDS) {
    throw new RangeError(`allocateShards: total must be an integer in 1..${MAX_SHARDS}, got ${total}`);
  }
  return allocatePrepared(prepareTests(tests, timings), total, opts);
}

/** {@link allocateShards} on tests already prepared (callers that also need the seconds used, for the digest). */
export function allocatePrepared(prepared: PreparedTests, total: number, opts: AllocateOptions = {}): ShardPlan {
  if (!Number.isInteger(total) || total < 1 || total > MAX_SHARDS) {
    throw new RangeError(`allocateShards: total must be an integer in 1..${MAX_SHARDS}, got ${total}`);
  }
  const overhead = opts.jobOverhead ?? 0;
  // Bounded like a recorded time: a 1e308 s overhead would make the machine time of N jobs Infinity.
  if (!isSeconds(overhead)) throw new RangeError(`allocateShards: jobOverhead must be in 0..${MAX_SECONDS} s, got ${overhead}`);
  const { paths, seconds, estimated } = prepared;
  let work = 0;
  for (let i = 0; i < seconds.length; i++) work += seconds[i]!;
  const longest = seconds.length > 0 ? seconds[0]! : 0;
  const bound = Math.max(longest, work / total);
  const { shardOf, loads } = greedyLpt(seconds, total);
  const budget = (opts.budgetMs ?? DEFAULT_BUDGET_MS) * WORK_PER_MS;
  if (budget > 0) improveByMovesAndSwaps(seconds, shardOf, loads, bound, budget);
  return buildPlan(paths, seconds, shardOf, total, overhead, bound, estimated);
}

function buildPlan(
  paths: readonly string[],
  seconds: Float64Array,
  shardOf: Int32Array,
  total: number,
  overhead: number,
  bound: number,
  estimated: Map<string, number>,
): ShardPlan {
  const shards: Shard[] = Array.from({ length: total }, (_, i) => ({ index: i + 1, tests: [], seconds: 0 }));
  // Tests are in canonical order, so each shard lists its tests longest first.
  for (let i = 0; i < paths.length; i++) {
    const shard = shards[shardOf[i]!]!;
    shard.tests.push(paths[i]!);
    shard.seconds += seconds[i]!;
  }
  // A CI job pays its start-up whether or not it gets tests.
  let makespan = 0;
  for (const s of shards) {
    s.seconds += overhead;
    if (s.seconds > makespan) makespan = s.seconds;
  }
  const est: Record<string, number> = {};
  for (const k of [...estimated.keys()].sort()) est[k] = estimated.get(k)!;
  return { shards, makespan, lowerBound: bound + overhead, estimated: est };
}
