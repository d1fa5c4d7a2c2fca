import { realpathSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { JestUniverseProject, TestUniverse } from '../../mappings/coverage/types.js';
import { relativeTo, toPosix } from '../../util/paths.js';

/** The parts of a Jest project config that decide which files are its tests (29 and 30). */
export interface JestProjectConfigLike {
  rootDir?: string;
  roots?: string[];
  testMatch?: string[];
  testRegex?: string | string[];
  testPathIgnorePatterns?: string[];
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * Jest's test universe, per project: roots made repo-relative, testMatch globs with the absolute
 * root (Jest writes `<rootDir>` as one) removed, testRegex and testPathIgnorePatterns as given but
 * for that same prefix (detect tests them against '/' + the repo-relative path). Undefined when a
 * root lies outside the repository: detect then keeps its default globs (more tests, not fewer).
 */
export function jestUniverse(configs: readonly JestProjectConfigLike[], repoRoot: string): TestUniverse | undefined {
  const spellings = [...new Set([repoRoot, real(repoRoot)])].map((r) => toPosix(r).replace(/\/+$/, ''));
  const rel = (abs: string): string | undefined => {
    for (const r of spellings) {
      for (const d of new Set([abs, real(abs)])) {
        const p = relativeTo(r, d);
        if (p !== '..' && !p.startsWith('../') && !isAbsolute(p)) return p;
      }
    }
    return undefined;
  };
  // The repository's absolute path inside a glob or regex: removed, leaving a leading '/' that
  // detect's '/'-prefixed paths match (or, in a glob, nothing before the repo-relative part).
  const strip = (text: string, glob: boolean): string => {
    let t = toPosix(text);
    for (const r of spellings) t = t.split(glob ? `${r}/` : r).join(glob ? '' : '');
    return t;
  };
  const out: JestUniverseProject[] = [];
  for (const c of configs) {
    const roots: string[] = [];
    for (const r of c.roots?.length ? c.roots : c.rootDir ? [c.rootDir] : []) {
      const p = rel(r);
      if (p === undefined) return undefined;
      roots.push(p);
    }
    if (roots.length === 0) return undefined;
    const regex = typeof c.testRegex === 'string' ? [c.testRegex] : (c.testRegex ?? []);
    out.push({
      roots,
      ...(c.testMatch?.length ? { testMatch: c.testMatch.map((g) => strip(g, true)) } : {}),
      ...(regex.length ? { testRegex: regex.map((x) => strip(x, false)) } : {}),
      ...(c.testPathIgnorePatterns?.length ? { testPathIgnorePatterns: c.testPathIgnorePatterns.map((x) => strip(x, false)) } : {}),
    });
  }
  return out.length > 0 ? { runner: 'jest', projects: out } : undefined;
}
