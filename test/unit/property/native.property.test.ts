import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MapError } from '../../../src/errors.js';
import { MapBuilder } from '../../../src/mappings/coverage/model.js';
import { decodeNativeRecord, encodeNativeMap, NativeCoverageMap } from '../../../src/mappings/coverage/native/index.js';
import { NativeMapReader } from '../../../src/mappings/coverage/native/reader.js';
import { MemorySource } from '../../../src/mappings/coverage/native/source.js';
import { addRow, plain, type RefRows } from './reference/paths.js';
import { FC_RUNS } from './runs.js';

/*
 * The native format against the data it was written from (the reference reading is the input
 * itself): any map round-trips exactly, through the full decoder and the lazy query API; a
 * damaged map (bytes flipped, cut or appended) is a MapError naming it or exactly the original
 * answers, never another exception and never a different row.
 */
const name = fc.oneof(
  fc.constantFrom('app/a.rb', 'spec/a_spec.rb', 'lib/x.ts', 'é/日本.rb', 'a b', 'z'),
  fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !s.includes('\0')),
);
const edges = fc.array(fc.tuple(name, fc.array(name, { maxLength: 6 })), { maxLength: 12 });

function build(rows: Array<[string, string[]]>, known: string[]) {
  const b = new MapBuilder({ format: 'native', commit: 'abc123', timestamp: '2024-01-01T00:00:00.000Z', granularity: 'file' });
  const ref: RefRows = new Map();
  for (const [s, tests] of rows) {
    for (const t of tests) b.addEdge(s, t);
    if (tests.length > 0) addRow(ref, s, tests); // a source with no edge is not in the map
  }
  for (const k of known) {
    b.addKnown(k);
    addRow(ref, k, []);
  }
  return { record: b.build(), ref };
}

/** Everything the lazy API answers, for every source of the reference plus one unknown path. */
function queried(bytes: Uint8Array, sources: string[]): RefRows {
  const map = new NativeCoverageMap(new NativeMapReader(new MemorySource(bytes), 'm.map'));
  const out: RefRows = new Map();
  for (const s of [...sources, 'not/in/the/map.rb']) {
    if (map.isKnown(s)) addRow(out, s, map.testsFor(s));
    else expect(map.testsFor(s)).toEqual([]);
  }
  return out;
}

function decoded(bytes: Uint8Array): RefRows {
  const r = decodeNativeRecord(bytes, 'm.map');
  const out: RefRows = new Map();
  for (const [s, ids] of r.rows)
    addRow(
      out,
      s,
      Array.from(ids, (id) => r.tests[id]),
    );
  for (const s of r.unused) addRow(out, s, []);
  return out;
}

/** `fn` gives the reference's rows, or throws a MapError naming the file. */
function exactOrMapError(fn: () => RefRows, ref: RefRows): void {
  let got: RefRows;
  try {
    got = fn();
  } catch (err) {
    expect(err).toBeInstanceOf(MapError);
    expect((err as MapError).message.startsWith('m.map')).toBe(true);
    return;
  }
  expect(plain(got)).toEqual(plain(ref));
}

describe('native maps', () => {
  it('round-trip exactly: full decode and lazy queries', () => {
    fc.assert(
      fc.property(edges, fc.array(name, { maxLength: 3 }), (rows, known) => {
        const { record, ref } = build(rows, known);
        const bytes = encodeNativeMap(record);
        expect(plain(decoded(bytes))).toEqual(plain(ref));
        expect(plain(queried(bytes, [...ref.keys()]))).toEqual(plain(ref));
      }),
      { numRuns: FC_RUNS },
    );
  });

  it('damaged: a MapError naming the file, or exactly the original rows', () => {
    const damage = fc.array(
      fc.oneof(
        fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
        fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
        fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
        fc.record({ kind: fc.constant('append' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
      ),
      { minLength: 1, maxLength: 3 },
    );
    fc.assert(
      fc.property(edges, damage, (rows, ops) => {
        const { record, ref } = build(rows, []);
        let bytes = encodeNativeMap(record);
        for (const op of ops) {
          if (op.kind === 'append') bytes = Uint8Array.from([...bytes, ...op.bytes]);
          else if (bytes.length === 0) continue;
          else if (op.kind === 'cut') bytes = bytes.slice(0, op.at % bytes.length);
          else {
            bytes = bytes.slice();
            const i = op.at % bytes.length;
            bytes[i] = op.kind === 'flip' ? bytes[i] ^ (1 << op.bit) : op.value;
          }
        }
        exactOrMapError(() => decoded(bytes), ref);
        exactOrMapError(() => queried(bytes, [...ref.keys()]), ref);
      }),
      { numRuns: FC_RUNS * 2 },
    );
  });
});
