import { UsageError } from '../errors.js';
import type { Selection } from '../selection/types.js';
import { firstLineBreakPath, nulList } from '../util/list-text.js';

export interface ListOptions {
  /** NUL-terminated paths (`-z`, as git writes them) instead of one a line. */
  nul?: boolean;
}

/**
 * `detect --format list`: one test path a line — the whole universe in full mode. A path with a
 * line break would be split into two wrong paths, so it is an error (exit 2) pointing at `-z`
 * (NUL-terminated) or `--format json`, never a silently broken list.
 */
export function selectionList(s: Pick<Selection, 'tests'>, opts: ListOptions = {}): string {
  if (opts.nul) return nulList(s.tests);
  const broken = firstLineBreakPath(s.tests);
  if (broken !== undefined) {
    throw new UsageError(
      `detect: the test path ${JSON.stringify(broken)} contains a line break, so a list of one path a line would split it; ` +
        'use -z (NUL-terminated paths, as git -z writes them) or --format json',
    );
  }
  return s.tests.length > 0 ? `${s.tests.join('\n')}\n` : '';
}
