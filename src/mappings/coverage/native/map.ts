/**
 * CoverageMap over a native map file, answering from the file lazily. Besides the string API of
 * CoverageMap it has an integer API for the hot path of selection — union ids, decode names once:
 *
 *   map.testCount                  number of test files; ids are 0 … testCount − 1
 *   map.testIdsFor(path)           Uint32Array, ascending; empty when unknown or never executed
 *   map.testBitsFor(path)          the same row as a bitset (a "most tests" row costs a few fills)
 *   map.unionTestIds(paths)        Uint32Array, ascending: the union of the rows of `paths`
 *   map.testName(id) / testNamesOf(ids) / testNames()
 *
 * Test ids follow JS string order of the names (`[...names].sort()`), so ids in ascending order
 * give names in sorted order without sorting strings. Queries can throw MapError when a row turns
 * out corrupt (rows are only checked when read): treat that like a corrupt map (full suite).
 */
import type { CoverageMap, FileBlocks, MapMetadata } from '../types.js';
import type { NativeMapReader } from './reader.js';
import { idsOfBits } from '../../../util/bitset.js';
import { blockLinesUntrusted } from '../block-lines.js';

const EMPTY = new Uint32Array(0);

export class NativeCoverageMap implements CoverageMap {
  constructor(private readonly reader: NativeMapReader) {}

  get metadata(): MapMetadata {
    return this.reader.metadata;
  }

  /** The file this map was opened from. */
  get path(): string {
    return this.reader.path;
  }

  get testCount(): number {
    return this.reader.testCount;
  }

  isKnown(path: string): boolean {
    return this.reader.sourceIndex(path) >= 0;
  }

  testIdsFor(path: string): Uint32Array {
    const i = this.reader.sourceIndex(path);
    if (i < 0) return EMPTY;
    return this.reader.row(i) ?? EMPTY;
  }

  /** The row of `path` as a bitset of testCount bits (bit t of word t >>> 5); undefined when unknown or never executed. */
  testBitsFor(path: string): Uint32Array | undefined {
    const i = this.reader.sourceIndex(path);
    if (i < 0) return undefined;
    const bits = new Uint32Array((this.reader.testCount + 31) >>> 5);
    this.reader.orRow(i, bits);
    return bits;
  }

  /** Every test name, indexed by id (so sorted): every test file the map recorded, also those that executed nothing. */
  testNames(): readonly string[] {
    return this.reader.testNames();
  }

  unionTestIds(paths: Iterable<string>): Uint32Array {
    // A bitset, filled row by row without materialising ids (rows.ts: orRowInto).
    const bits = new Uint32Array((this.reader.testCount + 31) >>> 5);
    for (const p of paths) {
      const i = this.reader.sourceIndex(p);
      if (i >= 0) this.reader.orRow(i, bits);
    }
    return idsOfBits(bits);
  }

  testName(id: number): string {
    const names = this.reader.testNames();
    if (!Number.isInteger(id) || id < 0 || id >= names.length) throw new RangeError(`test id ${id} out of range 0…${names.length - 1}`);
    return names[id];
  }

  testNamesOf(ids: ArrayLike<number>): string[] {
    const names = this.reader.testNames();
    const out = new Array<string>(ids.length);
    for (let k = 0; k < ids.length; k++) out[k] = names[ids[k]];
    return out;
  }

  testsFor(path: string): readonly string[] {
    const i = this.reader.sourceIndex(path);
    if (i < 0) return [];
    return this.reader.rowNames(i) ?? [];
  }

  blocksFor(path: string): FileBlocks | undefined {
    if (!this.reader.hasBlocks) return undefined;
    const i = this.reader.sourceIndex(path);
    if (i < 0) return undefined;
    const entry = this.reader.blocks(i);
    if (!entry) return undefined;
    const names = this.reader.testNames();
    const executed = new Map<string, number[]>();
    for (const [tid, ids] of entry.executed) executed.set(names[tid], ids);
    const untrusted = blockLinesUntrusted(this.reader.metadata);
    return untrusted ? { blocks: entry.blocks, executed, untrusted } : { blocks: entry.blocks, executed };
  }

  stats(): { sources: number; tests: number; edges: number } {
    return { sources: this.reader.sourceCount, tests: this.reader.testCount, edges: this.reader.edgeCount };
  }

  /** Release the file descriptor (also released when the map is garbage-collected). */
  close(): void {
    this.reader.close();
  }
}
