/**
 * Local search after greedy LPT: repeatedly take the heaviest shard and apply the single move
 * (one of its items to the lightest shard) or swap (one of its items for a shorter one of another
 * shard) that lowers the heavier of the two shards the most. Each step makes the sorted vector of
 * loads lexicographically smaller, so it ends; it stops when no move or swap helps, when the
 * makespan reaches the lower bound, or when the work budget is spent.
 *
 * The budget counts work (items examined), not wall-clock time, so the same inputs give the same
 * shards on a fast laptop and on a loaded CI runner.
 */
export interface ImproveResult {
  steps: number;
  work: number;
}

/** Items examined per millisecond of budget, measured on a 2-core CI-class machine (conservative). */
export const WORK_PER_MS = 100_000;

export function improveByMovesAndSwaps(
  times: ArrayLike<number>,
  shardOf: Int32Array,
  loads: Float64Array,
  lowerBound: number,
  workBudget: number,
): ImproveResult {
  const n = loads.length;
  if (n < 2 || times.length === 0) return { steps: 0, work: 0 };
  // Items per shard in ascending item index, i.e. descending time (times are sorted descending).
  const members: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < shardOf.length; i++) members[shardOf[i]!]!.push(i);
  // Float sums drift in the last bits; an improvement must beat this to count, so rounding noise
  // can never make the search cycle.
  const eps = Math.max(lowerBound, 1e-9) * 1e-12;
  let work = 0;
  let steps = 0;
  while (work < workBudget) {
    const h = heaviest(loads);
    const lh = loads[h]!;
    if (lh <= lowerBound + eps) break;
    const best = { pairMax: lh - eps, x: -1, y: -1, s: -1 };
    const light = lightest(loads);
    const hm = members[h]!;
    // Moves: item x from h to the lightest shard l; pair max = max(lh - x, ll + x).
    const gapL = lh - loads[light]!;
    for (const x of hm) {
      const t = times[x]!;
      if (t <= 0 || t >= gapL) continue;
      const m = Math.max(lh - t, loads[light]! + t);
      if (m < best.pairMax) Object.assign(best, { pairMax: m, x, y: -1, s: light });
    }
    work += hm.length;
    // Swaps: x in h for a shorter y in s; with d = x - y, pair max = max(lh - d, ls + d), best at
    // d ≈ gap / 2. Members of s are sorted by time, so the best y for each x is a binary search.
    for (let s = 0; s < n; s++) {
      if (s === h) continue;
      const sm = members[s]!;
      if (sm.length === 0) continue;
      const gap = lh - loads[s]!;
      if (gap <= eps) continue;
      for (const x of hm) {
        const tx = times[x]!;
        const target = tx - gap / 2; // the ideal y
        // sm is descending in time: find the first member with time <= target, check it and its left neighbour.
        let lo = 0;
        let hi = sm.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (times[sm[mid]!]! > target) lo = mid + 1;
          else hi = mid;
        }
        work += 1 + Math.log2(sm.length + 1);
        for (const k of [lo - 1, lo]) {
          if (k < 0 || k >= sm.length) continue;
          const y = sm[k]!;
          const d = tx - times[y]!;
          if (d <= 0 || d >= gap) continue;
          const m = Math.max(lh - d, loads[s]! + d);
          if (m < best.pairMax) Object.assign(best, { pairMax: m, x, y, s });
        }
      }
    }
    if (best.x < 0) break;
    apply(times, shardOf, loads, members, h, best.s, best.x, best.y);
    steps++;
  }
  return { steps, work };
}

function apply(
  times: ArrayLike<number>,
  shardOf: Int32Array,
  loads: Float64Array,
  members: number[][],
  h: number,
  s: number,
  x: number,
  y: number,
): void {
  remove(members[h]!, x);
  insert(members[s]!, x);
  shardOf[x] = s;
  if (y >= 0) {
    remove(members[s]!, y);
    insert(members[h]!, y);
    shardOf[y] = h;
  }
  // Recompute both loads from their members rather than adding and subtracting: the result must
  // not depend on the path the search took to get there.
  loads[h] = sum(times, members[h]!);
  loads[s] = sum(times, members[s]!);
}

function sum(times: ArrayLike<number>, items: readonly number[]): number {
  let total = 0;
  for (const i of items) total += times[i]!;
  return total;
}

function position(list: readonly number[], item: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < item) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function remove(list: number[], item: number): void {
  list.splice(position(list, item), 1);
}

function insert(list: number[], item: number): void {
  list.splice(position(list, item), 0, item);
}

export function heaviest(loads: Float64Array): number {
  let h = 0;
  for (let i = 1; i < loads.length; i++) if (loads[i]! > loads[h]!) h = i;
  return h;
}

export function lightest(loads: Float64Array): number {
  let l = 0;
  for (let i = 1; i < loads.length; i++) if (loads[i]! < loads[l]!) l = i;
  return l;
}
