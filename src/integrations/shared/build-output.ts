/**
 * Build output in the map: files a test executed (or read) that git does not track (a workspace package's
 * git-ignored `dist/`, resolved through its package.json by another package's tests). `git diff`
 * never names such a file, so an edge to it alone links the test to nothing a change can touch:
 * a change to the package's `src/` would miss the test. Shared by every runner's recorder
 * (recording.ts calls it), so Vitest and Jest answer alike.
 *
 * - An untracked executed file whose source map names sources: the test is linked to those the
 *   repository tracks, at file level (their block data, if any, was recorded for other tests;
 *   the build's lines are not the source's). Also to the tracked files directly in the folders
 *   of those sources and in each folder above them up to the package root (the nearest
 *   package.json, or the repository root): a bundler leaves files without code of their own out
 *   of `sources` (an `index.ts` that only re-exports), yet changing them changes the build, as
 *   does the package's package.json or build config. The same from the output file's own folder
 *   (the package that built it), which is all a map with no sources at all gets: a bundler's
 *   helper chunk or an entry that only re-exports other chunks. Test files are left out of that
 *   widening.
 * - An untracked executed file whose origin cannot be told (no usable source map, a source
 *   outside the repository or untracked with no map of its own): the test is left out of the map
 *   (timing kept), which detect answers by always selecting it ("the coverage map never recorded
 *   this test"), and the recording says so once, naming the files.
 *
 * Untracked files that are gone by the end of the run (written and removed by the tests
 * themselves) are left as they are: what produced them is the test's own code, mapped already.
 */
import { existsSync, realpathSync } from 'node:fs';
import { isAbsolute, join, posix, relative } from 'node:path';
import { gitSync, splitNul } from '../../changes/git.js';
import { normalizeRelative, toPosix } from '../../util/paths.js';
import { sourceMapSources } from './source-map-file.js';

/** What build-output linking needs of a record (recording.ts's TestFileRecord). */
interface LinkableRecord {
  test: string;
  executed: string[];
  read: string[];
  blocks?: unknown[];
  timingOnly?: boolean;
  viaSourceMaps?: string[];
}

/** An untracked file's answer: the tracked sources it came from, or why its origin is unknown. */
type Origin = { sources: string[] } | { unknown: string } | { gone: true };

/** How deep a chain of maps is followed (dist/index.js ← dist/esm/index.js ← src/index.ts). */
const MAX_DEPTH = 4;
const SHOW = 5;

/**
 * Repo-relative paths git tracks under `root` (submodules' files included), read once per
 * recording; undefined when git cannot answer (not a repository): then nothing is judged.
 */
export function trackedFiles(root: string): Set<string> | undefined {
  const out = gitSync(root, ['ls-files', '-z', '--recurse-submodules']) ?? gitSync(root, ['ls-files', '-z']);
  if (out === undefined) return undefined;
  return new Set(splitNul(out).map(normalizeRelative));
}

export interface LinkResult<R> {
  records: R[];
  /** Lines to print once: a summary of linked build output, a warning for unknown origin. */
  messages: Array<{ text: string; warning: boolean }>;
}

export function linkBuildOutput<R extends LinkableRecord>(records: readonly R[], root: string, tracked = lazyTracked(root)): LinkResult<R> {
  const origins = new Map<string, Origin>();
  let gitSet: Set<string> | undefined | null = null;
  const isTracked = (rel: string): boolean | undefined => {
    if (gitSet === null) gitSet = tracked();
    return gitSet?.has(rel);
  };
  const originOf = (rel: string, depth: number, seen: Set<string>): Origin => {
    const cached = origins.get(rel);
    if (cached) return cached;
    const got = resolveOrigin(rel, root, depth, seen, isTracked, originOf);
    origins.set(rel, got);
    return got;
  };
  const tests = new Set(records.map((r) => normalizeRelative(r.test)));
  const folderFiles = byFolder(() => (gitSet === null ? (gitSet = tracked()) : gitSet));
  const links = new Map<string, string[]>();
  const linksOf = (rel: string, sources: string[]): string[] => {
    let got = links.get(rel);
    if (!got) links.set(rel, (got = widen(root, rel, sources, folderFiles, tests)));
    return got;
  };
  const out: R[] = [];
  const unknownFiles = new Map<string, string>();
  const unknownTests: string[] = [];
  const linkedFiles = new Map<string, string[]>();
  let linkedTests = 0;
  for (const r of records) {
    if (r.timingOnly) {
      out.push(r);
      continue;
    }
    const via = new Set<string>(r.viaSourceMaps ?? []);
    let unknown = false;
    // Reads too: a test that reads build output (a browser bundle it evaluates in jsdom, say)
    // depends on its sources as much as one that imports it.
    for (const f of new Set([...r.executed, ...r.read])) {
      const rel = normalizeRelative(f);
      // The test file itself: a change to it is a change to the test, selected as such.
      if (rel === normalizeRelative(r.test)) continue;
      const t = isTracked(rel);
      if (t === undefined) return { records: [...records], messages: [] }; // no git: cannot judge
      if (t) continue;
      const origin = originOf(rel, 0, new Set());
      if ('gone' in origin) continue;
      if ('unknown' in origin) {
        unknown = true;
        unknownFiles.set(rel, origin.unknown);
        continue;
      }
      linkedFiles.set(rel, origin.sources);
      for (const s of linksOf(rel, origin.sources)) via.add(s);
    }
    if (unknown) {
      unknownTests.push(r.test);
      out.push({ ...r, executed: [], read: [], blocks: undefined, viaSourceMaps: undefined, timingOnly: true });
      continue;
    }
    if (via.size > (r.viaSourceMaps?.length ?? 0)) linkedTests++;
    out.push(via.size > 0 ? { ...r, viaSourceMaps: [...via].sort() } : r);
  }
  const messages: LinkResult<R>['messages'] = [];
  if (linkedFiles.size > 0) {
    const shown = [...linkedFiles]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .slice(0, SHOW)
      .map(([f, s]) => `${f} → ${s.length ? s.join(', ') : 'no sources (bundler glue): its package'}`);
    messages.push({
      warning: false,
      text:
        `${linkedTests} test file(s) executed or read ${linkedFiles.size} file(s) git does not track (build output): linked to the tracked sources ` +
        `their source maps name, and the files of those sources' folders up to their package root, at file level ` +
        `(${shown.join('; ')}${linkedFiles.size > SHOW ? '; …' : ''})`,
    });
  }
  if (unknownFiles.size > 0) {
    const shown = [...unknownFiles]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .slice(0, SHOW)
      .map(([f, why]) => `${f}: ${why}`);
    const tests = unknownTests.slice(0, SHOW).join(', ') + (unknownTests.length > SHOW ? `, … (${unknownTests.length} in all)` : '');
    messages.push({
      warning: true,
      text:
        `WARNING: ${unknownTests.length} test file(s) executed or read ${unknownFiles.size} file(s) git does not track whose sources are unknown ` +
        `(${shown.join('; ')}${unknownFiles.size > SHOW ? '; …' : ''}). A change to what they were built from could not be linked to the tests, ` +
        `so these tests are left out of the map and detect always selects them: ${tests}. Build with source maps (sourceMappingURL, ` +
        `sources inside the repository) to map them precisely`,
    });
  }
  return { records: out, messages };
}

