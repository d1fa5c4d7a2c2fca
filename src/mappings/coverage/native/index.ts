/**
 * The native CoverageMap format (docs/formats.md, docs/performance.md): versioned, compact (≤ 2 bytes an edge at
 * GitLab scale) and queried lazily — opening reads a header and small index sections, each query
 * reads only its rows. Layout and integrity checks: format.ts.
 */
import type { MapRecord } from '../model.js';
import { recordFromReader } from './decode.js';
import { encodeNativeMap } from './encode.js';
import { NativeMapReader } from './reader.js';
import { openSource } from './open.js';
import { MemorySource } from './source.js';

export { NATIVE_MAGIC, FORMAT_VERSION as NATIVE_FORMAT_VERSION, isNativeMap } from './format.js';
export { encodeNativeMap } from './encode.js';
export { NativeCoverageMap } from './map.js';
export { openNativeMap } from './open.js';

/** Encode and write atomically (temp file + rename): a failed write leaves the old map intact. */
export async function writeNativeMap(path: string, record: MapRecord): Promise<void> {
  // Loaded here, not at the top: it pulls in node:crypto, which a query never needs.
  const { writeFileAtomic } = await import('../../../util/fs.js');
  await writeFileAtomic(path, encodeNativeMap(record));
}

/** Decode a whole native map held in memory (merge/export). `path` names it in errors. */
export function decodeNativeRecord(bytes: Uint8Array, path: string): MapRecord {
  return recordFromReader(new NativeMapReader(new MemorySource(bytes), path));
}

/** Decode a whole native map file without holding its bytes twice. */
export function readNativeRecord(path: string): MapRecord {
  const src = openSource(path);
  try {
    return recordFromReader(new NativeMapReader(src, path));
  } finally {
    src.close();
  }
}
