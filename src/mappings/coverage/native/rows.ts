/**
 * One row = the sorted test ids that executed one source file. Each row is stored in whichever of
 * three encodings is smallest, so sparse rows cost ~1–2 bytes an edge and the "everyone executes
 * it" rows of a heavy-tailed map cost almost nothing:
 *   kind 0  delta list   first id, then (gap − 1) for each next id, as varints
 *   kind 1  bitmap       varint base id, then bits: bit i of byte j ⇔ id base + 8j + i
 *   kind 2  complement   delta list (as kind 0) of the ids in [0, testCount) NOT in the row
 * preceded by the varint `count · 4 + kind`. A present-but-empty row is the single byte 0.
 */
import { POPCOUNT8 } from '../../../util/bitset.js';
import { ByteReader, ByteWriter, FormatViolation, varintSize } from './varint.js';

const DELTA = 0;
const BITMAP = 1;
const COMPLEMENT = 2;

function deltaListSize(ids: ArrayLike<number>): number {
  if (ids.length === 0) return 0;
  let size = varintSize(ids[0]);
  for (let i = 1; i < ids.length; i++) size += varintSize(ids[i] - ids[i - 1] - 1);
  return size;
}

/** The ids in [0, testCount) missing from sorted `ids`. */
function complementOf(ids: Uint32Array, testCount: number): Uint32Array {
  const out = new Uint32Array(testCount - ids.length);
  let k = 0;
  let next = 0;
  for (let i = 0; i < ids.length; i++) {
    for (let m = next; m < ids[i]; m++) out[k++] = m;
    next = ids[i] + 1;
  }
  for (let m = next; m < testCount; m++) out[k++] = m;
  return out;
}

function writeDeltaList(w: ByteWriter, ids: ArrayLike<number>): void {
  if (ids.length === 0) return;
  w.varint(ids[0]);
  for (let i = 1; i < ids.length; i++) w.varint(ids[i] - ids[i - 1] - 1);
}

/** Append the encoding of `ids` (sorted, unique, all < testCount) to `w`. */
export function writeRow(w: ByteWriter, ids: Uint32Array, testCount: number): void {
  const count = ids.length;
  if (count === 0) {
    w.varint(0);
    return;
  }
  const deltaSize = deltaListSize(ids);
  const base = ids[0];
  const bitmapBytes = ((ids[count - 1] - base) >>> 3) + 1;
  const bitmapSize = varintSize(base) + bitmapBytes;
  // A complement is only worth computing when most tests are in the row.
  let complement: Uint32Array | undefined;
  let complementSize = Infinity;
  if (count * 2 > testCount) {
    complement = complementOf(ids, testCount);
    complementSize = deltaListSize(complement);
  }
  if (complement && complementSize <= deltaSize && complementSize <= bitmapSize) {
    w.varint(count * 4 + COMPLEMENT);
    writeDeltaList(w, complement);
  } else if (bitmapSize < deltaSize) {
    w.varint(count * 4 + BITMAP);
    w.varint(base);
    const bits = new Uint8Array(bitmapBytes);
    for (let i = 0; i < count; i++) {
      const d = ids[i] - base;
      bits[d >>> 3] |= 1 << (d & 7);
    }
    w.bytes(bits);
  } else {
    w.varint(count * 4 + DELTA);
    writeDeltaList(w, ids);
  }
}

let iotaCache = new Uint32Array(0);
/** [0, 1, …, n − 1], built once per process: complement rows then decode by memcpy. */
function iota(n: number): Uint32Array {
  if (iotaCache.length < n) {
    iotaCache = new Uint32Array(n);
    for (let i = 0; i < n; i++) iotaCache[i] = i;
  }
  return iotaCache;
}

/**
 * Decode a row's bytes (non-empty). Checks everything a corrupt row could get wrong (ids in range,
 * strictly increasing, count as declared) and throws FormatViolation instead of answering.
 */
