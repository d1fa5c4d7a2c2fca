import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The enclosing git work tree, found by looking for `.git` upwards: no git process, so a
 * `--changed-files` run outside a repository (or at GitLab scale, where every millisecond of
 * detect counts) pays nothing for it.
 */
export function findRepoRoot(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
