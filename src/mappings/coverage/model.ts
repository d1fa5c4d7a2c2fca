import type { Block, CoverageMap, FileBlocks, MapMetadata } from './types.js';
import { blockLinesUntrusted } from './block-lines.js';

/**
 * Format-independent, fully decoded map, with test files interned as integer ids. Readers of
 * foreign formats produce it, writers consume it, and `MemoryCoverageMap` answers queries on it.
 */
export interface MapRecord {
  metadata: MapMetadata;
  /** Test files; an edge refers to a test by its index here. */
  tests: string[];
  /** Source file → sorted, de-duplicated test ids that executed or read it. */
  rows: Map<string, Uint32Array>;
  /** Files the recorder could see but no test executed (known, no tests). Disjoint from rows' keys. */
  unused: Set<string>;
  /** Optional block data: source → blocks and, per test id, executed block ids. */
  blocks?: Map<string, { blocks: Block[]; executed: Map<number, number[]> }>;
  /**
   * Parallel to `metadata.recordings` (present exactly when it is): the sorted, de-duplicated ids
   * of the tests recorded at each commit. Every test is in at least one.
   */
  recordingTests?: Uint32Array[];
}

/** Accumulates edges with interning; `build()` sorts and de-duplicates. */
export class MapBuilder {
  private readonly testIds = new Map<string, number>();
  private readonly tests: string[] = [];
  private readonly rows = new Map<string, number[]>();
  private readonly known = new Set<string>();
  private readonly blocks = new Map<string, { blocks: Block[]; executed: Map<number, Set<number>> }>();
  /** Source → tests that executed it without block data somewhere (see addFileLevel). */
  private readonly fileLevel = new Map<string, Set<number>>();

  constructor(public metadata: MapMetadata) {}

  testId(test: string): number {
    let id = this.testIds.get(test);
    if (id === undefined) {
      id = this.tests.length;
      this.tests.push(test);
      this.testIds.set(test, id);
    }
    return id;
  }

  /** `test` executed (or read) `source`. */
  addEdge(source: string, test: string): void {
    const id = this.testId(test);
    let row = this.rows.get(source);
    if (!row) this.rows.set(source, (row = []));
    row.push(id);
  }

  /** The recorder could see `source` (executed or not). */
  addKnown(source: string): void {
    this.known.add(source);
  }

  /**
   * Block table of `source` as recorded. A second call for the same file must describe the same
   * blocks (same commit); a differing table drops block data for the file (file level is safe).
   */
  setBlocks(source: string, blocks: Block[]): void {
    // Once tables conflicted, a later table must not revive the file (with its earlier tests'
    // executed blocks gone, it would claim block data it no longer has).
    if (this.blockConflicts.has(source)) return;
    const prev = this.blocks.get(source);
    if (!prev) {
      this.blocks.set(source, { blocks, executed: new Map() });
    } else if (JSON.stringify(prev.blocks) !== JSON.stringify(blocks)) {
      this.blocks.delete(source);
      this.blockConflicts.add(source);
    }
  }

  private readonly blockConflicts = new Set<string>();

  /**
   * `test` executed (or read) `source` but has no block data for it, e.g. its called functions
   * could not be matched to the table, or it ran in another input without a table. The test then
   * stays at file level for `source` — absent from `executed`, which the block strategy reads as
   * "unknown: select it" — whatever block ids another record gave it: a union of ids would
   * claim to know which functions it ran when one of its runs could not tell.
   */
  addFileLevel(source: string, test: string): void {
    const id = this.testId(test);
    let set = this.fileLevel.get(source);
    if (!set) this.fileLevel.set(source, (set = new Set()));
    set.add(id);
  }

  /** `test` executed these blocks of `source` (requires `setBlocks` first). */
  addExecutedBlocks(source: string, test: string, blockIds: Iterable<number>): void {
    if (this.blockConflicts.has(source)) return;
    const entry = this.blocks.get(source);
    if (!entry) return;
    const id = this.testId(test);
    let set = entry.executed.get(id);
    if (!set) entry.executed.set(id, (set = new Set()));
    for (const b of blockIds) set.add(b);
  }

