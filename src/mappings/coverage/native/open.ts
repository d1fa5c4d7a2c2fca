/** Opening a native map for queries: only the reader, none of the encoder or decoder. */
import { MapError } from '../../../errors.js';
import { NativeCoverageMap } from './map.js';
import { NativeMapReader } from './reader.js';
import { FileSource } from './source.js';

export function openSource(path: string): FileSource {
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
