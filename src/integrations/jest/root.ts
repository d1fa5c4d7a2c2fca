import { realpathSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { relativeTo } from '../../util/paths.js';
import { repoRoot } from '../shared/git.js';

/**
 * The root every recorded and selected path is relative to: the git top level containing `dir`
 * (Jest's rootDir or the cwd), so paths match `git diff` and `testsift detect` even when Jest runs
 * in one package of a monorepo. Outside a git repository, `dir` itself (real path).
 */
export function resolveRoot(dir: string): string {
  const top = repoRoot(dir);
  if (top) return top;
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}

/**
 * `abs` relative to `root` (POSIX), or undefined when it lies outside the root or inside a
 * dependency folder: neither belongs in a map keyed by the files `git diff` can report.
 */
export function repoRelative(root: string, abs: string): string | undefined {
  const rel = relativeTo(root, abs);
  if (rel === '' || rel === '..' || rel.startsWith('../') || isAbsolute(rel)) return undefined;
  if (rel.split('/').includes('node_modules')) return undefined;
  return rel;
}