  /**
   * Merge a whole record (e.g. a partial map) into this builder. A test in a row of a file the
   * record has a block table for, but without executed blocks there, keeps that "no block data"
   * (addFileLevel). Rows of files the record has no table for are the caller's to judge
   * (mergeMapRecords drops such files to file level).
   */
  addRecord(record: MapRecord): void {
    for (const [source, ids] of record.rows) {
      const executed = record.blocks?.get(source)?.executed;
      for (const id of ids) {
        this.addEdge(source, record.tests[id]);
        if (executed && !executed.has(id)) this.addFileLevel(source, record.tests[id]);
      }
    }
    for (const s of record.unused) this.addKnown(s);
    if (record.blocks) {
      for (const [source, b] of record.blocks) {
        this.setBlocks(source, b.blocks);
        for (const [tid, ids] of b.executed) this.addExecutedBlocks(source, record.tests[tid], ids);
      }
    }
  }

  build(): MapRecord {
    const rows = new Map<string, Uint32Array>();
    for (const [source, ids] of this.rows) {
      const sorted = Uint32Array.from(new Set(ids)).sort();
      rows.set(source, sorted);
    }
    const unused = new Set<string>();
    for (const s of this.known) if (!rows.has(s)) unused.add(s);
    let blocks: MapRecord['blocks'];
    if (this.blocks.size > 0) {
      blocks = new Map();
      for (const [source, b] of this.blocks) {
        const executed = new Map<number, number[]>();
        const fileLevel = this.fileLevel.get(source);
        for (const [tid, set] of b.executed) {
          if (!fileLevel?.has(tid)) executed.set(tid, [...set].sort((x, y) => x - y));
        }
        blocks.set(source, { blocks: b.blocks, executed });
      }
    }
    return { metadata: this.metadata, tests: [...this.tests], rows, unused, blocks };
  }
}

/** A CoverageMap over a decoded record: what foreign-format readers return. */
export class MemoryCoverageMap implements CoverageMap {
  constructor(readonly record: MapRecord) {}

  /**
   * The test table in byte order (record ids follow insertion order): sorted once, on first use,
   * with each record id's rank in it. A name the record holds twice gets one id.
   */
  private sorted: { names: string[]; rank: Uint32Array } | undefined;

  private table(): { names: string[]; rank: Uint32Array } {
    if (this.sorted) return this.sorted;
    const tests = this.record.tests;
    const order = Array.from(tests.keys()).sort((a, b) => (tests[a] < tests[b] ? -1 : tests[a] > tests[b] ? 1 : a - b));
    const names: string[] = [];
    const rank = new Uint32Array(tests.length);
    for (const old of order) {
      if (names.length === 0 || names[names.length - 1] !== tests[old]) names.push(tests[old]);
      rank[old] = names.length - 1;
    }
    return (this.sorted = { names, rank });
  }

  get testCount(): number {
    return this.table().names.length;
  }

  testNames(): readonly string[] {
    return this.table().names;
  }

  testNamesOf(ids: ArrayLike<number>): string[] {
    const names = this.table().names;
    return Array.from(ids, (id) => names[id]);
  }

  testBitsFor(path: string): Uint32Array | undefined {
    const ids = this.record.rows.get(path);
    if (!ids) return undefined;
    const { names, rank } = this.table();
    const bits = new Uint32Array((names.length + 31) >>> 5);
    for (let i = 0; i < ids.length; i++) {
      const t = rank[ids[i]];
      bits[t >>> 5] |= 1 << (t & 31);
    }
    return bits;
  }

  get metadata(): MapMetadata {
    return this.record.metadata;
  }

  isKnown(path: string): boolean {
    return this.record.rows.has(path) || this.record.unused.has(path);
  }

  testsFor(path: string): readonly string[] {
    const ids = this.record.rows.get(path);
    if (!ids) return [];
    const out = new Array<string>(ids.length);
    for (let i = 0; i < ids.length; i++) out[i] = this.record.tests[ids[i]];
    return out;
  }

  blocksFor(path: string): FileBlocks | undefined {
    const b = this.record.blocks?.get(path);
    if (!b) return undefined;
    const executed = new Map<string, number[]>();
    for (const [tid, ids] of b.executed) executed.set(this.record.tests[tid], ids);
    const untrusted = blockLinesUntrusted(this.record.metadata);
    return untrusted ? { blocks: b.blocks, executed, untrusted } : { blocks: b.blocks, executed };
  }

  stats(): { sources: number; tests: number; edges: number } {
    let edges = 0;
    for (const ids of this.record.rows.values()) edges += ids.length;
    return { sources: this.record.rows.size + this.record.unused.size, tests: this.record.tests.length, edges };
  }
}
