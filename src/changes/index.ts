import type { ChangeOptions, ChangeSet } from './types.js';
export type * from './types.js';

/** Stub: the changes stage implements this. */
export async function getChangeSet(_opts: ChangeOptions): Promise<ChangeSet> {
  throw new Error('getChangeSet: not implemented yet');
}
