import { realpathSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { TestUniverse, VitestUniverseProject } from '../../mappings/coverage/types.js';
import { relativeTo, toPosix } from '../../util/paths.js';

/** The parts of a Vitest project's resolved config that decide which files are its tests. */
interface ProjectLike {
  name?: string;
  config: {
    root: string;
    dir?: string;
    include?: string[];
    exclude?: string[];
    typecheck?: { enabled?: boolean; include?: string[]; exclude?: string[] };
  };
}

/**
 * Vitest's test universe, per project: its include/exclude globs, relative to the folder Vitest
 * globs them from (`dir`, else `root`), stored repo-relative. Detect reads it back when tests.yml
 * has no `tests:`, so a new file one project's include matches (`*.test-prop.ts`, say) is a test
 * and another workspace's files are not. Undefined when a project's folder lies outside the
 * repository (detect then keeps its default globs: more tests, never fewer).
 */
export function vitestUniverse(projects: readonly ProjectLike[], repoRoot: string): TestUniverse | undefined {
  const out: VitestUniverseProject[] = [];
  for (const p of projects) {
    const dir = p.config.dir || p.config.root;
    const root = inside(repoRoot, dir);
    if (root === undefined) return undefined;
    const globs = (list: readonly string[] | undefined): string[] => (list ?? []).map((g) => relativeGlob(g, dir));
    const name = p.name ? { name: p.name } : {};
    out.push({ ...name, root, include: globs(p.config.include), exclude: globs(p.config.exclude) });
    // Type-check tests (`*.test-d.ts`) are test files of the run too when type checking is on.
    const tc = p.config.typecheck;
    if (tc?.enabled && tc.include?.length) out.push({ ...name, root, include: globs(tc.include), exclude: globs(tc.exclude) });
  }
  return out.length > 0 ? { runner: 'vitest', projects: out } : undefined;
}

/** A glob written with the project's absolute folder in front, made relative to it. */
function relativeGlob(glob: string, dir: string): string {
  const g = toPosix(glob);
  const base = `${toPosix(dir).replace(/\/+$/, '')}/`;
  return g.startsWith(base) ? g.slice(base.length) : g;
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** `dir` relative to the repository ('' = its root), either spelling of a symlinked path; undefined outside it. */
function inside(repoRoot: string, dir: string): string | undefined {
  for (const r of new Set([repoRoot, real(repoRoot)])) {
    for (const d of new Set([dir, real(dir)])) {
      const rel = relativeTo(r, d);
      if (rel !== '..' && !rel.startsWith('../') && !isAbsolute(rel)) return rel;
    }
  }
  return undefined;
}
