import { GitError } from '../errors.js';
import { GitRunner } from './git.js';
import { resolveCommit } from './repo.js';

/**
 * The branch HEAD names when HEAD is unborn (`git init`, or `git checkout --orphan`: the branch
 * has no commit yet), else undefined. Asked only after a ref failed to resolve, so detect's
 * ordinary path pays no extra git process.
 */
export async function unbornHeadBranch(root: string): Promise<string | undefined> {
  if (await resolveCommit(root, 'HEAD')) return undefined;
  const r = await new GitRunner(root).read(['symbolic-ref', '-q', 'HEAD']);
  if (!r.ok) return undefined;
  const ref = r.stdout.trim();
  return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref;
}

/** Whether `ref` is HEAD or a spelling relative to it (`HEAD~1`, `HEAD^`, `@`, `@~2`). */
function isHeadRelative(ref: string): boolean {
  return /^(?:HEAD|@)(?:$|[~^@])/.test(ref);
}

/**
 * The error for a ref that does not resolve because there is no commit to resolve to, instead of
 * `unknown git ref "HEAD"`: the repository has no commit at all, or `ref` is relative to an
 * unborn HEAD (an orphan branch). Undefined when HEAD is born, or the ref is another name that
 * is simply unknown.
 */
export async function noCommitYetError(root: string, ref: string | undefined): Promise<GitError | undefined> {
  const branch = await unbornHeadBranch(root);
  if (branch === undefined) return undefined;
  const any = await new GitRunner(root).read(['rev-list', '-n', '1', '--all']);
  const empty = any.ok && any.stdout.trim() === '';
  if (empty) {
    return new GitError(
      `the repository in ${root} has no commit yet (HEAD is unborn: branch "${branch}" has no commit), so there is no change to compare; commit first, or pass --changed-files`,
    );
  }
  if (ref === undefined || isHeadRelative(ref)) {
    return new GitError(`HEAD is unborn in ${root}: branch "${branch}" has no commit yet, so there is no change to compare; commit first, or pass --head <ref>`);
  }
  return undefined;
}
