import type libCoverage from 'istanbul-lib-coverage';
import type { MapBuilder } from '../model.js';
import type { Block } from '../types.js';

/**
 * Blocks of one source from istanbul coverage, in the map's block model: block 0 is the module
 * body (line 1 to the last line istanbul knows), then one block per function of `fnMap`, in its
 * order, with the function's whole line range (`loc`: header to closing brace). The test
 * executed block 0 whenever it executed the file, and a function's block when its count is > 0.
 * Undefined when a function has no usable range: the file then stays at file level.
 */
export function blocksOfFileCoverage(fc: libCoverage.FileCoverageData): { blocks: Block[]; executed: number[] } | undefined {
  let last = 1;
  for (const r of Object.values(fc.statementMap ?? {})) last = Math.max(last, r?.end?.line ?? 0);
  const blocks: Block[] = [{ id: 0, name: '', start: 1, end: last }];
  const executed = [0];
  const keys = Object.keys(fc.fnMap ?? {});
  for (let i = 0; i < keys.length; i++) {
    const fn = fc.fnMap[keys[i]];
    const start = fn?.loc?.start?.line;
    const end = fn?.loc?.end?.line;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 1 || end < start) return undefined;
    blocks.push({ id: i + 1, name: typeof fn.name === 'string' && !fn.name.startsWith('(anonymous') ? fn.name : '', start, end });
    blocks[0].end = Math.max(blocks[0].end, end);
    if ((fc.f[keys[i]] ?? 0) > 0) executed.push(i + 1);
  }
  return { blocks, executed };
}

/**
 * Feeds per-test block data into a MapBuilder, keeping block data for a source only while every
 * test's coverage describes the same functions (one build of the code). A differing table drops
 * the source to file level for good, which selects more tests, never fewer.
 */
export class BlockTables {
  private readonly tables = new Map<string, string>();
  readonly conflicts = new Set<string>();

  constructor(private readonly builder: MapBuilder) {}

  add(source: string, test: string, data: { blocks: Block[]; executed: number[] } | undefined): void {
    if (this.conflicts.has(source)) return;
    if (!data) return this.conflict(source);
    const key = JSON.stringify(data.blocks);
    const prev = this.tables.get(source);
    if (prev === undefined) {
      this.tables.set(source, key);
      this.builder.setBlocks(source, data.blocks);
    } else if (prev !== key) return this.conflict(source);
    this.builder.addExecutedBlocks(source, test, data.executed);
  }

  /** Tell the builder the tables differ (it then drops the file's block data) and stop feeding it. */
  private conflict(source: string): void {
    this.conflicts.add(source);
    if (this.tables.has(source)) this.builder.setBlocks(source, [{ id: -1, name: '(conflict)', start: 0, end: 0 }]);
  }
}
