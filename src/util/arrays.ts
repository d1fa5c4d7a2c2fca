/**
 * Append `items` to `target` one by one. `target.push(...items)` passes every item as a call
 * argument, and a list of ~150k (a changed-files list, the tests of one core file) overflows the
 * stack (RangeError); use this wherever `items` can be as long as an input makes it.
 */
export function pushAll<T>(target: T[], items: readonly T[]): T[] {
  for (let i = 0; i < items.length; i++) target.push(items[i]);
  return target;
}
