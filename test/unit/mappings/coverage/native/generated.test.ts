// The "selection at scale equals the union of the map rows" check, on a generated GitLab-shaped
// map (same generator as the bench, ~2k sources): every answer of the lazily opened native map
// must equal MemoryCoverageMap's on the record it was written from.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCoverageMap, type MapRecord } from '../../../../../src/mappings/coverage/model.js';
import { decodeNativeRecord, encodeNativeMap, openNativeMap, writeNativeMap, type NativeCoverageMap } from '../../../../../src/mappings/coverage/native/index.js';
// @ts-expect-error plain .mjs bench helper without type declarations
import { generateGitlabMap, hottestSources } from '../../../../../bench/lib/gitlab-map.mjs';
// @ts-expect-error plain .mjs bench helper without type declarations
import { createRng } from '../../../../../bench/lib/prng.mjs';
import { idsOfBits } from '../../../../../src/util/bitset.js';

interface Generated {
  sources: string[];
  tests: string[];
  rows: Uint32Array[];
  edges: number;
}

const dir = mkdtempSync(join(tmpdir(), 'testsift-native-gen-'));
let gen: Generated;
let record: MapRecord;
let mem: MemoryCoverageMap;
let map: NativeCoverageMap;
let path: string;

beforeAll(async () => {
  gen = generateGitlabMap({ sources: 2000, tests: 2500, edgesPerTest: 60, seed: 7 }) as Generated;
  // Give the record a test order that is NOT sorted, so the encoder's renumbering is exercised.
  const shuffled = [...gen.tests].reverse();
  const newId = new Map(shuffled.map((t, i) => [t, i]));
  const rows = new Map<string, Uint32Array>();
  const unused = new Set<string>();
  gen.sources.forEach((s, i) => {
    // every 50th source becomes known-but-never-executed
    if (i % 50 === 0) unused.add(s);
    else rows.set(s, Uint32Array.from(gen.rows[i], (t) => newId.get(gen.tests[t])!).sort());
  });
  record = { metadata: { format: 'gitlab-json', commit: 'f00d' }, tests: shuffled, rows, unused };
  mem = new MemoryCoverageMap(record);
  path = join(dir, 'gen.map');
  await writeNativeMap(path, record);
  map = openNativeMap(path);
});
afterAll(() => {
  map?.close();
  rmSync(dir, { recursive: true, force: true });
});

const sorted = (xs: readonly string[]) => [...xs].sort();

describe('native map on a generated ~2k-source map', () => {
  it('decodes back to the record it was encoded from', () => {
    const back = decodeNativeRecord(encodeNativeMap(record), 'mem.map');
    expect(back.rows.size).toBe(record.rows.size);
    expect(sorted([...back.unused])).toEqual(sorted([...record.unused]));
    for (const [s, ids] of record.rows) {
      expect(sorted([...back.rows.get(s)!].map((i) => back.tests[i])), s).toEqual(sorted([...ids].map((i) => record.tests[i])));
    }
  });

  it('answers isKnown/testsFor like MemoryCoverageMap for random queries (known, unused, unknown)', () => {
    const rng = createRng(99);
    for (let q = 0; q < 500; q++) {
      const p = q % 5 === 4 ? `${rng.pick(gen.sources)}.missing` : rng.pick(gen.sources);
      expect(map.isKnown(p), p).toBe(mem.isKnown(p));
      const tests = map.testsFor(p);
      expect(tests, p).toEqual(sorted(mem.testsFor(p))); // native rows come back already sorted
      // Both maps are test tables: a row's bitset names the same tests, in the same sorted table.
      for (const m of [map, mem]) expect(m.testNamesOf(idsOfBits(m.testBitsFor(p) ?? new Uint32Array(0))), p).toEqual(sorted(mem.testsFor(p)));
    }
    expect(map.stats()).toEqual(mem.stats());
    expect([...map.testNames()]).toEqual(sorted([...mem.record.tests]));
  });

  it('unions the rows of random changed sets exactly (selection = union of map rows)', () => {
    const rng = createRng(123);
    const hot = (hottestSources(gen.rows, 5) as number[]).map((i) => gen.sources[i]);
    for (let trial = 0; trial < 40; trial++) {
      const changed = new Set<string>(trial % 2 === 0 ? hot : []);
      const size = 1 + rng.int(50);
      while (changed.size < size + (trial % 2 === 0 ? 5 : 0)) changed.add(rng.int(10) === 0 ? `new/file_${changed.size}.rb` : rng.pick(gen.sources));
      const expected = new Set<string>();
      for (const p of changed) for (const t of mem.testsFor(p)) expected.add(t);
      const ids = map.unionTestIds(changed);
      const names = map.testNamesOf(ids);
      expect(names).toEqual(sorted([...expected]));
      // ascending ids are sorted names: no string sort needed downstream
      expect(names).toEqual(sorted(names));
    }
  });

  it('is far smaller than the same map as GitLab direct JSON', () => {
    const json: Record<string, string[]> = {};
    for (const s of record.rows.keys()) json[s] = [...mem.testsFor(s)];
    // (≤ 2 bytes an edge is a GitLab-scale target, where names are a small share: see the bench)
    expect(statSync(path).size * 10).toBeLessThan(Buffer.byteLength(JSON.stringify(json)));
  });
});
