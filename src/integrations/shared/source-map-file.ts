/**
 * Where a generated JavaScript file came from, according to its source map: the absolute paths of
 * the map's `sources`. Used for build output a test executes (a workspace package's `dist/`), so
 * the map can link the test to the sources git tracks (build-output.ts).
 *
 * The map is found the way Node, browsers and bundlers find it: the last `sourceMappingURL`
 * comment (an inline `data:` URL or a path relative to the file), else a `<file>.map` beside the
 * file (external maps some builds emit without the comment). Only `sources` is read; mappings are
 * not decoded (file-level links need none).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The map's sources as absolute paths (possibly none), or why there is no usable map. */
export type MapSources = { sources: string[]; map: string } | { problem: string };

/** A generated file bigger than this is not read for its comment (no build output is that big). */
const MAX_BYTES = 64 * 1024 * 1024;

/** `//# sourceMappingURL=…` (or the old `//@`), and the CSS form `/*# sourceMappingURL=… *\/`. */
const COMMENT = /(?:\/\/|\/\*)[#@][ \t]*sourceMappingURL[ \t]*=[ \t]*([^\s'"*]+)[ \t]*(?:\*\/)?[ \t]*$/gm;

export function sourceMapSources(file: string): MapSources {
  let code: string;
  try {
    if (statSync(file).size > MAX_BYTES) return { problem: 'too large to read for a source map' };
    code = readFileSync(file, 'utf8');
  } catch (err) {
    return { problem: `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
  let url: string | undefined;
  for (const m of code.matchAll(COMMENT)) url = m[1];
  let text: string;
  let mapFile: string;
  if (url !== undefined) {
    const got = readMapUrl(url, file);
    if ('problem' in got) return got;
    ({ text, mapFile } = got);
  } else if (existsSync(`${file}.map`)) {
    mapFile = `${file}.map`;
    try {
      text = readFileSync(mapFile, 'utf8');
    } catch (err) {
      return { problem: `its source map ${mapFile} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
    }
  } else {
    return { problem: 'no source map (no sourceMappingURL comment, no .map file beside it)' };
  }
  let json: unknown;
  try {
    // A map may start with the XSSI guard `)]}'` (source map v3 spec).
    json = JSON.parse(text.replace(/^\)\]\}'[^\n]*\n/, ''));
  } catch (err) {
    return { problem: `its source map is not valid JSON (${(err as Error).message})` };
  }
  const sources: string[] = [];
  const why = collectSources(json, mapFile, sources, 0);
  if (why) return { problem: `its source map ${why}` };
  // No sources at all is a claim too: no source file contributed code (a bundler's helper chunk,
  // an entry that only re-exports other chunks). The caller links such output to its package.
  return { sources: [...new Set(sources)], map: mapFile };
}

function readMapUrl(url: string, file: string): { text: string; mapFile: string } | { problem: string } {
  if (url.startsWith('data:')) {
    const comma = url.indexOf(',');
    if (comma < 0) return { problem: 'its inline source map is not a valid data: URL' };
    const header = url.slice(5, comma);
    const body = url.slice(comma + 1);
    try {
      const text = /;base64$/i.test(header) ? Buffer.from(body, 'base64').toString('utf8') : decodeURIComponent(body);
      // Sources of an inline map are relative to the generated file itself.
      return { text, mapFile: file };
    } catch {
      return { problem: 'its inline source map cannot be decoded' };
    }
  }
  let mapFile: string;
  if (url.startsWith('file:')) {
    try {
      mapFile = fileURLToPath(url.replace(/[?#].*$/, ''));
    } catch {
      return { problem: `its sourceMappingURL ${url} is not a usable file URL` };
    }
  } else if (/^[A-Za-z][A-Za-z0-9+.-]+:/.test(url)) {
    return { problem: `its sourceMappingURL ${url} is not a local file` };
  } else {
    let path: string;
    try {
      path = decodeURIComponent(url.replace(/[?#].*$/, ''));
    } catch {
      path = url;
    }
    mapFile = resolve(dirname(file), path);
  }
  try {
    return { text: readFileSync(mapFile, 'utf8'), mapFile };
  } catch (err) {
    return { problem: `its source map ${mapFile} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
}

/**
 * Push the absolute paths of `json`'s sources (an index map's sections too) onto `out`; returns a
 * problem when a source cannot be placed on disk (a `webpack://` or http URL): then where the code
 * came from is not fully known.
 */
function collectSources(json: unknown, mapFile: string, out: string[], depth: number): string | undefined {
  if (!json || typeof json !== 'object') return 'is not a JSON object';
  const map = json as { sources?: unknown; sourceRoot?: unknown; sections?: unknown };
  if (Array.isArray(map.sections)) {
    if (depth > 4) return 'nests index maps too deeply';
    for (const s of map.sections) {
      const inner = (s as { map?: unknown } | null)?.map;
      if (inner === undefined) return 'has a section without an inline map';
      const why = collectSources(inner, mapFile, out, depth + 1);
      if (why) return why;
    }
    return undefined;
  }
  if (!Array.isArray(map.sources)) return 'has no sources list';
  const root = typeof map.sourceRoot === 'string' ? map.sourceRoot : '';
  for (const s of map.sources) {
    if (s === null) continue; // allowed by the spec: a source without a name maps nothing we can know
    if (typeof s !== 'string') return `has a source that is not a string (${JSON.stringify(s)})`;
    const joined = root && !/^[A-Za-z][A-Za-z0-9+.-]+:/.test(s) && !isAbsolute(s) ? `${root.replace(/\/+$/, '')}/${s}` : s;
    const abs = sourcePath(joined, mapFile);
    if (abs === undefined) return `names a source outside the file system (${s})`;
    out.push(abs);
  }
  return undefined;
}

/** A source URL as an absolute path (relative ones resolved against the map's folder). */
function sourcePath(source: string, mapFile: string): string | undefined {
  if (source.startsWith('file:')) {
    try {
      return fileURLToPath(source);
    } catch {
      return undefined;
    }
  }
  // `webpack://pkg/./src/x.ts`, `http://…`: a namespace, not a place on disk. Guessing the folder
  // could link the test to the wrong file; unknown origin is the safe answer (a drive letter
  // `C:` is a path, not a scheme).
  if (/^[A-Za-z][A-Za-z0-9+.-]+:/.test(source)) return undefined;
  // Sources are URLs (percent-encoded), but tools write plain paths: the literal name first.
  const literal = resolve(dirname(mapFile), source);
  if (existsSync(literal) || !source.includes('%')) return literal;
  try {
    return resolve(dirname(mapFile), decodeURIComponent(source));
  } catch {
    return literal;
  }
}