export function readRow(bytes: Uint8Array, testCount: number): Uint32Array {
  const r = new ByteReader(bytes);
  const head = r.varint();
  const kind = head % 4;
  const count = (head - kind) / 4;
  if (count > testCount) throw new FormatViolation(`row claims ${count} tests but the map has ${testCount}`);
  const out = new Uint32Array(count);
  if (kind === DELTA) {
    let prev = -1;
    for (let i = 0; i < count; i++) {
      const id = i === 0 ? r.varint() : prev + 1 + r.varint();
      out[i] = id;
      prev = id;
    }
    if (count > 0 && prev >= testCount) throw new FormatViolation(`row has test id ${prev} ≥ ${testCount}`);
  } else if (kind === BITMAP) {
    const base = r.varint();
    const bits = r.take(r.end - r.pos);
    let k = 0;
    for (let j = 0; j < bits.length; j++) {
      let byte = bits[j];
      while (byte !== 0) {
        const bit = 31 - Math.clz32(byte & -byte);
        if (k >= count) throw new FormatViolation('bitmap row has more ids than declared');
        out[k++] = base + j * 8 + bit;
        byte &= byte - 1;
      }
    }
    if (k !== count) throw new FormatViolation(`bitmap row has ${k} ids, declared ${count}`);
    if (count > 0 && out[count - 1] >= testCount) throw new FormatViolation(`row has test id ${out[count - 1]} ≥ ${testCount}`);
  } else if (kind === COMPLEMENT) {
    // Runs of consecutive ids, copied from a shared 0, 1, 2, … array (a native memcpy each).
    const missing = testCount - count;
    const seq = iota(testCount);
    let k = 0;
    let next = 0;
    let prev = -1;
    for (let i = 0; i < missing; i++) {
      const m = i === 0 ? r.varint() : prev + 1 + r.varint();
      if (m >= testCount || k + (m - next) > count) throw new FormatViolation(`row excludes test id ${m} outside the map or declares too few ids`);
      if (m - next > 32) out.set(seq.subarray(next, m), k);
      else for (let id = next; id < m; id++) out[k + id - next] = id;
      k += m - next;
      next = m + 1;
      prev = m;
    }
    if (k + (testCount - next) !== count) throw new FormatViolation(`complement row yields ${k + testCount - next} ids, declared ${count}`);
    out.set(seq.subarray(next, testCount), k);
  } else {
    throw new FormatViolation(`unknown row encoding ${kind}`);
  }
  if (!r.done) throw new FormatViolation('row has trailing bytes');
  return out;
}

/**
 * OR a row into a bitset of `testCount` bits (bit t of word t >> 5), without materialising its
 * ids: a "most tests" row is a few word fills, a bitmap row a shift per byte. This is what keeps a
 * diff touching the hottest files cheap. Same checks as {@link readRow}.
 */
export function orRowInto(bytes: Uint8Array, testCount: number, bits: Uint32Array): void {
  const r = new ByteReader(bytes);
  const head = r.varint();
  const kind = head % 4;
  const count = (head - kind) / 4;
  if (count > testCount) throw new FormatViolation(`row claims ${count} tests but the map has ${testCount}`);
  // One small function per encoding: V8 optimises the loop a query runs hot, not all three.
  if (kind === DELTA) orDeltaRow(r, count, testCount, bits);
  else if (kind === BITMAP) orBitmapRow(r, count, testCount, bits);
  else if (kind === COMPLEMENT) orComplementRow(r, count, testCount, bits);
  else throw new FormatViolation(`unknown row encoding ${kind}`);
  if (!r.done) throw new FormatViolation('row has trailing bytes');
}

function orDeltaRow(r: ByteReader, count: number, testCount: number, bits: Uint32Array): void {
  let id = -1;
  for (let i = 0; i < count; i++) {
    id = i === 0 ? r.varint() : id + 1 + r.varint();
    if (id >= testCount) throw new FormatViolation(`row has test id ${id} ≥ ${testCount}`);
    bits[id >>> 5] |= 1 << (id & 31);
  }
}

