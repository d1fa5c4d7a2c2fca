import { promises as fsp, statSync } from 'node:fs';
import { MapError } from '../../../errors.js';
import { isNativeMap } from '../native/format.js';
import type { MapFormat } from '../types.js';
import { gunzipHead, isGzip, mapIoError, readHead } from './input.js';

/** Enough for the magic, a YAML metadata document, or a JSON map's first key and value. */
const HEAD_BYTES = 16 * 1024;

/** Keys of an istanbul file coverage: a single coverage-final.json looks like a packed map. */
const ISTANBUL_KEYS = new Set(['path', 'statementMap', 'fnMap', 'branchMap', 's', 'f', 'b', 'data']);

/**
 * The shape of a JSON map from its first bytes: `{"key": [` is direct, `{"key": {` packed.
 * Undefined when the head does not say (the reader then decides, with a precise error).
 */
function sniffJson(text: string): 'gitlab-json' | 'gitlab-packed' | 'istanbul-file' | undefined {
  const m = /^\s*\{\s*(?:\}|"(?:[^"\\]|\\.)*"\s*:\s*([[{]))/.exec(text);
  if (!m) return undefined;
  if (m[1] === undefined || m[1] === '[') return 'gitlab-json';
  const inner = /^\s*"((?:[^"\\]|\\.)*)"\s*:/.exec(text.slice(m.index + m[0].length));
  if (inner && ISTANBUL_KEYS.has(inner[1])) return 'istanbul-file';
  return 'gitlab-packed';
}

/** Format of a map file from its head bytes (already decompressed when gzipped). */
export function formatOfHead(path: string, head: Uint8Array): MapFormat {
  if (isNativeMap(head)) return 'native';
  const raw = isGzip(head) ? gunzipHead(head) : head;
  if (isGzip(head) && isNativeMap(raw)) {
    throw new MapError({ file: path }, 'a gzipped native map: decompress it first (native maps are already compact)');
  }
  const text = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8').replace(/^\uFEFF/, '');
  if (/^\s*$/.test(text)) throw new MapError({ file: path }, 'empty file: not a coverage map');
  const body = text.replace(/^(?:\s*#[^\n]*\n)*\s*/, '');
  if (body.startsWith('---') || body.startsWith(':type:')) return 'crystalball';
  if (body.startsWith('{')) {
    const shape = sniffJson(body);
    if (shape === 'istanbul-file') {
      throw new MapError({ file: path }, 'this looks like a single istanbul coverage file; import a folder of per-test coverage files instead (see `testsift map import --help`)');
    }
    return shape ?? 'gitlab-json';
  }
  // Some other JSON: let the JSON reader say, in tff's words, what shape a map must have.
  if (body.startsWith('[') || body.startsWith('"')) return 'gitlab-json';
  const preview = JSON.stringify(body.slice(0, 20));
  throw new MapError({ file: path }, `unknown map format (starts with ${preview}); expected a testsift map, GitLab/tff JSON (direct or packed, optionally gzipped), a Crystalball YAML execution map, or a folder of those / of per-test istanbul JSON`);
}

/** Format of a folder: Crystalball maps (*.yml) or per-test istanbul coverage (*.json). */
async function formatOfDirectory(path: string): Promise<MapFormat> {
  // Crystalball reads the files directly in its map folder; istanbul coverage may be nested.
  if ((await fsp.readdir(path)).some((n) => /\.ya?ml(\.gz)?$/.test(n))) return 'crystalball';
  const names = await fsp.readdir(path, { recursive: true });
  if (names.some((n) => /\.json(\.gz)?$/.test(n))) return 'istanbul-folder';
  throw new MapError({ file: path }, 'a folder with no Crystalball maps (*.yml) and no per-test istanbul coverage (*.json)');
}

/** Detect a map's format by sniffing only the first bytes of a file (or listing a folder). */
export async function detectMapFormat(path: string): Promise<MapFormat> {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (err) {
    throw mapIoError(path, err);
  }
  if (isDir) return formatOfDirectory(path);
  return formatOfHead(path, await readHead(path, HEAD_BYTES));
}