/** Tracked files by folder ('' = the root), built on first use. */
function byFolder(tracked: () => Set<string> | undefined): () => Map<string, string[]> {
  let folders: Map<string, string[]> | undefined;
  return () => {
    if (folders) return folders;
    folders = new Map();
    for (const f of tracked() ?? []) {
      const dir = posix.dirname(f) === '.' ? '' : posix.dirname(f);
      let list = folders.get(dir);
      if (!list) folders.set(dir, (list = []));
      list.push(f);
    }
    return folders;
  };
}

/**
 * The sources plus the tracked files directly in the folder of each source and of the output
 * file, and in every folder above each up to its package root (a folder holding a package.json)
 * or the repository root; test files (those recorded in this run) left out of the widening.
 */
function widen(root: string, output: string, sources: readonly string[], folderFiles: () => Map<string, string[]>, tests: ReadonlySet<string>): string[] {
  const out = new Set(sources);
  const done = new Set<string>();
  for (const s of [output, ...sources]) {
    let dir = posix.dirname(s) === '.' ? '' : posix.dirname(s);
    for (;;) {
      if (done.has(dir)) break;
      done.add(dir);
      const files = folderFiles().get(dir) ?? [];
      for (const f of files) if (!tests.has(f)) out.add(f);
      const pkg = dir === '' ? 'package.json' : `${dir}/package.json`;
      if (dir === '' || files.includes(pkg) || existsSync(join(root, pkg))) break;
      dir = posix.dirname(dir) === '.' ? '' : posix.dirname(dir);
    }
  }
  return [...out].sort();
}

function lazyTracked(root: string): () => Set<string> | undefined {
  return () => trackedFiles(root);
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function resolveOrigin(
  rel: string,
  root: string,
  depth: number,
  seen: Set<string>,
  isTracked: (rel: string) => boolean | undefined,
  originOf: (rel: string, depth: number, seen: Set<string>) => Origin,
): Origin {
  const abs = join(root, rel);
  if (!existsSync(abs)) return { gone: true };
  const map = sourceMapSources(abs);
  if ('problem' in map) return { unknown: map.problem };
  const sources = new Set<string>();
  for (const s of map.sources) {
    const path = real(s);
    const r = toPosix(relative(root, path));
    if (r === '' || r === '..' || r.startsWith('../') || isAbsolute(r)) return { unknown: `its source map names ${s}, outside the repository` };
    // Bundled dependencies: not the repository's code (lockfile changes are the policy's to judge).
    if (r.split('/').includes('node_modules')) continue;
    if (isTracked(r)) {
      sources.add(r);
      continue;
    }
    // Itself generated (a chain of builds): follow its own map, a few steps at most.
    if (!existsSync(path)) return { unknown: `its source map names ${r}, which is not in the repository` };
    if (depth >= MAX_DEPTH || seen.has(r)) return { unknown: `its source map names ${r}, which git does not track (a chain of maps too long to follow)` };
    seen.add(r);
    const inner = originOf(r, depth + 1, seen);
    if ('unknown' in inner) return { unknown: `its source map names ${r}, which git does not track and whose sources are unknown (${inner.unknown})` };
    if ('sources' in inner) for (const x of inner.sources) sources.add(x);
  }
  return { sources: [...sources].sort() };
}
