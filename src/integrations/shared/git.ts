import { realpathSync } from 'node:fs';
import { gitSync } from '../../changes/git.js';

/** Run git in `cwd` (the one git module); undefined when git is missing or `cwd` is not in a repository. */
function gitLine(cwd: string, args: string[]): string | undefined {
  return gitSync(cwd, args)?.trim() || undefined;
}

/** The commit a recording is made at, or undefined outside a repository / before the first commit. */
export function headCommit(cwd: string): string | undefined {
  const sha = gitLine(cwd, ['rev-parse', '--verify', '-q', 'HEAD']);
  return sha && /^[0-9a-f]{40,64}$/.test(sha) ? sha : undefined;
}

/**
 * The repository root containing `cwd` (real path), or undefined. Maps and timings are keyed by
 * repo-relative paths because `detect` compares them with `git diff` output, which is repo-relative
 * even when the runner's root is a package folder of a monorepo.
 */
export function repoRoot(cwd: string): string | undefined {
  const top = gitLine(cwd, ['rev-parse', '--show-toplevel']);
  if (!top) return undefined;
  try {
    return realpathSync(top);
  } catch {
    return top;
  }
}
