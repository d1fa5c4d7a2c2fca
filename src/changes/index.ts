import { resolve } from 'node:path';
import { collectLabels } from './ci-env.js';
import { changesFromGit } from './from-git.js';
import { changedFilesFromList, isNulSeparated, listLines, readListText } from './from-list.js';
import { isInsideRepo, repoRoot } from './repo.js';
import type { ChangeOptions, ChangeSet } from './types.js';
import { pushAll } from '../util/arrays.js';
export type * from './types.js';
export { isInsideRepo, repoRoot, resolveCommit } from './repo.js';
export { listTrackedFiles } from './tracked.js';
export { fetchMissingCommit } from './fetch-commit.js';
export { DEFAULT_DEEPEN_BY } from './from-git.js';
export { compareCommits } from './compare.js';
export { parseNameStatus } from './name-status.js';
export { parseOldRanges, unquoteGitPath } from './hunks.js';

/**
 * What changed. Two sources:
 * - a list (`changedFiles` file or '-', and/or `changedFileList`): one path a line (or
 *   NUL-separated), no git needed;
 *   existing paths are `modified`, missing ones `deleted` (see from-list.ts for the space rule);
 * - otherwise git: `merge-base(base, head)..head`, optionally plus the working tree, with the
 *   base defaulted from CI variables (see ci-env.ts). A shallow clone that lacks the merge-base
 *   is deepened `deepen` times; if that is not enough the result carries `fullSuiteReasons`
 *   instead of an error. When the base is only a built-in guess (no --base, no CI merge-request
 *   variable) and the merge-base is HEAD, there is nothing to compare (we are on the base
 *   branch): `fullSuiteReasons` says so rather than an empty diff selecting nothing.
 * An empty list runs the full suite unless `allowEmptyList`; an empty git diff from an asked-for
 * base stays selective, with a "no changed files" warning.
 * All paths are POSIX and relative to the repository top level (or to `cwd` outside a repo).
 * Unknown refs and folders that are not repositories are GitErrors (exit 2) naming them.
 */
export async function getChangeSet(opts: ChangeOptions): Promise<ChangeSet> {
  const env = opts.env ?? process.env;
  const cwd = resolve(opts.cwd ?? process.cwd());
  const warnings: string[] = [];
  const labels = collectLabels(opts.labels, env, warnings);
  if (opts.changedFiles === undefined && opts.changedFileList === undefined) {
    return changesFromGit({ ...opts, cwd }, env, labels, warnings);
  }
  const entries = [...(opts.changedFileList ?? [])];
  const text = opts.changedFiles === undefined ? undefined : readListText(opts.changedFiles, cwd, opts.stdinText);
  // A NUL-separated list holds exact paths, never split on spaces: read it apart from the rest.
  const verbatim = text !== undefined && isNulSeparated(text);
  if (text !== undefined && !verbatim) pushAll(entries, listLines(text));
  const root = opts.repoRoot ?? ((await isInsideRepo(cwd)) ? await repoRoot(cwd) : cwd);
  let files = changedFilesFromList(entries, root);
  if (verbatim) {
    const seen = new Set(files.map((f) => f.path));
    files = files.concat(changedFilesFromList(listLines(text), root, true).filter((f) => !seen.has(f.path)));
  }
  const fullSuiteReasons: string[] = [];
  if (files.length === 0) {
    const list =
      opts.changedFiles === undefined
        ? 'the changed-file list'
        : opts.changedFiles === '-'
          ? 'the changed-file list on stdin'
          : `the changed-file list ${opts.changedFiles}`;
    // An empty list is what a failed producer leaves too: never run nothing on it by accident.
    if (opts.allowEmptyList) warnings.push(`${list} is empty (allowed): the change itself selects no test`);
    else fullSuiteReasons.push(`${list} is empty, which cannot be told from a list whose producer failed; running the full suite (--allow-empty-list selects no test)`);
  }
  return { files, labels, source: 'list', fullSuiteReasons, warnings };
}
