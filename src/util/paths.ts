import { isAbsolute, relative, sep } from 'node:path';

/** Repo-relative POSIX form of a path: the one spelling every format and output uses. */
export function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** Normalise a path as it appears in inputs: POSIX separators, no leading `./`. */
export function normalizeRelative(path: string): string {
  let p = toPosix(path);
  while (p.startsWith('./')) p = p.slice(2);
  return p;
}

/** Make `path` relative to `root` (POSIX); relative inputs are only normalised. */
export function relativeTo(root: string, path: string): string {
  return isAbsolute(path) ? toPosix(relative(root, path)) : normalizeRelative(path);
}
