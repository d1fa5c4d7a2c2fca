import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';

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

/**
 * The nearest `rel` (a file or folder) from `start` upwards, `stop` included: how defaults
 * (tests.yml, .testsift/map.json) are found from a package of a monorepo. `stop` must contain
 * `start`; outside it only `start` is looked at.
 */
export function findUpward(start: string, stop: string, rel: string): string | undefined {
  let dir = resolve(start);
  const end = resolve(stop);
  for (;;) {
    const candidate = join(dir, rel);
    if (existsSync(candidate)) return candidate;
    if (dir === end) return undefined;
    const parent = dirname(dir);
    if (parent === dir || !isInside(end, parent)) return undefined;
    dir = parent;
  }
}

function isInside(outer: string, inner: string): boolean {
  const r = relative(outer, inner);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}
