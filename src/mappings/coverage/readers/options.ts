import { relativeTo } from '../../../util/paths.js';

/** What every reader takes. */
export interface ReadOptions {
  /** Absolute paths in the input are made relative to this (default: the current directory). */
  root?: string;
  /** Non-fatal findings (conflicting metadata, skipped files); default: printed on stderr. */
  onWarning?: (message: string) => void;
}

export function warnTo(opts: ReadOptions): (message: string) => void {
  return opts.onWarning ?? ((m) => process.stderr.write(`testsift: warning: ${m}\n`));
}

/**
 * A copy of `s` that does not share memory with the text it was sliced from: a path kept in a
 * map must not pin the whole 1 MB chunk of input it came from.
 */
export function detach(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

/**
 * Repo-relative POSIX spelling of a path from a foreign map, memoised: a big map repeats the
 * same few thousand test paths millions of times.
 */
export function pathNormalizer(root: string | undefined): (path: string) => string {
  const base = root ?? process.cwd();
  const cache = new Map<string, string>();
  return (path) => {
    let p = cache.get(path);
    if (p === undefined) {
      const key = detach(path);
      p = relativeTo(base, key);
      cache.set(key, p);
    }
    return p;
  };
}
