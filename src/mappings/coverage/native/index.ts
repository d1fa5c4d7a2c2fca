/**
 * The native CoverageMap format (DESIGN §2.2, §5): versioned, compact (≤ 2 bytes an edge at
 * GitLab scale) and queried lazily — opening reads a header and small index sections, each query
 * reads only its rows. Layout and integrity checks: format.ts.
 */
import { MapError } from '../../../errors.js';
import type { MapRecord } from '../model.js';
import { recordFromReader } from './decode.js';
import { encodeNativeMap } from './encode.js';
import { NativeCoverageMap } from './map.js';
import { NativeMapReader } from './reader.js';
import { FileSource, MemorySource } from './source.js';

export { NATIVE_MAGIC, FORMAT_VERSION as NATIVE_FORMAT_VERSION, isNativeMap } from './format.js';
export { encodeNativeMap } from './encode.js';
export { NativeCoverageMap } from './map.js';

/** Encode and write atomically (temp file + rename): a failed write leaves the old map intact. */
export async function writeNativeMap(path: string, record: MapRecord): Promise<void> {
  // Loaded here, not at the top: it pulls in node:crypto, which a query never needs.
  const { writeFileAtomic } = await import('../../../util/fs.js');
  await writeFileAtomic(path, encodeNativeMap(record));
}

function openSource(path: string): FileSource {
  try {
    return new FileSource(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'does not exist' : e.code === 'EISDIR' ? 'is a directory, not a map file' : e.code === 'ENOTFILE' ? 'is not a regular file' : `cannot be read (${e.message})`;
    throw new MapError({ file: path }, why, { cause: err });
  }
}

/**
 * Open a native map for queries. Synchronous: it reads the header and the index sections only
 * (source names, their hash table, row offsets and CRCs: ~55 bytes a source file), checks their
 * CRCs and returns; test names are decoded on first use, rows are read and checked per query —
 * so a query can also throw MapError (a corrupt row): callers must treat that like a corrupt map.
 * Throws MapError (naming `path`) when the file is missing, truncated, corrupt or of a newer
 * format version. Call `close()` when done (or let GC release the descriptor).
 */
export function openNativeMap(path: string): NativeCoverageMap {
  const src = openSource(path);
  try {
    return new NativeCoverageMap(new NativeMapReader(src, path));
  } catch (err) {
    src.close();
    throw err;
  }
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
