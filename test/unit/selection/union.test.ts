// selectedTests is the plain list's fast path (bitsets, sorted merges, binary-search inserts of
// a few path tests into a map's many names); unionGroups is the detailed view built the simple
// way. Over random groups they must name exactly the same tests, whatever `keep` says.
import { describe, expect, it } from 'vitest';
import { selectedTests, unionGroups, type KeepTests } from '../../../src/selection/union.js';
import { idsOfBits, pickByBits } from '../../../src/util/bitset.js';
import type { CandidateGroup, TestIdTable } from '../../../src/selection/types.js';
// @ts-expect-error plain .mjs bench helper without type declarations
import { createRng } from '../../../bench/lib/prng.mjs';

function table(names: string[]): TestIdTable {
  const sorted = [...names].sort();
  return { testCount: sorted.length, testNames: () => sorted, testNamesOf: (ids) => Array.from(ids, (i) => sorted[i]) };
}

function bitsOf(rng: { next(): number }, count: number, density: number): Uint32Array {
  const bits = new Uint32Array((count + 31) >>> 5);
  for (let t = 0; t < count; t++) if (rng.next() < density) bits[t >>> 5] |= 1 << (t & 31);
  return bits;
}

const reason = (file: string) => ({ strategy: 's', file });

describe('selectedTests', () => {
  it('equals the filtered union of every group, for few and many path tests', () => {
    const rng = createRng(7);
    for (let round = 0; round < 200; round++) {
      const universe = Array.from({ length: 1 + Math.floor(rng.next() * 600) }, (_, i) => `spec/f${String(i).padStart(4, '0')}_spec.rb`);
      const t = table(universe.filter(() => rng.next() < 0.8));
      const groups: CandidateGroup[] = [];
      const idGroups = Math.floor(rng.next() * 4);
      for (let g = 0; g < idGroups; g++) groups.push({ reason: reason(`src${g}`), table: t, bits: bitsOf(rng, t.testCount, rng.next()) });
      const pathGroups = Math.floor(rng.next() * 3);
      for (let g = 0; g < pathGroups; g++) {
        // Sometimes one or two tests (the insert path), sometimes many (the linear merge); some
        // also in the table, some not, some unknown to the universe.
        const n = rng.next() < 0.5 ? 1 + Math.floor(rng.next() * 2) : Math.floor(rng.next() * universe.length);
        const tests = Array.from({ length: n }, () =>
          rng.next() < 0.9 ? universe[Math.floor(rng.next() * universe.length)] : `spec/new${Math.floor(rng.next() * 9)}_spec.rb`,
        );
        groups.push({ reason: reason(`p${g}`), tests });
      }
      const gone = new Set(universe.filter(() => rng.next() < 0.1));
      const keep: KeepTests = (x) => !gone.has(x);
      if (rng.next() < 0.5) {
        keep.present = (tab) => {
          const bits = new Uint32Array((tab.testCount + 31) >>> 5);
          tab.testNames().forEach((name, i) => {
            // Some present ids unknown (left for keep() to decide by name).
            if (!gone.has(name) && rng.next() < 0.9) bits[i >>> 5] |= 1 << (i & 31);
          });
          return bits;
        };
      }
      const expected = unionGroups(groups)
        .map((s) => s.test)
        .filter((x) => keep(x));
      expect(selectedTests(groups, keep)).toEqual(expected);
    }
  });

  it('keeps one copy of a path test that is also in the map', () => {
    const t = table(['a_spec.rb', 'b_spec.rb', 'c_spec.rb', 'd_spec.rb']);
    const bits = Uint32Array.of(0b1111);
    const many = Array.from({ length: 100 }, (_, i) => `z${i}`);
    const big = table(many);
    const groups: CandidateGroup[] = [
      { reason: reason('x'), table: t, bits },
      { reason: reason('y'), tests: ['b_spec.rb', 'a0_spec.rb'] },
      { reason: reason('z'), table: big, bits: Uint32Array.of(0xffffffff, 0xffffffff, 0xffffffff, 0xf) },
    ];
    const out = selectedTests(groups, () => true);
    expect(out).toEqual([...new Set([...t.testNames(), 'a0_spec.rb', ...many])].sort());
  });

  it('inserts tens of thousands of path tests into a huge table without overflowing the stack', () => {
    // 80k changed tests between 1.4M map names: 160k slices joined (spread at once, that threw)
    const names = Array.from({ length: 1_400_000 }, (_, i) => `spec/t${String(i).padStart(7, '0')}_spec.rb`);
    const t = table(names);
    const bits = new Uint32Array((names.length + 31) >>> 5).fill(0xffffffff);
    const added = Array.from({ length: 80_000 }, (_, k) => `spec/t${String(k * 17).padStart(7, '0')}a_spec.rb`);
    const out = selectedTests(
      [
        { reason: reason('m'), table: t, bits },
        { reason: reason('p'), tests: added },
      ],
      () => true,
    );
    expect(out.length).toBe(names.length + added.length);
    expect(out[1]).toBe('spec/t0000000a_spec.rb');
    expect(out.slice(18, 20)).toEqual(['spec/t0000017_spec.rb', 'spec/t0000017a_spec.rb']); // after 18 names and 1 insert
  });
});

describe('pickByBits', () => {
  // The plain list takes names as runs of set bits; one lookup per id is the reference.
  const byIds = (items: string[], bits: Uint32Array) => Array.from(idsOfBits(bits), (i) => items[i]);
  const items = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`);

  it('equals one lookup per set bit, sparse to full, across word edges', () => {
    const rng = createRng(11);
    for (let round = 0; round < 300; round++) {
      const n = Math.floor(rng.next() * 400);
      const names = items(n);
      const density = [0, 0.02, 0.5, 0.98, 1][round % 5];
      const bits = bitsOf(rng, n, density);
      // runs that start and end on word boundaries, and single words left partly set
      if (round % 7 === 0 && bits.length > 2) bits[1] = 0xffffffff;
      expect(pickByBits(names, bits), `round ${round}`).toEqual(byIds(names, bits));
    }
  });

  it('handles runs that end at the last item, at a word edge and inside a word', () => {
    expect(pickByBits(items(64), Uint32Array.of(0xffffffff, 0xffffffff))).toEqual(items(64));
    expect(pickByBits(items(40), Uint32Array.of(0xffffffff, 0xff))).toEqual(items(40));
    expect(pickByBits(items(40), Uint32Array.of(0x80000000, 0x1))).toEqual(['t31', 't32']);
    expect(pickByBits(items(40), Uint32Array.of(0, 0))).toEqual([]);
    expect(pickByBits(items(3), Uint32Array.of(0b101))).toEqual(['t0', 't2']);
  });

  it('joins thousands of runs without overflowing the stack', () => {
    const names = items(200_000);
    const bits = new Uint32Array(names.length / 32).fill(0x55555555); // every other item: 100k runs
    expect(pickByBits(names, bits)).toEqual(names.filter((_, i) => i % 2 === 0));
  });
});
