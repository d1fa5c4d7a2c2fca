import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import picomatch from 'picomatch';

/** Folders never walked: dependencies, VCS data, build output of our own. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);

/**
 * The files that exist under a root, listed once and queried many times: tests.yml templates,
 * globs and the test universe all ask "does this exist" and "what matches this glob".
 */
export interface FileIndex {
  readonly root: string;
  exists(path: string): boolean;
  /** Existing files matching a glob (picomatch, dot files included), sorted. */
  glob(pattern: string): string[];
  all(): readonly string[];
}

export function walkFiles(root: string): string[] {
  const out: string[] = [];
  const stack: string[] = [''];
  while (stack.length > 0) {
    const rel = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(rel ? join(root, rel) : root, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) stack.push(p);
      } else if (e.isFile() || e.isSymbolicLink()) {
        out.push(p);
      }
    }
  }
  return out.sort();
}

/** A FileIndex over the working tree (or over a given list, for tests and library use). */
export function createFileIndex(root: string, files?: readonly string[]): FileIndex {
  let list: string[] | undefined = files ? [...files].sort() : undefined;
  let set: Set<string> | undefined;
  const load = (): string[] => (list ??= walkFiles(root));
  const globCache = new Map<string, string[]>();
  return {
    root,
    exists(path) {
      set ??= new Set(load());
      return set.has(path);
    },
    glob(pattern) {
      let hit = globCache.get(pattern);
      if (!hit) {
        const isMatch = picomatch(pattern, { dot: true });
        hit = load().filter((f) => isMatch(f));
        globCache.set(pattern, hit);
      }
      return hit;
    },
    all: () => load(),
  };
}
