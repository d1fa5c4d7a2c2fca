/**
 * Character sets for the regex risk check (regex-risk.ts): a bitmap of ASCII plus one bit for
 * everything else, the Ruby shorthand classes, and the small queries the parser needs.
 */

/** Characters as a bitmap of ASCII plus one bit for everything else. */
export class CharSet {
  readonly bits = new Uint32Array(4);
  other = false;

  static of(...codes: number[]): CharSet {
    const s = new CharSet();
    for (const c of codes) s.add(c);
    return s;
  }

  static range(from: number, to: number): CharSet {
    const s = new CharSet();
    for (let c = from; c <= Math.min(to, 127); c++) s.add(c);
    if (to > 127) s.other = true;
    return s;
  }

  static any(): CharSet {
    const s = new CharSet();
    s.bits.fill(0xffffffff);
    s.other = true;
    return s;
  }

  add(code: number): void {
    if (code > 127) this.other = true;
    else this.bits[code >>> 5]! |= 1 << (code & 31);
  }

  union(o: CharSet): this {
    for (let i = 0; i < 4; i++) this.bits[i]! |= o.bits[i]!;
    this.other ||= o.other;
    return this;
  }

  complement(): CharSet {
    const s = new CharSet();
    for (let i = 0; i < 4; i++) s.bits[i] = ~this.bits[i]! >>> 0;
    // Outside ASCII we do not track members: assume the complement has some (flag more, not less).
    s.other = true;
    return s;
  }

  intersects(o: CharSet): boolean {
    for (let i = 0; i < 4; i++) if ((this.bits[i]! & o.bits[i]!) !== 0) return true;
    return this.other && o.other;
  }

  isEmpty(): boolean {
    return !this.other && this.bits.every((b) => b === 0);
  }
}

export const DIGIT = CharSet.range(48, 57);
export const WORD = CharSet.range(48, 57).union(CharSet.range(65, 90)).union(CharSet.range(97, 122)).union(CharSet.of(95));
WORD.other = true; // Ruby's \w is ASCII-only by default, but (?u) widens it: assume wide.
export const SPACE = CharSet.of(32, 9, 10, 11, 12, 13);
export const HEX = CharSet.range(48, 57).union(CharSet.range(65, 70)).union(CharSet.range(97, 102));
export const DOT = CharSet.any();
DOT.bits[0] = DOT.bits[0]! & ~(1 << 10); // `.` is anything but a newline (without /m)

export function single(s: CharSet): number | undefined {
  if (s.other) return undefined;
  let found: number | undefined;
  for (let c = 0; c < 128; c++) {
    if (s.bits[c >>> 5]! & (1 << (c & 31))) {
      if (found !== undefined) return undefined;
      found = c;
    }
  }
  return found;
}

export function lowest(s: CharSet): number | undefined {
  for (let c = 0; c < 128; c++) if (s.bits[c >>> 5]! & (1 << (c & 31))) return c;
  return undefined;
}
