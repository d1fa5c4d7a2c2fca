import { lstatSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { InputError } from '../errors.js';
import { findRepoRoot } from './repo.js';

/** The folder testsift writes its outputs into by default (maps, timings, detect's files). */
export const OUTPUT_DIR_NAME = '.testsift';

function inside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Refuse to write through a `.testsift` that is a symlink leading out of its repository. The
 * folder comes with the checkout, so a repository (or a cache restored into it) that links
 * `.testsift` to `~/.ssh` or `/etc` would otherwise have CI overwrite files there under names
 * like `map.json`. A link within the repository (a shared folder of a monorepo) is fine.
 * Outside a repository the folder holding `.testsift` stands for it.
 */
export function checkOutputLocation(path: string): void {
  const abs = resolve(path);
  const parts = abs.split(sep);
  const at = parts.lastIndexOf(OUTPUT_DIR_NAME, parts.length - 2);
  if (at <= 0) return;
  const dir = parts.slice(0, at + 1).join(sep) || sep;
  let isLink: boolean;
  try {
    isLink = lstatSync(dir).isSymbolicLink();
  } catch {
    return;
  }
  if (!isLink) return;
  const owner = dirname(dir);
  const repo = findRepoRoot(owner) ?? owner;
  let target: string;
  let repoReal: string;
  try {
    target = realpathSync(dir);
    repoReal = realpathSync(repo);
  } catch (err) {
    // A dangling link: writing would create folders wherever it points.
    throw new InputError(
      { file: dir },
      `a symlink that leads nowhere (${(err as NodeJS.ErrnoException).code}); testsift does not write its outputs through it: remove the link or make it a folder`,
    );
  }
  if (!inside(target, repoReal)) {
    throw new InputError(
      { file: dir },
      `a symlink to ${target}, outside the repository ${repoReal}; testsift does not write its outputs there: remove the link, point it inside the repository, or give an output path outside ${OUTPUT_DIR_NAME}`,
    );
  }
}
