/** Bitsets over integer ids (bit i of word i >>> 5), shared by the native map and selection. */

/** Set bits of each byte value. */
export const POPCOUNT8 = Uint8Array.from({ length: 256 }, (_, b) => {
  let n = 0;
  for (let x = b; x; x &= x - 1) n++;
  return n;
});

/** Ascending ids of the set bits. */
export function idsOfBits(bits: Uint32Array): Uint32Array {
  let n = 0;
  for (let w = 0; w < bits.length; w++) {
    const x = bits[w];
    if (x === 0) continue;
    n += POPCOUNT8[x & 0xff] + POPCOUNT8[(x >>> 8) & 0xff] + POPCOUNT8[(x >>> 16) & 0xff] + POPCOUNT8[x >>> 24];
  }
  const out = new Uint32Array(n);
  let k = 0;
  for (let w = 0; w < bits.length; w++) {
    let x = bits[w];
    while (x !== 0) {
      const low = x & -x;
      out[k++] = (w << 5) + 31 - Math.clz32(low);
      x ^= low;
    }
  }
  return out;
}

/** acc |= bits, word by word (same length). */
export function orInto(acc: Uint32Array, bits: Uint32Array): void {
  for (let w = 0; w < acc.length; w++) acc[w] |= bits[w];
}

/** Splits `bits` by `mask` in place: keeps bits & mask, returns bits & ~mask. */
export function splitByMask(bits: Uint32Array, mask: Uint32Array): Uint32Array {
  const outside = new Uint32Array(bits.length);
  for (let w = 0; w < bits.length; w++) {
    outside[w] = bits[w] & ~mask[w];
    bits[w] &= mask[w];
  }
  return outside;
}

/**
 * The items whose bit is set, in order. Runs of set bits are taken as slices: the union of a few
 * hot rows is most of the tests, so this is a few native copies instead of a lookup per id.
 */
export function pickByBits<T>(items: readonly T[], bits: Uint32Array): T[] {
  const parts: T[][] = [];
  const end = Math.min(items.length, bits.length * 32);
  let start = -1; // where the current run of set bits began
  for (let w = 0; w < bits.length; w++) {
    const x = bits[w];
    if (x === 0xffffffff) {
      if (start < 0) start = w << 5;
    } else if (x === 0) {
      if (start >= 0) parts.push(items.slice(start, w << 5));
      start = -1;
    } else start = runsOfWord(items, x, w << 5, start, parts);
  }
  if (start >= 0) parts.push(items.slice(start, end));
  return concatParts(parts);
}

/** The runs of one partly set word; returns the start of a run still open at its top bit. */
function runsOfWord<T>(items: readonly T[], x: number, base: number, start: number, parts: T[][]): number {
  for (let b = 0; b < 32; b++) {
    if ((x >>> b) & 1) {
      if (start < 0) start = base + b;
    } else if (start >= 0) {
      parts.push(items.slice(start, base + b));
      start = -1;
    }
  }
  return start;
}

/** Arrays joined into one (a single part is returned as is). */
export function concatParts<T>(parts: T[][]): T[] {
  if (parts.length === 1) return parts[0];
  // in batches: spreading thousands of arguments at once could overflow the stack
  let out: T[] = [];
  for (let k = 0; k < parts.length; k += 1024) out = out.concat(...parts.slice(k, k + 1024));
  return out;
}
