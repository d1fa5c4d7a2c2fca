/**
 * Greedy longest-processing-time-first (knapsack's allocator since v3.1, pytest-split's
 * `least_duration`): each item, longest first, goes to the currently lightest shard; ties go to
 * the shard with fewer tests, then to the lowest index. The test count matters for files that
 * take 0 s (or are estimated at 0): they add no load, so with the index alone every one of them
 * would land on the same shard. Which of several equally light shards gets an item never changes
 * the loads the rest of the greedy sees, so this is still LPT, with LPT's makespan.
 * `times` must already be sorted descending (ties broken by the caller), so the result depends
 * only on the inputs, never on the order they arrived in.
 * Returns the shard of every item and each shard's load.
 */
export function greedyLpt(times: ArrayLike<number>, shards: number): { shardOf: Int32Array; loads: Float64Array } {
  const shardOf = new Int32Array(times.length);
  const loads = new Float64Array(shards);
  const counts = new Int32Array(shards);
  // A binary min-heap of shard indexes ordered by (load, count, index): O(log N) per item, so
  // 30,000 files into 64 shards stays a few milliseconds.
  const heap = Int32Array.from({ length: shards }, (_, i) => i);
  const lighter = (a: number, b: number): boolean => loads[a]! < loads[b]! || (loads[a] === loads[b] && (counts[a]! < counts[b]! || (counts[a] === counts[b] && a < b)));
  for (let item = 0; item < times.length; item++) {
    const s = heap[0]!;
    shardOf[item] = s;
    loads[s] = loads[s]! + times[item]!;
    counts[s] = counts[s]! + 1;
    // The root only got heavier (or, at 0 s, one test fuller): sift it down.
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= shards) break;
      const r = l + 1;
      const c = r < shards && lighter(heap[r]!, heap[l]!) ? r : l;
      if (!lighter(heap[c]!, heap[i]!)) break;
      const t = heap[i]!;
      heap[i] = heap[c]!;
      heap[c] = t;
      i = c;
    }
  }
  return { shardOf, loads };
}
