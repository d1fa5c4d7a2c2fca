import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import picomatch from 'picomatch';

/** Folders never walked: dependencies, VCS data, build output of our own. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);

/** A path no existence check may answer from the tree: a skipped folder, `.`/`..`, an empty segment. */
const NOT_A_TREE_PATH = /(?:^|\/)(?:node_modules|\.git|\.hg|\.svn|\.\.?|)(?:\/|$)/;

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

/** Called with each folder a walk reads and the names of the files in it. */
type OnFolder = (dir: string, files: Set<string>) => void;

export function walkFiles(root: string, from = '', onFolder?: OnFolder): string[] {
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
    const names = onFolder ? new Set<string>() : undefined;
    const prefix = rel ? `${rel}/` : '';
    for (const e of entries) {
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) stack.push(prefix + e.name);
      } else if (e.isFile() || e.isSymbolicLink()) {
        out.push(prefix + e.name);
        names?.add(e.name);
      }
    }
    if (names) onFolder!(rel, names);
  }
  return out.sort();
}

/** Folders whose files are already known (git's index), so existence and walks need no readdir. */
export interface ListedFolders {
  /** Folders relative to the root ('' = everything). */
  dirs: readonly string[];
  /** Every file under them. */
  files: readonly string[];
  /** `files` are in JS string order already (then the index does not check). */
  sorted?: boolean;
}

function isSorted(xs: readonly string[]): boolean {
  for (let i = 1; i < xs.length; i++) if (xs[i - 1] > xs[i]) return false;
  return true;
}

const within = (path: string, dir: string): boolean => dir === '' || path === dir || path.startsWith(`${dir}/`);

/**
 * A FileIndex over the working tree (or over a given list, for tests and library use). With
 * `listed`, those folders are answered from the listing and the rest from the tree.
 */
export function createFileIndex(root: string, files?: readonly string[], listed?: ListedFolders): FileIndex {
  let list: string[] | undefined = files ? [...files].sort() : undefined;
  let set: Set<string> | undefined;
  // Existence checks read only the folders asked about (one readdir each), so checking the
  // tests of a small diff never walks the whole tree; a walk (the test universe) fills the same
  // cache, so checking the thousands of tests of a big selection reads no folder twice.
  const dirs = new Map<string, Set<string> | null>();
  const remember: OnFolder = (dir, names) => dirs.set(dir, names);
  const load = (): string[] => (list ??= walkFiles(root, '', remember));
  const globCache = new Map<string, string[]>();
  let listedSorted: string[] | undefined;
  let listedSet: Set<string> | undefined;
  const isListed = (path: string) => listed !== undefined && listed.dirs.some((d) => within(path, d));
  // git lists in byte order, which is JS order for all but astral characters: check, sort if not.
  const fromListing = () => (listedSorted ??= listed!.sorted || isSorted(listed!.files) ? listed!.files.slice() : [...listed!.files].sort());
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
      if (files) {
        set ??= new Set(list);
        return set.has(path);
      }
      if (NOT_A_TREE_PATH.test(path)) return false;
      if (isListed(path)) return (listedSet ??= new Set(listed!.files)).has(path);
      const slash = path.lastIndexOf('/');
      return inDir(slash < 0 ? '' : path.slice(0, slash))?.has(path.slice(slash + 1)) ?? false;
    },
    glob(pattern) {
      let hit = globCache.get(pattern);
      if (!hit) {
        const isMatch = picomatch(pattern, { dot: true });
        // A glob inside the listed folders (a tests.yml template under spec/) needs no walk.
        const scan = picomatch.scan(pattern);
        const inListing = !list && listed && !scan.negated && listed.dirs.some((d) => within(scan.base, d));
        const from = inListing ? fromListing() : load();
        hit = from.filter((f) => isMatch(f));
        globCache.set(pattern, hit);
      }
      return hit;
    },
    all: () => load(),
    under(folders) {
      if (!list && listed && folders.every((f) => listed.dirs.some((d) => within(f, d)))) {
        const all = fromListing();
        // Usually the very folders listed: then every listed file is under them.
        if (listed.dirs.every((d) => folders.includes(d))) return all.slice();
        return all.filter((p) => folders.some((f) => within(p, f)));
      }
      if (list || folders.includes('')) return folders.includes('') ? [...load()] : load().filter((f) => folders.some((d) => f.startsWith(`${d}/`)));
      return folders.flatMap((d) => walkFiles(root, d, remember)).sort();
    },
  };
}
