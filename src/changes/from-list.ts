import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { relativeTo } from '../util/paths.js';
import type { ChangedFile } from './types.js';
import { pushAll } from '../util/arrays.js';

/**
 * Read a changed-files list: `file` is a path, or '-' for standard input (`stdinText` when the
 * caller already read it, else fd 0). An unreadable list is the user's input → InputError, exit 2.
 */
export function readListText(file: string, cwd: string, stdinText: string | undefined): string {
  if (file === '-') return stdinText ?? readFileSync(0, 'utf8');
  const abs = resolve(cwd, file);
  try {
    return readFileSync(abs, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError({ file: abs }, `cannot read the changed-files list (${code ?? (err as Error).message}); expected a file with one path a line`);
  }
}

/**
 * Entries of a list: one path a line (CRLF or LF, BOM dropped, surrounding whitespace trimmed,
 * blanks skipped). A list containing NUL bytes is NUL-separated instead, taken verbatim (as
 * `git diff --name-only -z` writes it): the only way to pass a path containing a newline.
 */
export function listLines(text: string): string[] {
  if (isNulSeparated(text)) return text.split('\0').filter((p) => p.length > 0);
  return text
    .replace(/^\uFEFF/, '')
    .split('\n')
    .map((l) => l.replace(/\r$/, '').trim())
    .filter((l) => l.length > 0);
}

/** A list with a NUL in it is NUL-separated, its entries verbatim (see listLines). */
export function isNulSeparated(text: string): boolean {
  return text.includes('\0');
}

// An ordinary relative path (no `.`/`..` segment, no `//`, no backslash) needs no normalising:
// path.join per listed file was, at GitLab scale, the one loop V8 spent ~7 ms optimising.
const PLAIN_RELATIVE = /^(?![/.])(?!.*\/\.\.?(?:\/|$))(?!.*\/\/)[^\\]*$/;
const underRoot = (root: string, p: string): string => (PLAIN_RELATIVE.test(p) && !root.endsWith('/') ? `${root}/${p}` : join(root, p));

/**
 * Turn list entries into changed files, relative to `root` (the repository top level, or the
 * current folder outside a repository). A path that exists is `modified`, one that does not is
 * `deleted`: a list says nothing about additions, and "modified" makes consumers look at the file.
 *
 * One path a line. GitLab's tooling writes space-separated lists on one line, so a line that is
 * not itself an existing file but contains spaces is also split on spaces:
 * - every part exists → the parts (the clear case of a space-separated list);
 * - only some exist → the parts *and* the whole line as a deleted path, because either reading may
 *   be the true one and listing both can only select more tests, never fewer.
 * `verbatim` entries (a NUL-separated list, as `git diff -z` writes it) are exact paths: never
 * split on spaces (` a.ts ` deleted is not `a.ts`).
 */
export function changedFilesFromList(entries: readonly string[], root: string, verbatim = false): ChangedFile[] {
  const known = new Map<string, boolean>();
  const exists = (p: string) => {
    let hit = known.get(p);
    if (hit === undefined) known.set(p, (hit = existsSync(underRoot(root, p))));
    return hit;
  };
  const paths: string[] = [];
  for (const entry of entries) {
    const line = relativeTo(root, entry.replace(/\r$/, ''));
    if (line.trim() === '') continue;
    if (verbatim || exists(line) || !line.includes(' ')) {
      paths.push(line);
      continue;
    }
    const parts = line
      .split(/ +/)
      .filter((p) => p.length > 0)
      .map((p) => relativeTo(root, p));
    const existing = parts.filter(exists);
    if (existing.length === 0) paths.push(line);
    else if (existing.length === parts.length) pushAll(paths, parts);
    else pushAll(paths, parts).push(line);
  }
  const seen = new Set<string>();
  const files: ChangedFile[] = [];
  for (const p of paths) {
    if (seen.has(p)) continue;
    seen.add(p);
    files.push({ path: p, status: exists(p) ? 'modified' : 'deleted' });
  }
  return files;
}
