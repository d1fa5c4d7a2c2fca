/**
 * Multi-way Karmarkar–Karp (largest differencing): every item starts as a k-tuple (t, 0, …, 0);
 * the two tuples with the largest spread (max − min) are merged by pairing the largest slot of
 * one with the smallest of the other, until one tuple is left: its slots are the shards. Often
 * better than LPT when many items are of similar size and few shards; O(n·k·log k + n·log n).
 * `times` sorted descending (the caller's canonical order) makes ties deterministic.
 * Returns the shard of every item (shards ordered by load, heaviest first).
 */
export function karmarkarKarp(times: ArrayLike<number>, k: number): Int32Array {
  const n = times.length;
  const shardOf = new Int32Array(n);
  if (n === 0 || k === 1) return shardOf;
  // Items of a slot as linked lists, so merging two slots is O(1).
  const next = new Int32Array(n).fill(-1);
  interface Tuple {
    sums: Float64Array; // descending
    heads: Int32Array;
    tails: Int32Array;
    id: number; // creation order: breaks heap ties deterministically
  }
  const spread = (t: Tuple): number => t.sums[0]! - t.sums[k - 1]!;
  const before = (a: Tuple, b: Tuple): boolean => spread(a) > spread(b) || (spread(a) === spread(b) && a.id < b.id);
  const heap: Tuple[] = [];
  const push = (t: Tuple): void => {
    heap.push(t);
    for (let i = heap.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (!before(heap[i]!, heap[p]!)) break;
      [heap[i], heap[p]] = [heap[p]!, heap[i]!];
      i = p;
    }
  };
  const pop = (): Tuple => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        if (l >= heap.length) break;
        const r = l + 1;
        const c = r < heap.length && before(heap[r]!, heap[l]!) ? r : l;
        if (!before(heap[c]!, heap[i]!)) break;
        [heap[i], heap[c]] = [heap[c]!, heap[i]!];
        i = c;
      }
    }
    return top;
  };
  let ids = 0;
  for (let i = 0; i < n; i++) {
    const sums = new Float64Array(k);
    sums[0] = times[i]!;
    const heads = new Int32Array(k).fill(-1);
    const tails = new Int32Array(k).fill(-1);
    heads[0] = tails[0] = i;
    push({ sums, heads, tails, id: ids++ });
  }
  const order = Array.from({ length: k }, (_, i) => i);
  while (heap.length > 1) {
    const a = pop();
    const b = pop();
    const sums = new Float64Array(k);
    const heads = new Int32Array(k);
    const tails = new Int32Array(k);
    for (let i = 0; i < k; i++) {
      const j = k - 1 - i; // largest of a with smallest of b
      sums[i] = a.sums[i]! + b.sums[j]!;
      const [ha, ta, hb, tb] = [a.heads[i]!, a.tails[i]!, b.heads[j]!, b.tails[j]!];
      if (ha < 0) [heads[i], tails[i]] = [hb, tb];
      else if (hb < 0) [heads[i], tails[i]] = [ha, ta];
      else {
        next[ta] = hb;
        [heads[i], tails[i]] = [ha, tb];
      }
    }
    order.sort((x, y) => sums[y]! - sums[x]! || x - y);
    push({
      sums: Float64Array.from(order, (i) => sums[i]!),
      heads: Int32Array.from(order, (i) => heads[i]!),
      tails: Int32Array.from(order, (i) => tails[i]!),
      id: ids++,
    });
    order.sort((x, y) => x - y);
  }
  const last = heap[0]!;
  for (let s = 0; s < k; s++) for (let i = last.heads[s]!; i >= 0; i = next[i]!) shardOf[i] = s;
  return shardOf;
}
