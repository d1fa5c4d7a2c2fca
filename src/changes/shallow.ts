import { FULL_SHA } from './sha.js';
import type { GitRunner } from './git.js';

/** A fetch silent for this long is taken as hung (dead remote, credential prompt). */
const FETCH_TIMEOUT_MS = 120_000;

/*
 * Shallow clones are the normal CI checkout, and the merge-base (or even the base branch) is
 * often not in them. These helpers fetch what is missing, a bounded number of times; the caller
 * falls back to the full suite when they could not.
 */

export async function isShallow(git: GitRunner): Promise<boolean> {
  const r = await git.run(['rev-parse', '--is-shallow-repository']);
  return r.ok && r.stdout.trim() === 'true';
}

/** The remote to fetch from: the one `base` names (`origin/main`), else the preferred, origin, or the first. */
export async function pickRemote(git: GitRunner, base: string, preferred?: string): Promise<string | undefined> {
  const r = await git.run(['remote']);
  const remotes = r.ok
    ? r.stdout
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
  if (preferred !== undefined) return remotes.includes(preferred) ? preferred : undefined;
  const named = remotes.find((name) => base.startsWith(`${name}/`));
  return named ?? (remotes.includes('origin') ? 'origin' : remotes[0]);
}

/**
 * Fetch a base that this shallow clone lacks, `depth` commits deep: a full sha as is (servers
 * speaking protocol v2 allow it), `<remote>/<branch>` or a bare branch name into
 * `refs/remotes/<remote>/<branch>`. Returns the ref to resolve afterwards, or undefined.
 */
export async function fetchMissingBase(git: GitRunner, base: string, remote: string, depth: number, notes: string[]): Promise<string | undefined> {
  let args: string[];
  let ref: string;
  if (FULL_SHA.test(base)) {
    args = [base];
    ref = base;
  } else {
    const branch = base.startsWith(`${remote}/`) ? base.slice(remote.length + 1) : base;
    ref = `refs/remotes/${remote}/${branch}`;
    args = [`+refs/heads/${branch}:${ref}`];
  }
  const r = await git.run(['fetch', '--no-tags', '--quiet', `--depth=${depth}`, remote, ...args], { blockTimeoutMs: FETCH_TIMEOUT_MS });
  notes.push(`fetched ${base} from ${remote} (depth ${depth}): ${r.ok ? 'ok' : `failed: ${r.stderr.trim()}`}`);
  return r.ok ? ref : undefined;
}

/** `git merge-base a b`, or undefined when git finds none (exit 1) or cannot say. */
export async function mergeBaseOf(git: GitRunner, a: string, b: string): Promise<string | undefined> {
  const r = await git.run(['merge-base', a, b]);
  const sha = r.stdout.trim();
  return r.ok && sha ? sha : undefined;
}

export interface DeepenOutcome {
  mergeBase?: string;
  /** How many deepening fetches ran. */
  steps: number;
}

/**
 * Deepen the clone `maxSteps` times by `by` commits (`git fetch --deepen`), retrying merge-base
 * after each step. Stops early when the clone is no longer shallow (then there is no merge-base
 * at all: unrelated histories) or a fetch fails. Every attempt is noted for the warnings.
 */
export async function deepenForMergeBase(
  git: GitRunner,
  base: string,
  head: string,
  remote: string,
  maxSteps: number,
  by: number,
  notes: string[],
): Promise<DeepenOutcome> {
  let steps = 0;
  while (steps < maxSteps) {
    const r = await git.run(['fetch', '--no-tags', '--quiet', `--deepen=${by}`, remote], { blockTimeoutMs: FETCH_TIMEOUT_MS });
    steps++;
    if (!r.ok) {
      notes.push(`git fetch --deepen=${by} ${remote} failed: ${r.stderr.trim()}`);
      break;
    }
    const mb = await mergeBaseOf(git, base, head);
    if (mb) {
      notes.push(`deepened the shallow clone ${steps}× by ${by} commits to find the merge-base`);
      return { mergeBase: mb, steps };
    }
    if (!(await isShallow(git))) break;
  }
  return { steps };
}
