// Which bytes of a native coverage map a "flip one bit: a MapError or the same answer" test
// damages. Flipping every byte costs a full read per byte (25 s for detect on a busy machine), so a
// normal run flips: every byte of the 20-byte prefix (magic, version, header length, header CRC:
// each read by its own code), the first and last 4 bytes of the JSON header and of every section
// (where an off-by-one in an offset or a length would show), every alignment-padding byte (the
// bytes nothing reads: the answer must stay the same), and a fixed-seed random sample of the rest.
// TESTSIFT_EVERY_BYTE=1 (npm run test:every-byte) flips every byte, as the guarantee reads.

/** Flip every byte (the long run), not a sample. */
export const EVERY_BYTE = process.env.TESTSIFT_EVERY_BYTE === '1';

const PREFIX_LENGTH = 20;

export interface FlipPlan {
  /** Sorted byte positions to damage. */
  positions: number[];
  /** Positions in no section and not the header: alignment padding, which no reader looks at. */
  padding: Set<number>;
}

/** The bytes of `bytes`, a native map, to damage: see above; `share` of the rest (at least `min`). */
export function flipPositions(bytes: Uint8Array, opts: { share?: number; min?: number } = {}): FlipPlan {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(12, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(PREFIX_LENGTH, PREFIX_LENGTH + headerLength))) as {
    sections: Record<string, [number, number, number | null]>;
  };
  const spans: Array<[number, number]> = [[PREFIX_LENGTH, PREFIX_LENGTH + headerLength]];
  for (const [offset, length] of Object.values(header.sections)) spans.push([offset, offset + length]);
  const padding = new Set<number>();
  for (let i = PREFIX_LENGTH; i < bytes.length; i++) if (!spans.some(([a, b]) => i >= a && i < b)) padding.add(i);
  const all = Array.from({ length: bytes.length }, (_, i) => i);
  if (EVERY_BYTE) return { positions: all, padding };

  const always = new Set<number>(padding);
  for (let i = 0; i < PREFIX_LENGTH; i++) always.add(i);
  for (const [a, b] of spans) for (let i = 0; i < 4; i++) for (const p of [a + i, b - 1 - i]) if (p >= a && p < b) always.add(p);
  const rest = all.filter((i) => !always.has(i));
  const want = Math.min(rest.length, Math.max(opts.min ?? 64, Math.ceil(rest.length * (opts.share ?? 0.1))));
  // Fisher-Yates with a fixed seed (xorshift32): the same sample for the same layout, run after run.
  let seed = 0x9e3779b9;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  for (let i = rest.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [rest[i], rest[j]] = [rest[j], rest[i]];
  }
  return { positions: [...always, ...rest.slice(0, want)].sort((a, b) => a - b), padding };
}
