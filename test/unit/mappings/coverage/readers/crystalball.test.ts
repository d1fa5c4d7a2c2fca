import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { MapError } from '../../../../../src/errors.js';
import { readMapRecord, specFileOfExampleId } from '../../../../../src/mappings/coverage/index.js';
import { edgesOf, fixture, SAMPLE_ROWS, tempDir } from '../../../../helpers/map-fixtures.js';

let tmp: ReturnType<typeof tempDir> | undefined;
afterEach(() => tmp?.cleanup());

const COMMIT = '4f7c2d1e9a0b3c5d7e9f1a2b4c6d8e0f1a3b5c7d';

describe('Crystalball execution maps', () => {
  it('reduces example ids to spec files', () => {
    expect(specFileOfExampleId('./spec/models/user_spec.rb[1:2:1]')).toBe('./spec/models/user_spec.rb');
    expect(specFileOfExampleId('./spec/models/user_spec.rb[1]')).toBe('./spec/models/user_spec.rb');
    expect(specFileOfExampleId('spec/a_spec.rb')).toBe('spec/a_spec.rb');
  });

  it('inverts a multi-document map into source → spec files, with commit and timestamp', async () => {
    const r = await readMapRecord(fixture('crystalball/expanded.yml'));
    expect(r.metadata).toMatchObject({ format: 'crystalball', commit: COMMIT, timestamp: '2025-11-23T12:00:00.000Z', granularity: 'file' });
    expect(edgesOf(r).rows).toEqual(SAMPLE_ROWS);
  });

  it('a compacted map gives the same file-level map as the uncompacted one', async () => {
    // In compacted.yml naming.rb is listed only under the context id user_spec.rb[1]: it must
    // still select user_spec.rb, as it would from any of the examples below that context.
    const compacted = edgesOf(await readMapRecord(fixture('crystalball/compacted.yml')));
    const expanded = edgesOf(await readMapRecord(fixture('crystalball/expanded.yml')));
    expect(compacted).toEqual(expanded);
    expect(compacted.rows['app/models/concerns/naming.rb']).toEqual(['spec/models/user_spec.rb']);
  });

  it('reads a folder of per-job maps with equal metadata, skipping metadata-only files', async () => {
    const warnings: string[] = [];
    const r = await readMapRecord(fixture('crystalball-jobs'), { onWarning: (w) => warnings.push(w) });
    expect(r.metadata).toMatchObject({ format: 'crystalball', commit: COMMIT });
    expect(edgesOf(r).rows).toEqual(SAMPLE_ROWS);
    expect(warnings).toEqual([]);
  });

  it('unions a folder with different metadata, keeps each file\'s commit and warns naming the files', async () => {
    const warnings: string[] = [];
    const r = await readMapRecord(fixture('crystalball-mixed'), { onWarning: (w) => warnings.push(w) });
    expect(r.metadata).toMatchObject({ timestamp: '2025-11-23T12:00:00.000Z', runnerVersion: '2' });
    expect(r.metadata.commit).toBeUndefined();
    expect(r.metadata.recordings?.map((x) => x.commit)).toEqual(['4f7c2d1e9a0b3c5d7e9f1a2b4c6d8e0f1a3b5c7d', '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d']);
    expect(edgesOf(r).rows).toEqual({ 'app/models/user.rb': ['spec/models/user_spec.rb'], 'lib/util.rb': ['spec/lib/util_spec.rb'] });
    expect(warnings.join('\n')).toContain('job_old.yml');
    expect(warnings.join('\n')).toContain('job_new.yml');
    expect(warnings.join('\n')).toContain('each file\'s tests dated with its own commit');
  });

  it('keeps an all-digit commit as written, and reads a gzipped map', async () => {
    tmp = tempDir();
    const text = '---\n:type: Crystalball::ExecutionMap\n:commit: 0123456789\n:timestamp: 1600000000\n:version: \n---\n"./spec/a_spec.rb[1:1]":\n- "./lib/a.rb"\n';
    writeFileSync(join(tmp.dir, 'map.yml.gz'), gzipSync(text));
    const r = await readMapRecord(join(tmp.dir, 'map.yml.gz'));
    expect(r.metadata.commit).toBe('0123456789');
    expect(edgesOf(r).rows).toEqual({ 'lib/a.rb': ['spec/a_spec.rb'] });
  });

  it('rejects broken YAML with file and line, and YAML that is not an execution map', async () => {
    const err = await readMapRecord(fixture('corrupt/broken.yml')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MapError);
    expect((err as MapError).message).toMatch(/broken\.yml:\d+(:\d+)?: invalid YAML/);
    expect((err as MapError).location.line).toBeGreaterThanOrEqual(6);

    tmp = tempDir();
    writeFileSync(join(tmp.dir, 'tables.yml'), '---\n:type: Crystalball::Rails::TablesMap\n:commit: abc\n:timestamp: 1\n---\nusers:\n- app/models/user.rb\n');
    const wrong = await readMapRecord(join(tmp.dir, 'tables.yml')).catch((e: unknown) => e);
    expect((wrong as Error).message).toContain("expected a Crystalball execution map, found type 'Crystalball::Rails::TablesMap'");

    writeFileSync(join(tmp.dir, 'nometa.yml'), '---\n"./spec/a_spec.rb[1]":\n- lib/a.rb\n');
    const nometa = await readMapRecord(join(tmp.dir, 'nometa.yml')).catch((e: unknown) => e);
    expect((nometa as Error).message).toContain('first document should be Crystalball metadata');
  });

  it('a corrupt file inside a folder fails the whole folder, naming that file', async () => {
    tmp = tempDir();
    cpSync(fixture('crystalball-jobs'), join(tmp.dir, 'maps'), { recursive: true });
    cpSync(fixture('corrupt/broken.yml'), join(tmp.dir, 'maps', 'zz_broken.yml'));
    const err = await readMapRecord(join(tmp.dir, 'maps')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MapError);
    expect((err as Error).message).toContain('zz_broken.yml');
  });
});
