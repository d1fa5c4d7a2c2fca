/**
 * The source-name hash table stored in the file, so a lookup needs neither decoding nor sorting
 * the 20k source names: FNV-1a (32-bit) of the UTF-8 path, linear probing, load factor ≤ 1/2.
 */
export function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h >>> 0;
}

export function hashTableSize(entries: number): number {
  let size = 2;
  while (size < entries * 2) size *= 2;
  return size;
}

/** Slots hold index + 1 (0 = empty). `names[i]` are the UTF-8 names, all distinct. */
export function buildHashTable(names: Uint8Array[]): Uint32Array {
  const slots = new Uint32Array(hashTableSize(names.length));
  const mask = slots.length - 1;
  for (let i = 0; i < names.length; i++) {
    let s = fnv1a(names[i]) & mask;
    while (slots[s] !== 0) s = (s + 1) & mask;
    slots[s] = i + 1;
  }
  return slots;
}
