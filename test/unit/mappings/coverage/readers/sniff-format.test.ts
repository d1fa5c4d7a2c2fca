import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { MapError } from '../../../../../src/errors.js';
import { detectMapFormat, loadCoverageMap, MapBuilder, MemoryCoverageMap, writeCoverageMap } from '../../../../../src/mappings/coverage/index.js';
import { fixture, SAMPLE_ROWS, tempDir } from '../../../../helpers/map-fixtures.js';

let tmp: ReturnType<typeof tempDir> | undefined;
afterEach(() => tmp?.cleanup());

async function mapError(p: Promise<unknown>): Promise<MapError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(MapError);
  return err as MapError;
}

describe('detectMapFormat', () => {
  it('tells every fixture format apart from its head (or folder listing)', async () => {
    expect(await detectMapFormat(fixture('gitlab-direct.json'))).toBe('gitlab-json');
    expect(await detectMapFormat(fixture('gitlab-packed.json'))).toBe('gitlab-packed');
    expect(await detectMapFormat(fixture('gitlab-packed.json.gz'))).toBe('gitlab-packed');
    expect(await detectMapFormat(fixture('crystalball/compacted.yml'))).toBe('crystalball');
    expect(await detectMapFormat(fixture('crystalball-jobs'))).toBe('crystalball');
    expect(await detectMapFormat(fixture('istanbul'))).toBe('istanbul-folder');
  });

  it('detects a native map by its magic bytes', async () => {
    tmp = tempDir();
    const b = new MapBuilder({ format: 'native', commit: 'abc123' });
    b.addEdge('src/a.ts', 'test/a.test.ts');
    await writeCoverageMap(join(tmp.dir, 'map.bin'), b.build());
    expect(await detectMapFormat(join(tmp.dir, 'map.bin'))).toBe('native');
  });

  it('detects gzipped direct JSON and Crystalball YAML by magic bytes, whatever the name', async () => {
    tmp = tempDir();
    writeFileSync(join(tmp.dir, 'a'), gzipSync('  {"x.rb": ["y_spec.rb"]}'));
    writeFileSync(join(tmp.dir, 'b'), gzipSync('# comment\n---\n:type: Crystalball::ExecutionMap\n'));
    expect(await detectMapFormat(join(tmp.dir, 'a'))).toBe('gitlab-json');
    expect(await detectMapFormat(join(tmp.dir, 'b'))).toBe('crystalball');
  });

  it('gives readable MapErrors for missing, empty, unknown and single-istanbul files, and empty folders', async () => {
    tmp = tempDir();
    expect((await mapError(detectMapFormat(join(tmp.dir, 'nope.json')))).message).toContain('nope.json: map file not found');
    writeFileSync(join(tmp.dir, 'empty'), '');
    expect((await mapError(detectMapFormat(join(tmp.dir, 'empty')))).message).toContain('empty file');
    writeFileSync(join(tmp.dir, 'csv'), 'source,test\n');
    expect((await mapError(detectMapFormat(join(tmp.dir, 'csv')))).message).toMatch(/csv: unknown map format \(starts with "source,test/);
    writeFileSync(join(tmp.dir, 'coverage-final.json'), '{"/r/src/a.ts": {"path": "/r/src/a.ts", "s": {}}}');
    expect((await mapError(detectMapFormat(join(tmp.dir, 'coverage-final.json')))).message).toContain('single istanbul coverage file');
    mkdirSync(join(tmp.dir, 'dir'));
    expect((await mapError(detectMapFormat(join(tmp.dir, 'dir')))).message).toContain('a folder with no Crystalball maps');
  });
});

describe('loadCoverageMap', () => {
  it('opens a native map lazily and a foreign map in memory, answering the same queries', async () => {
    tmp = tempDir();
    const foreign = await loadCoverageMap(fixture('gitlab-direct.json'));
    expect(foreign).toBeInstanceOf(MemoryCoverageMap);
    const out = join(tmp.dir, 'map.tsmap');
    await writeCoverageMap(out, (foreign as MemoryCoverageMap).record);
    const native = await loadCoverageMap(out);
    expect(native).not.toBeInstanceOf(MemoryCoverageMap);
    expect(native.metadata.format).toBe('native');
    for (const m of [foreign, native]) {
      for (const [source, tests] of Object.entries(SAMPLE_ROWS)) expect([...m.testsFor(source)].sort()).toEqual(tests);
      expect(m.isKnown('app/helpers/unused_helper.rb')).toBe(true);
      expect(m.testsFor('app/helpers/unused_helper.rb')).toEqual([]);
      expect(m.isKnown('app/unknown.rb')).toBe(false);
      expect(m.stats()).toEqual({ sources: 5, tests: 3, edges: 6 });
    }
  });

  it('throws MapError naming a missing or corrupt map (the policy turns it into a full-suite reason)', async () => {
    tmp = tempDir();
    expect((await mapError(loadCoverageMap(join(tmp.dir, 'missing.map')))).message).toContain('missing.map');
    const corrupt = await mapError(loadCoverageMap(fixture('corrupt/truncated.json')));
    expect(corrupt.message).toContain('truncated.json');
    // A native map cut short.
    const b = new MapBuilder({ format: 'native' });
    for (let i = 0; i < 50; i++) b.addEdge(`src/f${i}.ts`, `test/t${i % 7}.test.ts`);
    const { encodeNativeMap } = await import('../../../../../src/mappings/coverage/native/index.js');
    const bytes = encodeNativeMap(b.build());
    writeFileSync(join(tmp.dir, 'cut.map'), bytes.subarray(0, bytes.length - 9));
    expect((await mapError(loadCoverageMap(join(tmp.dir, 'cut.map')))).message).toContain('cut.map');
  });
});
