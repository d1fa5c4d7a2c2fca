import type { Env } from './ci-env.js';
import { GitRunner } from './git.js';
import { resolveCommit } from './repo.js';
import { FULL_SHA } from './sha.js';
import { isShallow, mergeBaseOf, pickRemote } from './shallow.js';

/** A fetch silent for this long is taken as hung (dead remote, credential prompt). */
const FETCH_TIMEOUT_MS = 120_000;

export interface FetchCommitOptions {
  /** The commit the diff is based at (merge-base, or HEAD): the fetched history must reach it. */
  base: string;
  /** Fetches allowed (detect's --deepen; detect-tests: 3). 0: fetch nothing. */
  steps: number;
  /** Commits per step: the first fetch is this deep, each next one four times deeper. */
  depth: number;
  remote?: string;
  env: Env;
}

/**
 * Bring a commit this shallow clone lacks (a coverage map recorded on the target branch after the
 * merge request forked: GitLab's merge-request pipelines clone only the MR branch, 20 deep) with
 * enough history to relate it to `base`. First by sha (servers speaking protocol v2, or allowing
 * reachable shas in wants), else the target branch, each a bounded number of times, each bounded
 * in time. Every attempt is noted for stderr. Returns whether the commit is now present and
 * related to `base`; when not, the caller's staleness check gives the full suite with its reason.
 */
export async function fetchMissingCommit(root: string, sha: string, opts: FetchCommitOptions, notes: string[]): Promise<boolean> {
  if (opts.steps <= 0 || !FULL_SHA.test(sha)) return false;
  const git = new GitRunner(root);
  const related = async () => (await resolveCommit(root, sha)) !== undefined && (await mergeBaseOf(git, sha, opts.base)) !== undefined;
  if (await related()) return true;
  if (!(await isShallow(git))) return false;
  const remote = await pickRemote(git, '', opts.remote);
  if (!remote) return false;

  const branch = targetBranch(opts.env);
  let bySha = true;
  let depth = opts.depth;
  for (let step = 0; step < opts.steps; step++, depth *= 4) {
    const args = bySha ? [sha] : branch ? [`+refs/heads/${branch}:refs/remotes/${remote}/${branch}`] : undefined;
    if (!args) break;
    const what = bySha ? `map commit ${sha.slice(0, 12)}` : `${remote}/${branch}`;
    const r = await git.run(['fetch', '--no-tags', '--quiet', `--depth=${depth}`, remote, ...args], { blockTimeoutMs: FETCH_TIMEOUT_MS });
    notes.push(`fetched ${what} from ${remote} (depth ${depth}) to check the coverage map against this clone: ${r.ok ? 'ok' : `failed: ${firstLine(r.stderr)}`}`);
    if (r.ok && (await related())) return true;
    // A server that refuses unadvertised shas refuses them at any depth: try the branch.
    if (!r.ok && bySha) {
      bySha = false;
      depth = opts.depth / 4;
    }
  }
  return false;
}

/** The branch a merge request targets, as CI names it. */
function targetBranch(env: Env): string | undefined {
  const name = env.CI_MERGE_REQUEST_TARGET_BRANCH_NAME || env.GITHUB_BASE_REF || env.CI_DEFAULT_BRANCH;
  return name && !name.startsWith('-') ? name : undefined;
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0] ?? '';
}
