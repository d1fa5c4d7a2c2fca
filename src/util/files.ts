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
  /** Existing files under these folders ('' = everything), sorted; walks only those folders. */
  under(dirs: readonly string[]): string[];
}

/**
 * The folders a set of globs can match in: `test/**\/*.test.ts` → `test`, `**\/*.spec.ts` → ''
 * (everything). Used to walk only what the test universe can contain.
 */
export function globBases(patterns: readonly string[]): string[] {
  const bases = patterns.map((p) => picomatch.scan(p).base);
  if (bases.some((b) => b === '' || b === '.')) return [''];
  // Drop bases inside other bases, so nothing is walked twice.
  const sorted = [...new Set(bases)].sort();
  return sorted.filter((b, i) => !sorted.slice(0, i).some((a) => b.startsWith(`${a}/`)));
}

export function walkFiles(root: string, from = ''): string[] {
  const out: string[] = [];
  const stack: string[] = [from];
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
  // Existence checks read only the folders asked about (one readdir each), so checking the
  // tests of a small diff never walks the whole tree; once the tree is walked, use that.
  const dirs = new Map<string, Set<string> | null>();
  const inDir = (dir: string): Set<string> | null => {
    let names = dirs.get(dir);
    if (names === undefined) {
      try {
        const entries = readdirSync(dir ? join(root, dir) : root, { withFileTypes: true });
        names = new Set(entries.filter((e) => e.isFile() || e.isSymbolicLink()).map((e) => e.name));
      } catch {
        names = null;
      }
      dirs.set(dir, names);
    }
    return names;
  };
  return {
    root,
    exists(path) {
      if (list) {
        set ??= new Set(list);
        return set.has(path);
      }
      if (path.split('/').some((seg) => SKIP_DIRS.has(seg) || seg === '..' || seg === '.' || seg === '')) return false;
      const slash = path.lastIndexOf('/');
      return inDir(slash < 0 ? '' : path.slice(0, slash))?.has(path.slice(slash + 1)) ?? false;
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
    under(folders) {
      if (list || folders.includes('')) return folders.includes('') ? [...load()] : load().filter((f) => folders.some((d) => f.startsWith(`${d}/`)));
      return folders.flatMap((d) => walkFiles(root, d)).sort();
    },
  };
}
