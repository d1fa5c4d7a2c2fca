import type { Selection } from '../selection/types.js';

/** `detect --format list`: one test path a line — the whole universe in full mode. */
export function selectionList(s: Pick<Selection, 'tests'>): string {
  return s.tests.length > 0 ? `${s.tests.join('\n')}\n` : '';
}
