/**
 * The allocator's canonical order: seconds descending, ties by path (code-unit order, not locale
 * order, so every machine agrees). It makes the split independent of the order tests arrive in.
 *
 * Sorting 30,000 objects with a two-key comparator costs more than parsing the report, so the
 * common case is a native numeric sort of packed keys — (time bucket of 1 ms, descending) × 2^22
 * + input position — followed by a fix-up that puts each run of equal buckets into exact
 * (seconds, path) order. The buckets only make sorting fast; the fix-up makes the result the
 * same as the plain comparator's, whatever the bucketing.
 */
const SHIFT = 2 ** 22; // positions up to ~4 million
const MAX_BUCKET = 2 ** 31 - 1; // ~24 days in ms: keys stay below 2^53, so they are exact
const SHORT_RUN = 16;

export function canonicalOrder(paths: readonly string[], seconds: Float64Array): Int32Array {
  const n = paths.length;
  const before = (a: number, b: number): number => seconds[b]! - seconds[a]! || (paths[a]! < paths[b]! ? -1 : paths[a]! > paths[b]! ? 1 : 0);
  if (n >= SHIFT) return Int32Array.from(Array.from({ length: n }, (_, i) => i).sort(before));
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = (MAX_BUCKET - Math.min(MAX_BUCKET, Math.floor(seconds[i]! * 1000))) * SHIFT + i;
  keys.sort();
  const order = new Int32Array(n);
  const bucket = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const b = Math.floor(keys[i]! / SHIFT);
    bucket[i] = b;
    order[i] = keys[i]! - b * SHIFT;
  }
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && bucket[j] === bucket[i]) j++;
    if (j - i > SHORT_RUN) order.set(Array.from(order.subarray(i, j)).sort(before), i);
    else if (j - i > 1) insertionSort(order, i, j, before);
    i = j;
  }
  return order;
}

function insertionSort(order: Int32Array, from: number, to: number, cmp: (a: number, b: number) => number): void {
  for (let i = from + 1; i < to; i++) {
    const x = order[i]!;
    let j = i - 1;
    while (j >= from && cmp(x, order[j]!) < 0) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = x;
  }
}
