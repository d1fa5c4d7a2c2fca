/**
 * Where a native map's bytes come from: an open file read piecewise (queries read only the
 * sections and rows they need) or bytes already in memory (full decode, tests).
 * `read` returns a fresh, 4-byte-aligned copy, so u32 sections can be viewed as Uint32Array.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface ByteSource {
  readonly size: number;
  /** Exactly `length` bytes at `offset`; throws RangeError when the source is shorter. */
  read(offset: number, length: number): Uint8Array;
  close(): void;
}

export class MemorySource implements ByteSource {
  constructor(private readonly bytes: Uint8Array) {}
  get size(): number {
    return this.bytes.length;
  }
  read(offset: number, length: number): Uint8Array {
    if (offset < 0 || offset + length > this.bytes.length) throw new RangeError(`read past the end (${offset}+${length} > ${this.bytes.length})`);
    return this.bytes.slice(offset, offset + length);
  }
  close(): void {}
}

// A map whose owner forgot close() still releases its descriptor when collected.
const finalizer = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    /* already closed */
  }
});

export class FileSource implements ByteSource {
  private fd: number | undefined;
  readonly size: number;

  constructor(path: string) {
    const fd = openSync(path, 'r');
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) throw Object.assign(new Error(`${path} is not a regular file`), { code: st.isDirectory() ? 'EISDIR' : 'ENOTFILE' });
      this.size = st.size;
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    this.fd = fd;
    finalizer.register(this, fd, this);
  }

  read(offset: number, length: number): Uint8Array {
    if (this.fd === undefined) throw new Error('native map: read after close()');
    if (offset < 0 || offset + length > this.size) throw new RangeError(`read past the end (${offset}+${length} > ${this.size})`);
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, out, done, length - done, offset + done);
      if (n === 0) throw new RangeError(`file ended at ${offset + done}, expected ${offset + length}`);
      done += n;
    }
    return out;
  }

  close(): void {
    if (this.fd === undefined) return;
    finalizer.unregister(this);
    closeSync(this.fd);
    this.fd = undefined;
  }
}
