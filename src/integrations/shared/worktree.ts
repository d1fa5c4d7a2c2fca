/**
 * Two facts about the work tree a recording is made in.
 *
 * - Uncommitted changes: the map is stamped with HEAD, but its rows describe the code on disk.
 *   A recording from a dirty tree is still written (it is the truth about that code), with a
 *   warning naming a few of the changed files.
 * - The output folder: `.testsift/` holds artifacts (a map, timings) that belong in CI storage,
 *   not in commits. On first record a `.testsift/.gitignore` containing `*` keeps the folder out
 *   of `git add -A` without editing the user's own `.gitignore` (the way pytest and ruff mark
 *   their cache folders). Only for a folder named `.testsift` (ours), only when git tracks
 *   nothing in it (a team that commits its map on purpose keeps doing so), and never
 *   overwriting a file that is there.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { gitSync as git } from '../../changes/git.js';

/**
 * Repo-relative paths with uncommitted changes (modified, staged, deleted, untracked and not
 * ignored), leaving out `excludeDirs` (the recording's own outputs); undefined outside a repo.
 */
export function uncommittedFiles(root: string, excludeDirs: readonly string[] = []): string[] | undefined {
  const out = git(root, ['status', '--porcelain=v1', '-z', '--untracked-files=all']);
  if (out === undefined) return undefined;
  const skip = excludeDirs
    .map((d) => relative(root, d).split(sep).join('/'))
    .filter((d) => d && !d.startsWith('..'))
    .map((d) => `${d}/`);
  const files: string[] = [];
  const entries = out.split('\0');
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.length < 4) continue;
    const status = e.slice(0, 2);
    const path = e.slice(3);
    if (status[0] === 'R' || status[0] === 'C') i++; // the next entry is the rename's source
    if (skip.some((d) => path.startsWith(d))) continue;
    files.push(path);
  }
  return files;
}

/** The warning for a recording made with uncommitted changes, or undefined for a clean tree. */
export function dirtyTreeWarning(root: string, excludeDirs: readonly string[] = []): string | undefined {
  const files = uncommittedFiles(root, excludeDirs);
  if (!files?.length) return undefined;
  const shown = files.slice(0, 3).join(', ') + (files.length > 3 ? `, … (${files.length} in all)` : '');
  return (
    `warning: recording from a work tree with uncommitted changes (${shown}): the map is stamped with ` +
    'the HEAD commit but its rows describe the code on disk. Record from a clean checkout (as CI does).'
  );
}

/**
 * Keep the output folder out of commits: write `<dir>/.gitignore` with `*` when `dir` is a
 * `.testsift` folder with no such file and nothing in it tracked. Returns the file written.
 */
export function ignoreOutputDir(root: string, dir: string): string | undefined {
  if (basename(dir) !== '.testsift') return undefined;
  const file = join(dir, '.gitignore');
  if (existsSync(file)) return undefined;
  const tracked = git(root, ['ls-files', '-z', '--', dir]);
  if (tracked === undefined || tracked.length > 0) return undefined;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, '# Written by testsift: recorded maps and timings are CI artifacts, not sources.\n*\n', { flag: 'wx' });
    return file;
  } catch {
    return undefined;
  }
}
