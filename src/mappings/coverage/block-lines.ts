import type { MapMetadata } from './types.js';

/**
 * Why a map's block line numbers cannot be trusted to be the lines of the source files as git
 * sees them, or undefined when they can. Trusted: `blockLines: 'source'` (a recorder that maps
 * lines to the source says so), or a Vitest map written before that key existed (its recorder
 * always mapped through the transform's source map). Anything else — a Jest map, whose istanbul
 * data is in the lines of the code Jest's transformer produced (compiled JS under ts-jest), an
 * imported istanbul folder — may count lines of another text: a change outside every recorded
 * block there would select nothing while the tests did run the file. Detect then stays at file
 * level for the file, with this reason.
 */
export function blockLinesUntrusted(meta: MapMetadata): string | undefined {
  if (meta.blockLines === 'source') return undefined;
  if (meta.blockLines === undefined && meta.runner === 'vitest') return undefined;
  const who = meta.runner ? `${meta.runner} recorder` : `${meta.format} reader`;
  return `the ${who} did not mark its block lines as source lines (they may be lines of compiled code)`;
}
