/**
 * Unsigned LEB128 varints (7 bits a byte, high bit = more) and a growable byte buffer to write them.
 * Values up to 2^53 are supported (counts are shifted left by 2 in row headers).
 */
export class ByteWriter {
  private buf: Uint8Array;
  length = 0;

  constructor(initial = 1024) {
    this.buf = new Uint8Array(initial);
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + extra) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.length++] = b;
  }

  varint(value: number): void {
    this.ensure(8);
    let v = value;
    while (v >= 0x80) {
      this.buf[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.length++] = v;
  }

  bytes(data: Uint8Array): void {
    this.ensure(data.length);
    this.buf.set(data, this.length);
    this.length += data.length;
  }

  /** Pad with zeros to a multiple of `n`. */
  align(n: number): void {
    while (this.length % n !== 0) this.byte(0);
  }

  u32At(offset: number, value: number): void {
    this.buf[offset] = value & 0xff;
    this.buf[offset + 1] = (value >>> 8) & 0xff;
    this.buf[offset + 2] = (value >>> 16) & 0xff;
    this.buf[offset + 3] = (value >>> 24) & 0xff;
  }

  u32(value: number): void {
    this.ensure(4);
    this.u32At(this.length, value);
    this.length += 4;
  }

  /** The written bytes (a view; copy before writing more if you keep it). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

export function varintSize(value: number): number {
  let n = 1;
  let v = value;
  while (v >= 0x80) {
    v = Math.floor(v / 0x80);
    n++;
  }
  return n;
}

/** Thrown by readers on a malformed varint or overrun; callers turn it into a MapError. */
export class FormatViolation extends Error {}

/** A cursor over bytes. */
export class ByteReader {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.length,
  ) {
    this.pos = start;
  }

  varint(): number {
    const b = this.bytes;
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      if (this.pos >= this.end) throw new FormatViolation('varint runs past the end of its entry');
      const x = b[this.pos++];
      result += (x & 0x7f) * mul;
      if (x < 0x80) return result;
      mul *= 0x80;
    }
    throw new FormatViolation('varint longer than 8 bytes');
  }

  take(n: number): Uint8Array {
    if (this.pos + n > this.end) throw new FormatViolation('entry is shorter than its lengths say');
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }
}
