import { posix } from 'node:path';
import type { Selection } from '../selection/types.js';

/**
 * `detect --format list`: one test path a line, the whole universe in full mode. Paths are
 * relative to `cwd` (the repo-relative folder detect ran in), as every CLI's paths are, so a
 * runner started in the same folder finds them.
 */
export function selectionList(s: Pick<Selection, 'tests'> & { cwd?: string }): string {
  const tests = s.cwd ? fromCwd(s.tests, s.cwd) : s.tests;
  return tests.length > 0 ? `${tests.join('\n')}\n` : '';
}

/** Repo-relative test paths made relative to `cwd`, a repo-relative folder. */
export function fromCwd(tests: readonly string[], cwd: string): string[] {
  return tests.map((t) => posix.relative(cwd, t));
}
