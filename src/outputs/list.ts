import { posix } from 'node:path';
import { UsageError } from '../errors.js';
import type { Selection } from '../selection/types.js';
import { firstLineBreakPath, nulList } from '../util/list-text.js';

export interface ListOptions {
  /** NUL-terminated paths (`-z`, as git writes them) instead of one a line. */
  nul?: boolean;
}

/**
 * `detect --format list`: one test path a line — the whole universe in full mode. Paths are
 * relative to `cwd` (the repo-relative folder detect ran in), as every CLI's paths are, so a
 * runner started in the same folder finds them. A path with a line break would be split into two
 * wrong paths, so it is an error (exit 2) pointing at `-z` (NUL-terminated) or `--format json`,
 * never a silently broken list.
 */
export function selectionList(s: Pick<Selection, 'tests'> & { cwd?: string }, opts: ListOptions = {}): string {
  const tests = s.cwd ? fromCwd(s.tests, s.cwd) : s.tests;
  if (opts.nul) return nulList(tests);
  const broken = firstLineBreakPath(tests);
  if (broken !== undefined) {
    throw new UsageError(
      `detect: the test path ${JSON.stringify(broken)} contains a line break, so a list of one path a line would split it; ` +
        'use -z (NUL-terminated paths, as git -z writes them) or --format json',
    );
  }
  return tests.length > 0 ? `${tests.join('\n')}\n` : '';
}

/** Repo-relative test paths made relative to `cwd`, a repo-relative folder. */
export function fromCwd(tests: readonly string[], cwd: string): string[] {
  return tests.map((t) => posix.relative(cwd, t));
}
