import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { FULL_SHA } from './sha.js';

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * HEAD's commit read from the repository's files (`.git/HEAD`, then the loose ref or
 * packed-refs), without starting git: detect compares the map's commit with HEAD on every run,
 * and a git process is a good part of its budget at scale. Anything unusual (reftable, a
 * symbolic ref chain, unreadable files) gives undefined, and the caller asks git.
 */
export function readHeadCommit(repoRoot: string): string | undefined {
  const dotGit = join(repoRoot, '.git');
  let gitDir = dotGit;
  const file = read(dotGit);
  if (file !== undefined) {
    // A worktree or submodule: `.git` is a file naming the real folder.
    const m = /^gitdir: (.+)$/m.exec(file);
    if (!m) return undefined;
    gitDir = isAbsolute(m[1].trim()) ? m[1].trim() : resolve(repoRoot, m[1].trim());
  }
  const head = read(join(gitDir, 'HEAD'))?.trim();
  if (head === undefined) return undefined;
  if (FULL_SHA.test(head)) return head;
  const ref = /^ref: (refs\/[^\s]+)$/.exec(head)?.[1];
  if (!ref || ref.split('/').some((seg) => seg === '..' || seg === '')) return undefined;
  // Linked worktrees keep branch refs in the common folder.
  const common = read(join(gitDir, 'commondir'))?.trim();
  const commonDir = common ? resolve(gitDir, common) : gitDir;
  for (const dir of commonDir === gitDir ? [gitDir] : [gitDir, commonDir]) {
    const loose = read(join(dir, ref))?.trim();
    if (loose !== undefined) return FULL_SHA.test(loose) ? loose : undefined;
  }
  const packed = read(join(commonDir, 'packed-refs'));
  if (packed === undefined) return undefined;
  for (const line of packed.split('\n')) {
    const [sha, name] = line.split(' ');
    if (name === ref && FULL_SHA.test(sha)) return sha;
  }
  return undefined;
}
