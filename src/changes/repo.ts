import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { GitError } from '../errors.js';
import { GitRunner } from './git.js';
import { FULL_SHA } from './sha.js';

/*
 * Repository questions the policy and the change stage ask. Every path these return is relative
 * to the repository's top level (POSIX), whatever subfolder `cwd` is: that is how git prints
 * paths with `--no-relative` and how maps and tests.yml name files.
 */

/** A ref that starts with '-' would be read by git as an option; no real ref does. */
export function isSafeRef(ref: string): boolean {
  return ref.length > 0 && !ref.startsWith('-') && !ref.includes('\0');
}

export async function isInsideRepo(cwd: string): Promise<boolean> {
  if (!existsSync(cwd)) return false;
  const r = await new GitRunner(cwd).read(['rev-parse', '--is-inside-work-tree']);
  return r.ok && r.stdout.trim() === 'true';
}

/** The top level of the working tree containing `cwd`; GitError naming the folder otherwise. */
export async function repoRoot(cwd: string): Promise<string> {
  const dir = resolve(cwd);
  if (!existsSync(dir)) throw new GitError(`${dir}: folder does not exist, so it is not a git repository`);
  const r = await new GitRunner(dir).read(['rev-parse', '--show-toplevel']);
  const top = r.stdout.replace(/\n$/, '');
  if (!r.ok || top === '') {
    throw new GitError(`${dir} is not inside a git working tree (git: ${r.stderr.trim() || 'no top level'})`);
  }
  return top;
}

/** The commit sha `ref` names, or undefined when this clone does not know it. */
export async function resolveCommit(cwd: string, ref: string): Promise<string | undefined> {
  if (!isSafeRef(ref)) return undefined;
  const r = await new GitRunner(cwd).read(['rev-parse', '--verify', `${ref}^{commit}`]);
  const sha = r.stdout.trim();
  return r.ok && FULL_SHA.test(sha) ? sha : undefined;
}

/**
 * `git diff --name-status -z` with rename detection, independent of the user's diff config
 * (external diff tools, diff.relative). Omit `to` to compare with the working tree.
 */
export function diffNameStatusArgs(from: string, to?: string): string[] {
  return ['diff', '-z', '--name-status', '-M', '--no-ext-diff', '--no-relative', from, ...(to ? [to] : []), '--'];
}