/**
 * A complement row: every word is all ones but for the ids it lists as missing, collected per
 * word; whole words between them are a native fill. One step per missing id, no runs array.
 */
function orComplementRow(r: ByteReader, count: number, testCount: number, bits: Uint32Array): void {
  if (testCount === 0) return;
  const lastWord = (testCount - 1) >>> 5;
  const tail = 0xffffffff >>> (31 - ((testCount - 1) & 31)); // the last word's bits below testCount
  const missing = testCount - count;
  let word = 0; // the word whose missing ids are being collected
  let holes = 0;
  let m = -1;
  for (let i = 0; i < missing; i++) {
    m = i === 0 ? r.varint() : m + 1 + r.varint();
    if (m >= testCount) throw new FormatViolation(`row excludes test id ${m} ≥ ${testCount}`);
    const w = m >>> 5;
    if (w !== word) {
      bits[word] |= ~holes; // word < w ≤ lastWord: not the last word
      if (w > word + 1) bits.fill(0xffffffff, word + 1, w);
      word = w;
      holes = 0;
    }
    holes |= 1 << (m & 31);
  }
  if (word === lastWord) bits[word] |= ~holes & tail;
  else {
    bits[word] |= ~holes;
    bits.fill(0xffffffff, word + 1, lastWord);
    bits[lastWord] |= tail;
  }
}

function orBitmapRow(r: ByteReader, count: number, testCount: number, bits: Uint32Array): void {
  const bytes = r.bytes;
  const base = r.varint();
  const bytesLeft = r.end - r.pos;
  if (count > 0 && base + bytesLeft * 8 - 8 >= testCount) throw new FormatViolation(`bitmap row reaches past test id ${testCount}`);
  let seen = 0;
  for (let j = 0; j < bytesLeft; j++) {
    const byte = bytes[r.pos + j];
    if (byte === 0) continue;
    seen += POPCOUNT8[byte];
    const pos = base + j * 8;
    const w = pos >>> 5;
    const sh = pos & 31;
    bits[w] |= byte << sh;
    if (sh > 24) bits[w + 1] |= byte >>> (32 - sh);
  }
  // the last byte's top bits must not reach beyond the last test
  const last = bytesLeft > 0 ? bytes[r.pos + bytesLeft - 1] : 0;
  if (last !== 0 && base + (bytesLeft - 1) * 8 + (31 - Math.clz32(last)) >= testCount) throw new FormatViolation(`bitmap row has a test id ≥ ${testCount}`);
  if (seen !== count) throw new FormatViolation(`bitmap row has ${seen} ids, declared ${count}`);
  r.pos = r.end;
}

/**
 * For a complement row (a file most tests execute): its ids as runs [start, end) — flat pairs —
 * so names can be taken as a few array slices instead of one lookup per test. Undefined for the
 * other encodings. Same checks as {@link readRow}.
 */
export function complementRuns(bytes: Uint8Array, testCount: number): number[] | undefined {
  const r = new ByteReader(bytes);
  const head = r.varint();
  if (head % 4 !== COMPLEMENT) return undefined;
  const count = (head - COMPLEMENT) / 4;
  if (count > testCount) throw new FormatViolation(`row claims ${count} tests but the map has ${testCount}`);
  const runs: number[] = [];
  const missing = testCount - count;
  let next = 0;
  let m = -1;
  for (let i = 0; i < missing; i++) {
    m = i === 0 ? r.varint() : m + 1 + r.varint();
    if (m >= testCount) throw new FormatViolation(`row excludes test id ${m} ≥ ${testCount}`);
    if (m > next) runs.push(next, m);
    next = m + 1;
  }
  if (next < testCount) runs.push(next, testCount);
  if (!r.done) throw new FormatViolation('row has trailing bytes');
  return runs;
}
