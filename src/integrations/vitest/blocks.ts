import type { ScriptCoverage } from '../shared/precise-coverage.js';
import type { RootFilter } from '../shared/path-filter.js';
import type { RecordedPayload } from './recorder-config.js';

/** Stub until block-level recording lands: no block data means file level (safe). */
export function blocksOfScripts(_scripts: ScriptCoverage[], _filter: RootFilter): RecordedPayload['blocks'] {
  return undefined;
}
