import { GitError, UsageError } from '../errors.js';
import { baseCandidates, type Env } from './ci-env.js';
import { committedChanges, oldRangesFor, toChangedFile, withUncommitted } from './diff.js';
import { GitRunner } from './git.js';
import type { NameStatusEntry } from './name-status.js';
import { repoRoot, resolveCommit } from './repo.js';
import { noCommitYetError } from './unborn.js';
import { deepenForMergeBase, fetchMissingBase, isShallow, mergeBaseOf, pickRemote } from './shallow.js';
import type { ChangeOptions, ChangeSet } from './types.js';

/** Default number of commits per deepening step. */
export const DEFAULT_DEEPEN_BY = 50;

interface ChosenBase {
  ref: string;
  /**
   * The base is a built-in guess (origin/HEAD, main, …), not asked for by --base or a CI
   * merge-request variable: an empty diff then most likely means "we are on that branch".
   */
  fallback: boolean;
}

/** `opts.base`, or the first CI/default candidate that resolves; UsageError when none does. */
async function chooseBase(root: string, opts: ChangeOptions, env: Env): Promise<ChosenBase> {
  // An empty --base (an unset CI variable expanded in a script) means "not given".
  if (opts.base?.trim()) return { ref: opts.base.trim(), fallback: false };
  const { refs, from } = baseCandidates(env);
  for (const ref of refs) if (await resolveCommit(root, ref)) return { ref, fallback: from === undefined };
  // A CI variable named the base: keep its first spelling, so a shallow clone can fetch it and an
  // error names what CI asked for.
  if (from) return { ref: refs[0]!, fallback: false };
  const none = await noCommitYetError(root, undefined);
  if (none) throw none;
  throw new UsageError(`no diff base: none of ${refs.join(', ')} exists in ${root}; pass --base <ref>`);
}

/**
 * Nothing to compare: a guessed base whose merge-base with HEAD is HEAD itself (a pipeline on the
 * base branch, or a branch with no commits of its own). An empty diff would select no test at
 * all, so the full suite runs, saying why. With --include-uncommitted and local edits there is
 * something to compare (the working tree), so selection stays.
 */
function noComparisonReason(base: ChosenBase, baseSha: string, headSha: string, mergeBase: string, result: ChangeSet, opts: ChangeOptions): string | undefined {
  if (!base.fallback || mergeBase !== headSha) return undefined;
  if (opts.includeUncommitted && result.files.length > 0) return undefined;
  const where = baseSha === headSha ? `HEAD is the base branch '${base.ref}' itself` : `HEAD is already contained in the base branch '${base.ref}'`;
  return `${where}: no merge request to compare against, so the full suite runs; pass --base to select`;
}

/** `unknown git ref`, unless the ref does not resolve because there is no commit yet (say that). */
async function unknownRef(ref: string, role: 'base' | 'head', root: string, shallow: boolean): Promise<GitError> {
  const none = await noCommitYetError(root, ref);
  if (none) return none;
  const hint = shallow ? ' (this clone is shallow; fetch the ref or allow deepening)' : '';
  return new GitError(`unknown git ref "${ref}" (${role}) in ${root}${hint}`);
}

/**
 * The change set `merge-base(base, head)..head` from git (see getChangeSet). Paths are relative
 * to the repository top level even when `opts.cwd` is a subfolder.
 */
