import type { JestUniverseProject, TestUniverse, VitestUniverseProject } from '../mappings/coverage/types.js';
import { anyGlob } from '../util/globs.js';

/**
 * The runner's own test universe, read back from a map's metadata (see MapMetadata.universe):
 * which repo-relative paths the runner would collect as test files. Used by detect when tests.yml
 * gives no `tests:`, so a new test file the runner would run counts as a test, and another
 * workspace's files that only look like tests do not.
 */

/** Why a stored universe cannot be used (detect then keeps the default globs, and says so). */
export class UniverseShapeError extends Error {}

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** A repo-relative folder as stored: '' for the root; refuses what leaves the repository. */
function folder(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new UniverseShapeError(`${what} is not a string`);
  let f = v.replace(/\\/g, '/').replace(/\/+$/, '');
  while (f.startsWith('./')) f = f.slice(2);
  if (f === '.') f = '';
  if (f === '..' || f.startsWith('../') || f.startsWith('/') || /^[A-Za-z]:/.test(f)) throw new UniverseShapeError(`${what} '${v}' lies outside the repository`);
  return f;
}

/** Validates a map's `universe` (an artifact: it may come from another version or be hand-made). */
export function parseUniverse(value: unknown): TestUniverse {
  const u = value as { runner?: unknown; projects?: unknown } | null;
  if (typeof u !== 'object' || u === null || !Array.isArray(u.projects) || u.projects.length === 0) throw new UniverseShapeError('has no list of projects');
  if (u.runner === 'vitest') {
    const projects = u.projects.map((p: Partial<VitestUniverseProject>, i): VitestUniverseProject => {
      if (!isStringList(p?.include) || !isStringList(p.exclude)) throw new UniverseShapeError(`project ${i + 1} has no include/exclude lists`);
      return { ...(typeof p.name === 'string' ? { name: p.name } : {}), root: folder(p.root, `project ${i + 1}'s root`), include: p.include, exclude: p.exclude };
    });
    return { runner: 'vitest', projects };
  }
  if (u.runner === 'jest') {
    const projects = u.projects.map((p: Partial<JestUniverseProject>, i): JestUniverseProject => {
      if (!isStringList(p?.roots)) throw new UniverseShapeError(`project ${i + 1} has no roots`);
      for (const k of ['testMatch', 'testRegex', 'testPathIgnorePatterns'] as const) {
        if (p[k] !== undefined && !isStringList(p[k])) throw new UniverseShapeError(`project ${i + 1}'s ${k} is not a list of strings`);
      }
      return { ...p, roots: p.roots.map((r, j) => folder(r, `project ${i + 1}'s root ${j + 1}`)) };
    });
    return { runner: 'jest', projects };
  }
  throw new UniverseShapeError(`names an unknown runner ${JSON.stringify(u.runner)}`);
}

/** `path` relative to `root` ('' = the repository), or undefined when it lies outside it. */
function under(root: string, path: string): string | undefined {
  if (root === '') return path;
  return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : undefined;
}

function vitestProject(p: VitestUniverseProject): (path: string) => boolean {
  const include = anyGlob(p.include);
  const exclude = anyGlob(p.exclude);
  return (path) => {
    const rel = under(p.root, path);
    return rel !== undefined && include(rel) && !exclude(rel);
  };
}

function regexes(list: readonly string[] | undefined, what: string): RegExp[] {
  return (list ?? []).map((source) => {
    try {
      return new RegExp(source);
    } catch (err) {
      throw new UniverseShapeError(`${what} /${source}/ is not a valid regular expression: ${(err as Error).message}`);
    }
  });
}

function jestProject(p: JestUniverseProject): (path: string) => boolean {
  const match = p.testMatch?.length ? anyGlob(p.testMatch) : undefined;
  const regex = regexes(p.testRegex, 'testRegex');
  const ignore = regexes(p.testPathIgnorePatterns, 'testPathIgnorePatterns');
  // Jest takes testRegex when it is set and testMatch otherwise; a map that has both counts
  // either (more tests, never fewer).
  if (!match && regex.length === 0) throw new UniverseShapeError('a Jest project has neither testMatch nor testRegex');
  return (path) => {
    if (!p.roots.some((r) => under(r, path) !== undefined)) return false;
    const slashed = `/${path}`;
    if (!(match?.(path) || regex.some((r) => r.test(slashed)))) return false;
    return !ignore.some((r) => r.test(slashed));
  };
}

/** Whether a repo-relative path is a test file of the stored universe. Throws UniverseShapeError. */
export function universeMatcher(u: TestUniverse): (path: string) => boolean {
  const tests = u.runner === 'vitest' ? u.projects.map(vitestProject) : u.projects.map(jestProject);
  return (path) => tests.some((t) => t(path));
}

/** The folders a universe's tests lie under (repo-relative, '' = everything). */
export function universeRoots(u: TestUniverse): string[] {
  return u.runner === 'vitest' ? u.projects.map((p) => p.root) : u.projects.flatMap((p) => p.roots);
}
