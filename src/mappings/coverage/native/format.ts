/**
 * The native CoverageMap file format, versions 1 and 2 (docs/formats.md). Built so that a query reads only
 * the few small index sections plus the rows it asks for, never the whole file.
 *
 * Layout (all integers little-endian; every section starts on a 4-byte boundary):
 *
 *   offset 0   magic        8 bytes  0x89 'T' 'S' 'M' 'A' 'P' '\r' '\n'  (non-ASCII first byte: not
 *                                     text/JSON; CR LF: catches line-ending mangling)
 *   offset 8   version      u32      format version (this reader: 1 and 2; a larger one is refused)
 *   offset 12  headerLength u32      bytes of the JSON header
 *   offset 16  headerCrc    u32      CRC-32 of the JSON header bytes
 *   offset 20  header       UTF-8 JSON {@link NativeHeader}: metadata, counts, fileLength and the
 *                                     section table name → [offset, length, crc32 | null]
 *   …          sections, in any order the table says:
 *     testNames          UTF-8 test file paths joined by NUL, in JS string order. A test's id is its
 *                        index here, so ascending ids are sorted names (one decode + split).
 *     sourceNames        UTF-8 source paths joined by NUL (sorted), every file the recorder saw.
 *     sourceNameOffsets  u32 × (sources + 1): start of name i; name i ends one byte (the NUL)
 *                        before the start of name i + 1 (the last entry is length + 1).
 *     sourceHash         u32 × 2^k open-addressing table (linear probing, load ≤ 1/2) keyed by
 *                        FNV-1a of the UTF-8 name; a slot holds source index + 1, 0 = empty.
 *     rowOffsets         u32 × (sources + 1) into `rows`.
 *     rowCrcs            u32 × sources: CRC-32 of each row's bytes (checked when a row is read).
 *     rows               per source, one row (see rows.ts): zero bytes = known but never executed;
 *                        else a varint `count·4 + kind` and the sorted test ids as a delta-varint
 *                        list (kind 0), a bitmap from a base id (kind 1) or the delta-varint list of
 *                        the ids NOT in the row (kind 2, for files most tests execute).
 *     blockOffsets, blockCrcs, blocks   optional, same shape as the rows: per source its blocks
 *                        (functions / module body) and per test the blocks it executed (blocks.ts).
 *     blockTreeOffsets, blockTreeCrcs, blockTree   optional (only with the block sections), same
 *                        shape: per source with blocks, how they nest — per block its parent,
 *                        kind and which of its first/last lines it owns (blocks.ts). Branch-level
 *                        data. A reader that predates these sections ignores them (unknown
 *                        sections are skipped) and reads every block as a function: it then
 *                        selects the tests that executed the smallest block strictly holding a
 *                        change — still only tests that ran the changed code, so still safe.
 *     recordingTests     version 2 only, required there: per entry of metadata.recordings, in
 *                        order, a varint byte length then a row (rows.ts; zero bytes = no tests) of
 *                        the tests recorded at that commit. Every test is in at least one.
 *
 * Version 2 is version 1 plus metadata.recordings (≥ 2 distinct commits, metadata.commit absent)
 * and the recordingTests section: a map merged from maps recorded at different commits. A map of
 * one commit is still written as version 1, byte for byte as before, so older readers keep
 * reading it; they refuse a version 2 map as "newer than this testsift reads", which `detect`
 * turns into the full suite with that reason — never into rows dated with the wrong commit.
 *
 * Integrity: the header has its CRC; the fixed-size index sections have a CRC each, checked when
 * the section is first loaded; rows and block entries have one CRC each, checked when read. The
 * header records the file length, so truncation is caught at open. Any mismatch is a MapError
 * naming the file — a corrupt map never yields an answer.
 */
import type { MapMetadata } from '../types.js';

/** The newest version this code reads and writes (it writes 1 when version 2 adds nothing). */
export const FORMAT_VERSION = 2;
/** The version of a map that holds one commit (or none). */
export const SINGLE_COMMIT_VERSION = 1;

export const NATIVE_MAGIC: Uint8Array = Uint8Array.of(0x89, 0x54, 0x53, 0x4d, 0x41, 0x50, 0x0d, 0x0a);

/** magic + version + headerLength + headerCrc */
export const PREFIX_LENGTH = 20;

export const SECTION_NAMES = [
  'testNames',
  'sourceNames',
  'sourceNameOffsets',
  'sourceHash',
  'rowOffsets',
  'rowCrcs',
  'rows',
  'blockOffsets',
  'blockCrcs',
  'blocks',
  'recordingTests',
  'blockTreeOffsets',
  'blockTreeCrcs',
  'blockTree',
] as const;
export type SectionName = (typeof SECTION_NAMES)[number];

/** Sections that must be present (the block sections are optional, all three or none; recordingTests is required in version 2, absent in 1). */
export const REQUIRED_SECTIONS: readonly SectionName[] = SECTION_NAMES.slice(0, 7);

/** [offset, length, crc32 of the section or null when its entries carry their own CRCs] */
export type SectionEntry = [number, number, number | null];

export interface NativeHeader {
  /** Metadata as recorded, without `format`/`formatVersion` (those come from the file itself). */
  metadata: Omit<MapMetadata, 'format' | 'formatVersion'>;
  counts: { sources: number; tests: number; edges: number };
  fileLength: number;
  sections: Partial<Record<SectionName, SectionEntry>>;
}

export function isNativeMap(head: Uint8Array): boolean {
  if (head.length < NATIVE_MAGIC.length) return false;
  for (let i = 0; i < NATIVE_MAGIC.length; i++) if (head[i] !== NATIVE_MAGIC[i]) return false;
  return true;
}
