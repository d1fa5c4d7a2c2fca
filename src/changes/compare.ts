import { FULL_SHA } from './sha.js';
import { GitRunner } from './git.js';
import { parseNameStatus } from './name-status.js';
import { diffNameStatusArgs, isSafeRef, resolveCommit } from './repo.js';

/** How commit `from` stands to commit `to` in history. */
export type CommitRelation = 'same' | 'ancestor' | 'descendant' | 'diverged';

export interface CommitComparison {
  from: string;
  to: string;
  relation: CommitRelation;
  /**
   * Every path that differs between the two trees (both paths of a rename, deleted files too),
   * sorted; listed for 'ancestor' and 'descendant', empty for 'same', absent for 'diverged'.
   */
  changed?: string[];
}

export type CompareFailure = { unknown: 'from' | 'to' } | { failed: string };

/**
 * Where a map's commit stands to the diff base, in as few git processes as the answer allows:
 * none when both are the same full sha, one when they name the same commit, three otherwise.
 * `{unknown}` names a ref this clone does not have; `{failed}` is any other git problem.
 */
export async function compareCommits(cwd: string, from: string, to: string): Promise<CommitComparison | CompareFailure> {
  const git = new GitRunner(cwd);
  if (!isSafeRef(from)) return { unknown: 'from' };
  if (!isSafeRef(to)) return { unknown: 'to' };
  // The map was recorded at exactly this commit (the usual case right after recording on main).
  if (from === to && FULL_SHA.test(from)) return { from, to, relation: 'same', changed: [] };
  const both = await git.read(['rev-parse', `${from}^{commit}`, `${to}^{commit}`]);
  const shas = both.stdout.trim().split('\n');
  if (!both.ok || shas.length !== 2 || !shas.every((s) => FULL_SHA.test(s))) {
    // Say which one is missing (rare: a map from a commit this clone never fetched).
    if (!(await resolveCommit(cwd, from))) return { unknown: 'from' };
    if (!(await resolveCommit(cwd, to))) return { unknown: 'to' };
    return { failed: both.stderr.trim() || 'git rev-parse failed' };
  }
  const [a, b] = shas;
  if (a === b) return { from: a, to: b, relation: 'same', changed: [] };
  const mb = await git.read(['merge-base', a, b]);
  if (!mb.ok && mb.exitCode !== 1) return { failed: mb.stderr.trim() || 'git merge-base failed' };
  const base = mb.ok ? mb.stdout.trim() : '';
  const relation: CommitRelation = base === a ? 'ancestor' : base === b ? 'descendant' : 'diverged';
  if (relation === 'diverged') return { from: a, to: b, relation };
  const diff = await git.read(diffNameStatusArgs(a, b));
  if (!diff.ok) return { failed: diff.stderr.trim() || 'git diff failed' };
  const paths = new Set<string>();
  for (const c of parseNameStatus(diff.stdout)) {
    paths.add(c.path);
    if (c.oldPath !== undefined) paths.add(c.oldPath);
  }
  return { from: a, to: b, relation, changed: [...paths].sort() };
}
