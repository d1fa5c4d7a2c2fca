import * as zlib from 'node:zlib';

/**
 * CRC-32 (the zlib/PNG polynomial). Node ≥ 20.15 has a native one; older Node 20 releases (which
 * our `engines` still allow) get a table-driven fallback.
 */
type Crc32 = (data: Uint8Array) => number;

const native = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

let table: Uint32Array | undefined;
function fallback(data: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export const crc32: Crc32 = native ? (data) => native(data) >>> 0 : fallback;
/** Exposed for the test that checks the fallback agrees with zlib. */
export const crc32Fallback: Crc32 = fallback;
