/**
 * Branch-level block data in the native format: nesting, kinds and owned lines round-trip in the
 * optional blockTree sections; a map of function blocks is written exactly as before (readers
 * that predate the tree read it); a damaged tree is a MapError naming the file.
 */
import { describe, expect, it } from 'vitest';
import { MapBuilder, type MapRecord } from '../../../../../src/mappings/coverage/model.js';
import type { Block } from '../../../../../src/mappings/coverage/types.js';
import { decodeNativeRecord, encodeNativeMap } from '../../../../../src/mappings/coverage/native/index.js';

const TREE: Block[] = [
  { id: 0, name: '', start: 1, end: 30 },
  { id: 1, name: 'div', start: 8, end: 14, kind: 'function' },
  { id: 2, name: 'div', start: 9, end: 11, parent: 1, kind: 'if' },
  { id: 3, name: 'div', start: 12, end: 13, parent: 1, kind: 'after', ownsStart: true, ownsEnd: true },
];
const FLAT: Block[] = [
  { id: 0, name: '', start: 1, end: 30 },
  { id: 1, name: 'div', start: 8, end: 14 },
];

function record(blocks: Block[]): MapRecord {
  const b = new MapBuilder({ format: 'native', commit: 'c', runner: 'vitest', granularity: 'block', blockLines: 'source' });
  b.addEdge('src/calc.ts', 'test/a.test.ts');
  b.setBlocks('src/calc.ts', blocks);
  b.addExecutedBlocks('src/calc.ts', 'test/a.test.ts', [0, 1, 3]);
  return b.build();
}

function header(bytes: Uint8Array): { metadata: Record<string, unknown>; sections: Record<string, unknown> } {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);
  return JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + length)));
}

describe('block tree in the native format', () => {
  it('round-trips parents, kinds and owned lines, and the blockLines marker', () => {
    const back = decodeNativeRecord(encodeNativeMap(record(TREE)), 'm.json');
    expect(back.blocks?.get('src/calc.ts')?.blocks).toEqual(TREE);
    expect(back.metadata.blockLines).toBe('source');
  });

  it('function-only block data has no tree sections (what older readers read, unchanged)', () => {
    const bytes = encodeNativeMap(record(FLAT));
    expect(Object.keys(header(bytes).sections)).not.toContain('blockTree');
    expect(decodeNativeRecord(bytes, 'm.json').blocks?.get('src/calc.ts')?.blocks).toEqual(FLAT);
    expect(Object.keys(header(encodeNativeMap(record(TREE))).sections)).toEqual(expect.arrayContaining(['blockTreeOffsets', 'blockTreeCrcs', 'blockTree']));
  });

  it('refuses to write a parent that is not a block of the file', () => {
    expect(() => encodeNativeMap(record([...FLAT, { id: 2, name: 'x', start: 9, end: 9, parent: 7, kind: 'if' }]))).toThrow(/parent 7/);
  });

  it('a damaged tree entry is a MapError naming the file', () => {
    const bytes = encodeNativeMap(record(TREE));
    const [offset, length] = header(bytes).sections.blockTree as [number, number];
    const bad = bytes.slice();
    bad[offset + length - 1] ^= 0xff;
    expect(() => decodeNativeRecord(bad, 'damaged.json')).toThrow(/damaged\.json.*block ?tree|damaged\.json.*checksum/i);
  });
});
