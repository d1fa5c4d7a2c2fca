import type { ChangeStatus } from './types.js';
import { splitNul } from './git.js';

/** One entry of `git diff --name-status -z`, with git's letter mapped to our statuses. */
export interface NameStatusEntry {
  status: ChangeStatus;
  path: string;
  oldPath?: string;
}

/**
 * Parse `git diff -z --name-status` output: `X\0path\0` per entry, and `R<score>\0old\0new\0` or
 * `C<score>\0source\0copy\0` for renames and copies. Fields are NUL-separated, so any byte in a
 * path (space, quote, newline) survives.
 *
 * Mapping: A → added, D → deleted, R → renamed (oldPath kept), C → added (the copy; its source is
 * unchanged), M/T (type change)/U (unmerged)/X (unknown) → modified: when git is unsure what
 * happened, "modified" makes the consumers look at the file.
 */
export function parseNameStatus(out: string): NameStatusEntry[] {
  const fields = splitNul(out);
  const entries: NameStatusEntry[] = [];
  let i = 0;
  while (i < fields.length) {
    const code = fields[i++]!;
    const letter = code.charAt(0);
    if (letter === 'R' || letter === 'C') {
      const from = fields[i++];
      const to = fields[i++];
      if (from === undefined || to === undefined) throw new Error(`truncated git diff -z output after "${code}"`);
      entries.push(letter === 'R' ? { status: 'renamed', path: to, oldPath: from } : { status: 'added', path: to });
      continue;
    }
    const path = fields[i++];
    if (path === undefined) throw new Error(`truncated git diff -z output after "${code}"`);
    entries.push({ status: statusOf(letter), path });
  }
  return entries;
}

function statusOf(letter: string): ChangeStatus {
  if (letter === 'A') return 'added';
  if (letter === 'D') return 'deleted';
  return 'modified';
}
