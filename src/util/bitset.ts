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
