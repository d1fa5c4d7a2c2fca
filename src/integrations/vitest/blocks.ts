import type { ScriptCoverage } from '../shared/precise-coverage.js';
import { scriptUrlToPath, type RootFilter } from '../shared/path-filter.js';
import { positiveSpans, type Range } from '../shared/v8-spans.js';

/**
 * What one test file executed inside one module, in offsets of the module's transformed code
 * (the code Vite produced), for the main process to turn into blocks of the original source.
 */
export interface BlockHits {
  /** Repo-relative path of the source. */
  source: string;
  /** Absolute module id, to find its transform result. */
  file: string;
  /** The module body ran in this test file. */
  body: boolean;
  /** End offsets (in transformed code) of functions that were called: checked against the table. */
  ends: number[];
  /**
   * Code that ran, as sorted disjoint [start, end) offset pairs, flat (V8's detailed block counts
   * painted innermost-wins, the spans whose count is above zero). A block ran when it overlaps one.
   */
  hits: number[];
}

interface WorkerStateLike {
  moduleExecutionInfo?: Map<string, { startOffset?: number }>;
}

/**
 * Vitest evaluates each module wrapped in `'use strict';async (…)=>{{` on the code's first line;
 * V8 offsets include that header. Vitest 4 records its length per module in the worker state
 * (`moduleExecutionInfo[file].startOffset`, the same figure its coverage-v8 uses). Where it is
 * absent (other versions) no block data is produced: file level.
 */
function headerLength(file: string): number | undefined {
  const state = (globalThis as { __vitest_worker__?: WorkerStateLike }).__vitest_worker__;
  const info = state?.moduleExecutionInfo?.get(file);
  return typeof info?.startOffset === 'number' ? info.startOffset : undefined;
}

export function blockHitsOf(scripts: ScriptCoverage[], filter: RootFilter): BlockHits[] {
  const out: BlockHits[] = [];
  for (const s of scripts) {
    const file = scriptUrlToPath(s.url);
    const source = file && filter.toRelative(file);
    if (!file || !source) continue;
    const header = headerLength(file);
    if (header === undefined) continue;
    let body = false;
    const ends: number[] = [];
    const ranges: Range[] = [];
    for (const f of s.functions) {
      const range = f.ranges[0];
      if (!range) continue;
      ranges.push(...f.ranges);
      if (range.count <= 0) continue;
      // Functions starting inside the header are the script and Vitest's wrapper: the module body.
      if (range.startOffset < header) body = true;
      else ends.push(range.endOffset - header);
    }
    const hits: number[] = [];
    const spans = positiveSpans(ranges);
    for (let i = 0; i < spans.length; i += 2) {
      const from = Math.max(0, spans[i]! - header);
      const to = spans[i + 1]! - header;
      if (to > from) hits.push(from, to);
    }
    out.push({ source, file, body, ends: ends.sort((a, b) => a - b), hits });
  }
  return out;
}
