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

/** Code units that cannot be UTF-8: a high surrogate not followed by a low one, or a lone low one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Why a path from a map (`raw`, as the input spells it; `normalised`, as it would be stored)
 * cannot name a file, or undefined when it can: NUL separates names in the native format and no
 * file system allows it; an unpaired surrogate (a `\ud800` escape in JSON) has no UTF-8 spelling,
 * so it would be stored as U+FFFD and merge with other names; an empty path (`""`, `./`, the root
 * itself) names no file.
 */
export function mapPathProblem(raw: string, normalised: string): string | undefined {
  if (raw.includes('\0')) return 'contains a NUL character';
  if (LONE_SURROGATE.test(raw)) return 'is not valid Unicode (an unpaired UTF-16 surrogate)';
  if (normalised.length === 0) return 'names no file (empty once normalised)';
  return undefined;
}

/** Called with a path `mapPathProblem` refuses (raw spelling) and the problem; throws a MapError. */
export type BadMapPath = (path: string, problem: string) => never;

/**
 * Repo-relative POSIX spelling of a path from a foreign map, memoised: a big map repeats the
 * same few thousand test paths millions of times. Each distinct path is checked once, on first
 * sight (mapPathProblem): `bad` throws the reader's MapError naming the file and the entry, so
 * `map import` exits 2 instead of the native encoder failing later without a location.
 */
export function pathNormalizer(root: string | undefined, bad: BadMapPath): (path: string) => string {
  const base = root ?? process.cwd();
  const cache = new Map<string, string>();
  return (path) => {
    let p = cache.get(path);
    if (p === undefined) {
      const key = detach(path);
      p = relativeTo(base, key);
      const problem = mapPathProblem(path, p);
      if (problem !== undefined) bad(path, problem);
      cache.set(key, p);
    }
    return p;
  };
}
