import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toPosix } from '../../util/paths.js';

/**
 * Turns the absolute paths a recorder observes (script URLs, fs arguments) into repo-relative
 * POSIX paths, or undefined for anything a map must not hold: outside the root, in
 * `node_modules` or `.git`, or under an excluded folder (testsift's own files, its output dir).
 */
export interface RootFilter {
  readonly root: string;
  toRelative(absPath: string): string | undefined;
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

export function createRootFilter(root: string, excludeDirs: readonly string[] = []): RootFilter {
  // Both spellings of the root: temp dirs and CI workspaces are often reached through symlinks.
  const roots = [...new Set([resolve(root), real(resolve(root))])];
  // An excluded folder that is the root or holds it (an output path such as TESTSIFT_MAP_OUT=map.json
  // or /tmp/map.json) would drop every file of the repository, leaving an empty map: it excludes
  // nothing there.
  const excluded = [...new Set(excludeDirs.flatMap((d) => [resolve(d), real(resolve(d))]))]
    .map((d) => (d.endsWith(sep) ? d : d + sep))
    .filter((d) => !roots.some((r) => (r + sep).startsWith(d)));
  const canonicalRoot = real(resolve(root));
  return {
    root: canonicalRoot,
    toRelative(absPath) {
      if (!isAbsolute(absPath)) return undefined;
      const base = roots.find((r) => absPath.startsWith(r + sep));
      if (!base) return undefined;
      if (excluded.some((d) => absPath.startsWith(d))) return undefined;
      const rel = toPosix(relative(base, absPath));
      if (rel.split('/').some((s) => s === 'node_modules' || s === '.git')) return undefined;
      return rel;
    },
  };
}

/**
 * The file path behind a V8 script URL or a bundler module id: `file://` URLs decoded, query
 * strings (`?v=123`, `?raw`) and hash fragments stripped; undefined for `node:` and other schemes.
 */
export function scriptUrlToPath(url: string): string | undefined {
  if (!url) return undefined;
  let path: string;
  if (url.startsWith('file://')) {
    try {
      path = fileURLToPath(url.replace(/[?#].*$/, ''));
    } catch {
      return undefined;
    }
  } else if (url.startsWith('/') || /^[A-Za-z]:[\\/]/.test(url)) {
    path = url.replace(/[?#].*$/, '');
  } else {
    return undefined;
  }
  // Vite's `/@fs/` prefix for files outside its root.
  if (path.startsWith('/@fs/')) path = path.slice(4);
  return path;
}
