import type { CoverageMap } from './types.js';
import type { MapRecord } from './model.js';
export type * from './types.js';
export { MapBuilder, MemoryCoverageMap, type MapRecord } from './model.js';

/** Stub: open a map of any supported format (auto-detected) for queries. Throws MapError. */
export async function loadCoverageMap(_path: string): Promise<CoverageMap> {
  throw new Error('loadCoverageMap: not implemented yet');
}

/** Stub: decode a map of any supported format completely (for merge/import/export). */
export async function readMapRecord(_path: string): Promise<MapRecord> {
  throw new Error('readMapRecord: not implemented yet');
}

/** Stub: write a record in the native format, atomically. */
export async function writeCoverageMap(_path: string, _record: MapRecord): Promise<void> {
  throw new Error('writeCoverageMap: not implemented yet');
}
