import { join, relative } from 'node:path';
import { GitRunner, splitNul } from '../../changes/git.js';
import { toPosix } from '../../util/paths.js';
import { projectRunners, type Project } from '../project.js';
import { fail, ok, warn, type CheckResult } from './types.js';

const CHECK = 'gitignore';

/**
 * `.testsift/` holds artifacts (map, timings, detect output) that change on every run: committed,
 * they would churn every diff (and a committed map goes stale with the code). Checked where the
 * runners write it: the Vitest plugin under Vitest's root (the project), the Jest reporter under
 * the repository root.
 */
export async function gitignoreCheck(p: Project): Promise<CheckResult> {
  if (!p.repoRoot) return warn(CHECK, 'not in a git repository: nothing to check');
  const git = new GitRunner(p.repoRoot);
  const writers = projectRunners(p).includes('jest') ? [p.dir, p.repoRoot] : [p.dir];
  const dirs = [...new Set(writers.map((d) => toPosix(relative(p.repoRoot!, join(d, '.testsift')))))];
  const notIgnored: string[] = [];
  for (const d of dirs) {
    // --no-index: the rule itself, whether or not something there is tracked already.
    const r = await git.read(['check-ignore', '-q', '--no-index', `${d}/map.json`]);
    if (r.exitCode === 1) notIgnored.push(d);
    else if (!r.ok) return warn(CHECK, `git check-ignore failed: ${r.stderr.trim()}`);
  }
  if (notIgnored.length > 0) {
    const dir = toPosix(relative(p.repoRoot, p.dir));
    return fail(
      CHECK,
      `${notIgnored.map((d) => `${d}/`).join(' and ')} ${notIgnored.length > 1 ? 'are' : 'is'} not ignored by git: maps and timings would be committed`,
      `npx testsift init   (or: echo .testsift/ >> ${dir ? `${dir}/` : ''}.gitignore)`,
    );
  }
  const tracked = await git.read(['ls-files', '-z', '--', ...dirs]);
  const files = tracked.ok ? splitNul(tracked.stdout) : [];
  if (files.length > 0) {
    return fail(CHECK, `.testsift/ is ignored, but git tracks ${files.length} file(s) in it (${files.slice(0, 3).join(', ')})`, `git rm -r --cached ${dirs.join(' ')}`);
  }
  return ok(CHECK, `${dirs.map((d) => `${d}/`).join(' and ')} ignored by git`);
}
