import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import type { GitRunner } from './git.js';
import { parseOldRanges } from './hunks.js';
import { parseNameStatus, type NameStatusEntry } from './name-status.js';
import { diffNameStatusArgs } from './repo.js';
import { parseStatusV2, STATUS_ARGS } from './status.js';
import type { ChangedFile } from './types.js';

/** Committed changes `from..to` (both commits), renames detected. */
export async function committedChanges(git: GitRunner, from: string, to: string): Promise<NameStatusEntry[]> {
  return parseNameStatus(await git.output(diffNameStatusArgs(from, to)));
}

function existsInTree(root: string, path: string): boolean {
  try {
    lstatSync(join(root, path));
    return true;
  } catch {
    return false;
  }
}

/**
 * Committed plus staged, unstaged and untracked changes, each file listed once with its status
 * relative to the merge-base.
 *
 * The status comes from the net diff merge-base → working tree (so a rename made partly in
 * commits and partly in the working tree is still one rename), with untracked files added: an
 * untracked path the net diff calls deleted (`git rm --cached`, or deleted in a commit and
 * re-created) exists on both sides → modified; any other untracked path → added.
 * A path touched by any layer (committed diff, staged, unstaged) that the net diff does not show
 * — added in a commit then deleted in the working tree, or modified then reverted — is still
 * listed (modified if it exists, else deleted): the selection may only grow, never shrink.
 */
export async function withUncommitted(
  git: GitRunner,
  root: string,
  mergeBase: string,
  committed: readonly NameStatusEntry[],
): Promise<{ entries: NameStatusEntry[]; fromNetDiff: Set<NameStatusEntry> }> {
  const [net, status] = await Promise.all([git.output(diffNameStatusArgs(mergeBase)).then(parseNameStatus), git.output(STATUS_ARGS).then(parseStatusV2)]);
  const { untracked } = status;
  const entries: NameStatusEntry[] = [...net];
  const fromNetDiff = new Set(net);
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const covered = new Set(entries.flatMap((e) => (e.oldPath === undefined ? [e.path] : [e.path, e.oldPath])));
  for (const path of untracked) {
    const known = byPath.get(path);
    if (known && known.status === 'deleted') {
      known.status = 'modified';
      fromNetDiff.delete(known); // its net-diff ranges (all lines deleted) no longer describe it
    } else if (!known) {
      const entry: NameStatusEntry = { status: covered.has(path) ? 'modified' : 'added', path };
      entries.push(entry);
      byPath.set(path, entry);
    }
    covered.add(path);
  }
  const touched = [...committed.flatMap((e) => (e.oldPath === undefined ? [e.path] : [e.path, e.oldPath])), ...status.touched];
  for (const path of touched) {
    if (covered.has(path)) continue;
    covered.add(path);
    entries.push({ status: existsInTree(root, path) ? 'modified' : 'deleted', path });
  }
  return { entries, fromNetDiff };
}

/**
 * Fill `oldRanges` for modified and renamed files from a `-U0` patch `from → to` (`to` absent:
 * the working tree). Added and deleted files keep no ranges (the whole file); so do files without
 * hunks in the patch (binary, mode-only change, pure rename: the old path's importers break even
 * though no line changed), which consumers treat as wholly changed.
 */
export async function oldRangesFor(git: GitRunner, from: string, to: string | undefined): Promise<ReturnType<typeof parseOldRanges>> {
  const patch = await git.output([
    'diff',
    '-U0',
    '-M',
    '--no-ext-diff',
    '--no-textconv',
    '--no-color',
    '--no-relative',
    '--src-prefix=a/',
    '--dst-prefix=b/',
    from,
    ...(to ? [to] : []),
    '--',
  ]);
  return parseOldRanges(patch);
}

export function toChangedFile(e: NameStatusEntry, ranges?: ReturnType<typeof parseOldRanges>): ChangedFile {
  const file: ChangedFile = { path: e.path, status: e.status };
  if (e.oldPath !== undefined) file.oldPath = e.oldPath;
  if (ranges && (e.status === 'modified' || e.status === 'renamed')) {
    const r = ranges.get(e.path);
    if (r && r.length > 0) file.oldRanges = r;
  }
  return file;
}