export async function changesFromGit(opts: ChangeOptions, env: Env, labels: string[], warnings: string[]): Promise<ChangeSet> {
  const root = await repoRoot(opts.cwd ?? process.cwd());
  const git = new GitRunner(root);
  const shallow = await isShallow(git);
  const head = opts.head?.trim() || 'HEAD';
  const chosen = await chooseBase(root, opts, env);
  const base = chosen.ref;
  const result: ChangeSet = { files: [], labels, source: 'git', base, head, fullSuiteReasons: [], warnings };

  const headSha = await resolveCommit(root, head);
  if (!headSha) throw await unknownRef(head, 'head', root, shallow);
  result.headCommit = headSha;
  if (opts.includeUncommitted && headSha !== (await resolveCommit(root, 'HEAD'))) {
    throw new UsageError(`uncommitted changes sit on HEAD, not on --head ${head}; drop one of them`);
  }

  const deepenSteps = Math.max(0, opts.deepen ?? 0);
  const deepenBy = Math.max(1, opts.deepenBy ?? DEFAULT_DEEPEN_BY);
  const notes: string[] = [];
  let baseRef = base;
  let baseSha = await resolveCommit(root, base);
  const remote = shallow && deepenSteps > 0 ? await pickRemote(git, base, opts.remote) : undefined;
  if (!baseSha && shallow && remote) {
    const fetched = await fetchMissingBase(git, base, remote, deepenBy, notes);
    if (fetched) baseSha = await resolveCommit(root, (baseRef = fetched));
  }
  if (!baseSha) {
    if (!shallow) throw await unknownRef(base, 'base', root, false);
    // The base is simply not in this shallow clone: a CI situation, not a user error.
    result.fullSuiteReasons.push(
      `base ${base} is not in this shallow clone${remote ? '' : deepenSteps > 0 ? ' and there is no remote to fetch it from' : ' (deepening not allowed)'}; running the full suite`,
    );
    warnings.push(...notes);
    return result;
  }
  result.baseCommit = baseSha;

  let mergeBase = await mergeBaseOf(git, baseSha, headSha);
  let steps = 0;
  if (!mergeBase && shallow && remote) {
    const outcome = await deepenForMergeBase(git, baseSha, headSha, remote, deepenSteps, deepenBy, notes);
    mergeBase = outcome.mergeBase;
    steps = outcome.steps;
  }
  warnings.push(...notes);
  if (baseRef !== base) warnings.push(`base ${base} was fetched as ${baseRef}`);

  if (!mergeBase) {
    const why = !shallow
      ? `${base} and ${head} have no common ancestor (unrelated histories)`
      : `merge-base of ${base} and ${head} is not in this shallow clone (${
          remote ? `deepened ${steps}× by ${deepenBy} commits` : deepenSteps > 0 ? 'no remote to deepen from' : 'deepening not allowed'
        })`;
    result.fullSuiteReasons.push(`${why}; running the full suite`);
    // Informational only (the policy runs everything): what a two-dot diff shows.
    try {
      result.files = (await committedChanges(git, baseSha, headSha)).map((e) => toChangedFile(e));
      warnings.push(`changed files listed are the two-dot diff ${base}..${head}, not a merge-base diff`);
    } catch (err) {
      warnings.push(`could not list the two-dot diff ${base}..${head}: ${(err as Error).message}`);
    }
    return result;
  }
  result.mergeBase = mergeBase;

  try {
    const mb = mergeBase;
    // The patch for line ranges does not depend on the file list: run it alongside.
    const rangesPromise = opts.lineRanges ? oldRangesFor(git, mb, opts.includeUncommitted ? undefined : headSha) : undefined;
    // Mark it handled now; if it fails, the await below still throws (no unhandled rejection).
    rangesPromise?.catch(() => undefined);
    const committed = await committedChanges(git, mb, headSha);
    let entries: NameStatusEntry[] = committed;
    let rangeSource: Set<NameStatusEntry> | undefined;
    if (opts.includeUncommitted) {
      const merged = await withUncommitted(git, root, mb, committed);
      entries = merged.entries;
      rangeSource = merged.fromNetDiff;
    }
    const ranges = await rangesPromise;
    result.files = entries
      .map((e) => toChangedFile(e, rangeSource && !rangeSource.has(e) ? undefined : ranges))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  } catch (err) {
    throw new GitError(`git could not diff ${mergeBase}..${head} in ${root}: ${(err as Error).message}`, {
      cause: err,
      exitCode: 1,
    });
  }
  const nothing = noComparisonReason(chosen, baseSha, headSha, mergeBase, result, opts);
  if (nothing) result.fullSuiteReasons.push(nothing);
  else if (result.files.length === 0) {
    // Asked-for base, empty diff: selecting nothing is the honest answer, but never a silent one.
    warnings.push(
      `no changed files between ${base} and ${head} (merge-base ${mergeBase.slice(0, 12)}${opts.includeUncommitted ? ', working tree included' : ''}): the change itself selects no test`,
    );
  }
  return result;
}
