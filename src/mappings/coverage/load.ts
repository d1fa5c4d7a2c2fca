import { MapError, TestsiftError } from '../../errors.js';
import type { MapRecord } from './model.js';
import { openNativeMap } from './native/open.js';
import { detectMapFormat } from './readers/sniff-format.js';
import type { ReadOptions } from './readers/options.js';
import type { CoverageMap, MapFormat } from './types.js';

/*
 * Loading maps of every format. Only what a native map query needs is imported up front: the
 * foreign readers (and istanbul, yaml for Crystalball), the decoder and the encoder load when a
 * map of theirs is read or written, so `detect` on a native map does not pay for them.
 */

export const MAP_FORMATS: readonly MapFormat[] = ['native', 'gitlab-json', 'gitlab-packed', 'crystalball', 'istanbul-folder'];

export interface LoadOptions extends ReadOptions {
  /** Skip detection and read as this format ('auto' or absent: detect). */
  format?: MapFormat | 'auto';
}

/** Anything unexpected while decoding is still "this map is unusable", named by file. */
function asMapError(path: string, err: unknown): TestsiftError {
  if (err instanceof TestsiftError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  return new MapError({ file: path }, `corrupt or unreadable map: ${msg}`, { cause: err });
}

async function decode(path: string, format: MapFormat, auto: boolean, opts: ReadOptions): Promise<MapRecord> {
  switch (format) {
    case 'native':
      return (await import('./native/index.js')).readNativeRecord(path);
    case 'gitlab-json':
    case 'gitlab-packed':
      // Detection only sniffed the head; the reader checks every value (and decides when auto).
      return (await import('./readers/gitlab-json.js')).readGitlabJson(path, auto ? 'auto' : format, opts);
    case 'crystalball':
      return (await import('./readers/crystalball.js')).readCrystalball(path, opts);
    case 'istanbul-folder':
      return (await import('./readers/istanbul-folder.js')).readIstanbulFolder(path, opts);
  }
}

/** Decode a map of any supported format completely (for merge, import, export, stats). Throws MapError. */
export async function readMapRecord(path: string, opts: LoadOptions = {}): Promise<MapRecord> {
  try {
    const auto = opts.format === undefined || opts.format === 'auto';
    const format = auto ? await detectMapFormat(path) : (opts.format as MapFormat);
    return await decode(path, format, auto, opts);
  } catch (err) {
    throw asMapError(path, err);
  }
}

/**
 * Open a map of any supported format for queries. A native map opens lazily (only its head is
 * sniffed here; the native reader reads the rest on demand), foreign formats are decoded into
 * memory. A missing or corrupt map throws MapError naming the file and the problem.
 */
export async function loadCoverageMap(path: string, opts: LoadOptions = {}): Promise<CoverageMap> {
  try {
    const auto = opts.format === undefined || opts.format === 'auto';
    const format = auto ? await detectMapFormat(path) : (opts.format as MapFormat);
    if (format === 'native') return openNativeMap(path);
    const { MemoryCoverageMap } = await import('./model.js');
    return new MemoryCoverageMap(await decode(path, format, auto, opts));
  } catch (err) {
    throw asMapError(path, err);
  }
}

/** Write a record in the native format, atomically (a failed write leaves the old file intact). */
export async function writeCoverageMap(path: string, record: MapRecord): Promise<void> {
  await (await import('./native/index.js')).writeNativeMap(path, record);
}
