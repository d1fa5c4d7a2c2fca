import type { Config } from './types.js';
export type * from './types.js';

/** Stub: the static-mapping stage implements this. Load and validate tests.yml (or defaults). */
export async function loadConfig(_paths?: string | string[], _opts?: { root?: string }): Promise<Config> {
  throw new Error('loadConfig: not implemented yet');
}
