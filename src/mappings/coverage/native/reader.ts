/**
 * Low-level access to a native map: validates the prefix and header at construction, loads the
 * index sections (CRC-checked) and then reads single rows / block entries on demand. Every problem
 * becomes a MapError naming the file; nothing here ever guesses.
 */
import { MapError } from '../../../errors.js';
import { concatParts } from '../../../util/bitset.js';
import type { MapMetadata } from '../types.js';
import { readBlocks, readBlockTree, type RecordBlocks } from './blocks.js';
import { crc32 } from './crc32.js';
import {
  FORMAT_VERSION,
  PREFIX_LENGTH,
  REQUIRED_SECTIONS,
  SECTION_NAMES,
  isNativeMap,
  type NativeHeader,
  type SectionEntry,
  type SectionName,
} from './format.js';
import { fnv1a } from './hash.js';
import { complementRuns, orRowInto, readRow } from './rows.js';
import type { ByteSource } from './source.js';
import { ByteReader, FormatViolation } from './varint.js';

// (no node:os import on the hot path: one module less to load)
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

/** View little-endian u32s; `bytes` is a fresh aligned copy from ByteSource.read. */
function u32s(bytes: Uint8Array): Uint32Array {
  if (LITTLE_ENDIAN) return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const out = new Uint32Array(bytes.length >>> 2);
  for (let i = 0; i < out.length; i++) out[i] = dv.getUint32(i * 4, true);
  return out;
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

interface RowTable {
  offsets: Uint32Array;
  crcs: Uint32Array;
  start: number;
  /** length of the data section */
  end: number;
  name: 'rows' | 'blocks' | 'blockTree';
}

export class NativeMapReader {
  readonly version: number;
  readonly header: NativeHeader;
  readonly metadata: MapMetadata;
  readonly sourceCount: number;
  readonly testCount: number;
  readonly edgeCount: number;
  private readonly sourceNameBytes: Uint8Array;
  private readonly sourceNameOffsets: Uint32Array;
  private readonly sourceHash: Uint32Array;
  private readonly rowTable: RowTable;
  private blockTable: RowTable | null | undefined;
  private treeTable: RowTable | null | undefined;
  private testNameList: string[] | undefined;
  /** Version 2: per entry of metadata.recordings, the ids of the tests recorded at that commit. */
  readonly recordingTests: Uint32Array[] | undefined;

  constructor(
    private readonly src: ByteSource,
    readonly path: string,
  ) {
    if (src.size < PREFIX_LENGTH) {
      throw this.fail(src.size === 0 ? 'is empty' : `is truncated: ${src.size} bytes is shorter than the native map prefix`);
    }
    const prefix = src.read(0, PREFIX_LENGTH);
    if (!isNativeMap(prefix)) throw this.fail('is not a testsift native map (bad magic bytes)');
    const dv = new DataView(prefix.buffer, prefix.byteOffset, prefix.length);
    this.version = dv.getUint32(8, true);
    if (this.version > FORMAT_VERSION) {
      throw this.fail(`has native format version ${this.version}, newer than this testsift reads (${FORMAT_VERSION}); upgrade testsift or re-record the map`);
    }
    if (this.version < 1) throw this.fail(`has invalid native format version ${this.version}`);
    const headerLength = dv.getUint32(12, true);
    if (PREFIX_LENGTH + headerLength > src.size) throw this.fail(`is truncated: the header needs ${headerLength} bytes, the file has ${src.size - PREFIX_LENGTH} after the prefix`);
    const json = src.read(PREFIX_LENGTH, headerLength);
    if (crc32(json) !== dv.getUint32(16, true)) throw this.fail('is corrupt: header checksum mismatch', 'header');
    this.header = this.parseHeader(json);
    if (this.header.fileLength !== src.size) {
      throw this.fail(
        src.size < this.header.fileLength
          ? `is truncated: ${src.size} bytes, the header says ${this.header.fileLength}`
          : `has ${src.size - this.header.fileLength} unexpected bytes after its end (${this.header.fileLength} bytes)`,
      );
    }
    const { sources, tests, edges } = this.header.counts;
    this.sourceCount = sources;
    this.testCount = tests;
    this.edgeCount = edges;
    this.metadata = { ...this.header.metadata, format: 'native', formatVersion: this.version };

    // The index sections every query needs: load and check them now, so most corruption is
    // reported at open rather than in the middle of a selection.
    this.sourceNameBytes = this.section('sourceNames');
    this.sourceNameOffsets = this.offsets('sourceNameOffsets', this.sourceNameBytes.length + (sources > 0 ? 1 : 0));
    this.sourceHash = u32s(this.section('sourceHash'));
    const h = this.sourceHash.length;
    if (h < 2 || (h & (h - 1)) !== 0 || h < sources * 2) throw this.fail(`is corrupt: hash table of ${h} slots for ${sources} sources`, 'sourceHash');
    this.rowTable = this.rowTableOf('rows', 'rowOffsets', 'rowCrcs');
    // Small (a few bytes a test) and what staleness is judged by: checked at open, like the index.
    this.recordingTests = this.version >= 2 ? this.readRecordingTests() : undefined;
  }

  fail(problem: string, key?: string, cause?: unknown): MapError {
    return new MapError({ file: this.path, key }, problem, cause === undefined ? undefined : { cause });
  }

  private parseHeader(json: Uint8Array): NativeHeader {
    let header: NativeHeader;
    try {
      header = JSON.parse(fromUtf8.decode(json)) as NativeHeader;
    } catch (err) {
      throw this.fail('is corrupt: header is not valid JSON', 'header', err);
    }
    const bad = (what: string): MapError => this.fail(`is corrupt: header ${what}`, 'header');
    if (typeof header !== 'object' || header === null) throw bad('is not an object');
    if (typeof header.metadata !== 'object' || header.metadata === null) throw bad('has no metadata object');
    const c = header.counts;
    if (typeof c !== 'object' || c === null || !isCount(c.sources) || !isCount(c.tests) || !isCount(c.edges)) throw bad('counts are missing or invalid');
    if (!isCount(header.fileLength)) throw bad('fileLength is missing or invalid');
    if (typeof header.sections !== 'object' || header.sections === null) throw bad('has no section table');
    for (const name of REQUIRED_SECTIONS) if (!header.sections[name]) throw bad(`lacks section ${name}`);
    const blockParts = ['blockOffsets', 'blockCrcs', 'blocks'].filter((n) => header.sections[n as SectionName]).length;
    if (blockParts !== 0 && blockParts !== 3) throw bad('has an incomplete set of block sections');
    const treeParts = ['blockTreeOffsets', 'blockTreeCrcs', 'blockTree'].filter((n) => header.sections[n as SectionName]).length;
    if (treeParts !== 0 && (treeParts !== 3 || blockParts !== 3)) throw bad('has an incomplete set of block tree sections');
    this.checkRecordingsHeader(header, bad);
    for (const name of SECTION_NAMES) {
      const e = header.sections[name] as SectionEntry | undefined;
      if (!e) continue;
      if (!Array.isArray(e) || e.length !== 3 || !isCount(e[0]) || !isCount(e[1]) || !(e[2] === null || isCount(e[2]))) throw bad(`entry for ${name} is invalid`);
      if (e[0] % 4 !== 0 || e[0] < PREFIX_LENGTH || e[0] + e[1] > header.fileLength) throw bad(`places ${name} outside the file`);
    }
    return header;
  }

  /**
   * Version 2 carries metadata.recordings (≥ 2 distinct commits, no metadata.commit) and the
   * recordingTests section; version 1 carries neither. Anything else is corrupt: a map whose tests
   * cannot all be dated must not be read as if they could.
   */
  private checkRecordingsHeader(header: NativeHeader, bad: (what: string) => MapError): void {
    const list = header.metadata.recordings as unknown;
    const section = header.sections.recordingTests;
    if (this.version < 2) {
      if (list !== undefined || section !== undefined) throw bad('has recording commits, which a version 1 map cannot have');
      return;
    }
    if (!section) throw bad('lacks section recordingTests');
    if (header.metadata.commit !== undefined) throw bad('has both a commit and a list of recording commits');
    if (!Array.isArray(list) || list.length < 2) throw bad('recordings are missing or list fewer than 2 commits');
    const seen = new Set<string>();
    for (const r of list as unknown[]) {
      const rec = r as Record<string, unknown>;
      if (typeof rec !== 'object' || rec === null || typeof rec.commit !== 'string' || rec.commit === '' || !isCount(rec.tests)) throw bad('has an invalid recording entry');
      if (rec.timestamp !== undefined && typeof rec.timestamp !== 'string') throw bad(`recording ${rec.commit} has an invalid timestamp`);
      if (seen.has(rec.commit)) throw bad(`lists recording commit ${rec.commit} twice`);
      seen.add(rec.commit);
    }
  }

  /** The recordingTests section: one row per recording, counts as the header says, every test dated. */
  private readRecordingTests(): Uint32Array[] {
    const list = this.header.metadata.recordings!;
    const bytes = this.section('recordingTests');
    const covered = new Uint8Array(this.testCount);
    const out: Uint32Array[] = [];
    try {
      const r = new ByteReader(bytes);
      for (const rec of list) {
        const entry = r.take(r.varint());
        const ids = entry.length === 0 ? new Uint32Array(0) : readRow(entry, this.testCount);
        if (ids.length !== rec.tests) throw new FormatViolation(`recording ${rec.commit} holds ${ids.length} tests, the header says ${rec.tests}`);
        for (const id of ids) covered[id] = 1;
        out.push(ids);
      }
      if (!r.done) throw new FormatViolation('trailing bytes');
    } catch (err) {
      if (err instanceof FormatViolation) throw this.fail(`is corrupt: section recordingTests: ${err.message}`, 'recordingTests', err);
      throw err;
    }
    const missing = covered.indexOf(0);
    if (missing >= 0) throw this.fail(`is corrupt: test ${missing} is in no recording (section recordingTests)`, 'recordingTests');
    return out;
  }

  /** A whole section, CRC-checked. */
  private section(name: SectionName): Uint8Array {
    const [offset, length, crc] = this.header.sections[name]!;
    let bytes: Uint8Array;
    try {
      bytes = this.src.read(offset, length);
    } catch (err) {
      throw this.fail(`is truncated: cannot read section ${name} (${(err as Error).message})`, name, err);
    }
    if (crc !== null && crc32(bytes) !== crc) throw this.fail(`is corrupt: checksum mismatch in section ${name}`, name);
    return bytes;
  }

  /** A u32 offsets section of `count + 1` non-decreasing entries ending at `end`. */
  private offsets(name: SectionName, end: number, count = this.sourceCount): Uint32Array {
    const bytes = this.section(name);
    if (bytes.length !== (count + 1) * 4) throw this.fail(`is corrupt: section ${name} has ${bytes.length} bytes, expected ${(count + 1) * 4}`, name);
    const off = u32s(bytes);
    // The CRC vouches for the whole section; per-entry bounds are checked where entries are read
    // (no O(sources) pass at open).
    if (off[0] !== 0 || off[count] !== end) throw this.fail(`is corrupt: ${name} do not span their data`, name);
    return off;
  }

  private rowTableOf(name: RowTable['name'], offsetsName: SectionName, crcsName: SectionName): RowTable {
    const [start, length] = this.header.sections[name]!;
    const offsets = this.offsets(offsetsName, length);
    const crcBytes = this.section(crcsName);
    if (crcBytes.length !== this.sourceCount * 4) throw this.fail(`is corrupt: section ${crcsName} has the wrong size`, crcsName);
    return { offsets, crcs: u32s(crcBytes), start, end: length, name };
  }

  /** Entry `i` of a row table, CRC-checked; undefined when it is empty (zero bytes). */
  private entry(table: RowTable, i: number): Uint8Array | undefined {
    const from = table.offsets[i];
    const to = table.offsets[i + 1];
    if (from === to) return undefined;
    if (to < from || to > table.end) throw this.fail(`is corrupt: ${table.name} offsets of entry ${i} are out of order`, table.name);
    let bytes: Uint8Array;
    try {
      bytes = this.src.read(table.start + from, to - from);
    } catch (err) {
      throw this.fail(`is truncated: cannot read ${table.name} entry ${i}`, table.name, err);
    }
    if (crc32(bytes) !== table.crcs[i]) throw this.fail(`is corrupt: checksum mismatch in the ${table.name} entry of ${this.sourceName(i)}`, table.name);
    return bytes;
  }

  /** Index of a source path, or -1 when the map does not know it. */
  sourceIndex(path: string): number {
    const key = utf8.encode(path);
    const slots = this.sourceHash;
    const mask = slots.length - 1;
    const names = this.sourceNameBytes;
    const offs = this.sourceNameOffsets;
    let s = fnv1a(key) & mask;
    for (let probes = 0; probes < slots.length; probes++, s = (s + 1) & mask) {
      const slot = slots[s];
      if (slot === 0) return -1;
      const i = slot - 1;
      if (i >= this.sourceCount) throw this.fail(`is corrupt: hash slot ${s} points past the sources`, 'sourceHash');
      const from = offs[i];
      const len = offs[i + 1] - 1 - from;
      if (len < 0 || from + len > names.length) throw this.fail(`is corrupt: source name offsets of entry ${i} are out of order`, 'sourceNameOffsets');
      if (len !== key.length) continue;
      let same = true;
      for (let k = 0; k < len; k++) {
        if (names[from + k] !== key[k]) {
          same = false;
          break;
        }
      }
      if (same) return i;
    }
    return -1;
  }

  sourceName(i: number): string {
    const from = this.sourceNameOffsets[i];
    try {
      return fromUtf8.decode(this.sourceNameBytes.subarray(from, this.sourceNameOffsets[i + 1] - 1));
    } catch (err) {
      throw this.fail(`is corrupt: source name ${i} is not valid UTF-8`, 'sourceNames', err);
    }
  }

  /** All source paths, index order (sorted). One decode + split. */
  sourceNames(): string[] {
    if (this.sourceCount === 0) return [];
    let all: string[];
    try {
      all = fromUtf8.decode(this.sourceNameBytes).split('\0');
    } catch (err) {
      throw this.fail('is corrupt: source names are not valid UTF-8', 'sourceNames', err);
    }
    if (all.length !== this.sourceCount) throw this.fail(`is corrupt: ${all.length} source names, header says ${this.sourceCount}`, 'sourceNames');
    return all;
  }

  /** All test paths; index = test id; JS string order. Decoded once, on first use. */
  testNames(): string[] {
    if (!this.testNameList) {
      if (this.testCount === 0) return (this.testNameList = []);
      const bytes = this.section('testNames');
      let all: string[];
      try {
        all = fromUtf8.decode(bytes).split('\0');
      } catch (err) {
        throw this.fail('is corrupt: test names are not valid UTF-8', 'testNames', err);
      }
      if (all.length !== this.testCount) throw this.fail(`is corrupt: ${all.length} test names, header says ${this.testCount}`, 'testNames');
      this.testNameList = all;
    }
    return this.testNameList;
  }

  /** Row of source `i`: sorted test ids; undefined when the file is known but never executed. */
  row(i: number): Uint32Array | undefined {
    const bytes = this.entry(this.rowTable, i);
    if (!bytes) return undefined;
    try {
      return readRow(bytes, this.testCount);
    } catch (err) {
      if (err instanceof FormatViolation) throw this.fail(`is corrupt: row of ${this.sourceName(i)}: ${err.message}`, 'rows', err);
      throw err;
    }
  }

  /** Test names of source `i`'s row (ascending ids); undefined when known but never executed. */
  rowNames(i: number): string[] | undefined {
    const bytes = this.entry(this.rowTable, i);
    if (!bytes) return undefined;
    const names = this.testNames();
    try {
      const runs = complementRuns(bytes, this.testCount);
      if (runs) {
        // A file most tests execute: a few slices, no per-test work.
        const parts: string[][] = [];
        for (let k = 0; k < runs.length; k += 2) parts.push(names.slice(runs[k], runs[k + 1]));
        return concatParts(parts);
      }
      const ids = readRow(bytes, this.testCount);
      const out = new Array<string>(ids.length);
      for (let k = 0; k < ids.length; k++) out[k] = names[ids[k]];
      return out;
    } catch (err) {
      if (err instanceof FormatViolation) throw this.fail(`is corrupt: row of ${this.sourceName(i)}: ${err.message}`, 'rows', err);
      throw err;
    }
  }

  /** OR the row of source `i` into a bitset of testCount bits (see rows.ts). */
  orRow(i: number, bits: Uint32Array): void {
    const bytes = this.entry(this.rowTable, i);
    if (!bytes) return;
    try {
      orRowInto(bytes, this.testCount, bits);
    } catch (err) {
      if (err instanceof FormatViolation) throw this.fail(`is corrupt: row of ${this.sourceName(i)}: ${err.message}`, 'rows', err);
      throw err;
    }
  }

  get hasBlocks(): boolean {
    return this.header.sections.blocks !== undefined;
  }

  blocks(i: number): RecordBlocks | undefined {
    if (this.blockTable === undefined) {
      this.blockTable = this.hasBlocks ? this.rowTableOf('blocks', 'blockOffsets', 'blockCrcs') : null;
    }
    if (this.blockTable === null) return undefined;
    const bytes = this.entry(this.blockTable, i);
    if (!bytes) return undefined;
    let entry: RecordBlocks;
    try {
      entry = readBlocks(bytes, this.testCount);
    } catch (err) {
      if (err instanceof FormatViolation) throw this.fail(`is corrupt: block data of ${this.sourceName(i)}: ${err.message}`, 'blocks', err);
      throw err;
    }
    if (this.treeTable === undefined) {
      this.treeTable = this.header.sections.blockTree ? this.rowTableOf('blockTree', 'blockTreeOffsets', 'blockTreeCrcs') : null;
    }
    const tree = this.treeTable && this.entry(this.treeTable, i);
    if (tree) {
      try {
        entry.blocks = readBlockTree(tree, entry.blocks);
      } catch (err) {
        if (err instanceof FormatViolation) throw this.fail(`is corrupt: block tree of ${this.sourceName(i)}: ${err.message}`, 'blockTree', err);
        throw err;
      }
    }
    return entry;
  }

  close(): void {
    this.src.close();
  }
}
