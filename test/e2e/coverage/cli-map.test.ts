import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readMapRecord } from '../../../src/mappings/coverage/index.js';
import { runCli } from '../../helpers/cli.js';
import { edgesOf, fixture, SAMPLE_ROWS, tempDir } from '../../helpers/map-fixtures.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const out = (name: string): string => join(tmp.dir, name);

describe('testsift map (built CLI)', () => {
  it('--help documents every subcommand and the istanbul folder convention', async () => {
    for (const args of [['map', '--help'], ['map', 'merge', '--help'], ['map', 'import', '--help'], ['map', 'export', '-h'], ['map', 'stats', '--help']]) {
      const r = await runCli(args);
      expect(r.code).toBe(0);
      for (const s of ['map merge IN…', 'map import IN…', 'map export MAP', 'map stats [MAP]', '<test path>/coverage-final.json', 'Exit codes']) expect(r.stdout).toContain(s);
    }
  });

  it('bad usage exits 2 with a message', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['map'], /missing subcommand/],
      [['map', 'frob'], /unknown subcommand 'frob'/],
      [['map', 'merge', fixture('gitlab-direct.json')], /--output OUT is required/],
      [['map', 'import', '--output', 'x'], /at least one input/],
      [['map', 'import', fixture('gitlab-direct.json'), '-o', 'x', '--format', 'csv'], /--format expects one of auto/],
      [['map', 'import', fixture('gitlab-direct.json'), '-o', 'x', '--timestamp', 'yesterday'], /--timestamp expects an ISO 8601/],
      [['map', 'import', fixture('gitlab-direct.json'), '-o', 'x', '--commit', 'not a sha'], /--commit expects a commit SHA/],
      [['map', 'export', fixture('gitlab-direct.json'), '--format', 'xml'], /--format expects json or gitlab-packed/],
      [['map', 'stats', fixture('gitlab-direct.json'), '--format', 'yaml'], /--format expects text or json/],
      [['map', 'stats', fixture('gitlab-direct.json'), '--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [args, re] of cases) {
      const r = await runCli(args, { cwd: tmp.dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(re);
    }
  });

  it('imports each format into a native map that decodes to the same edges', async () => {
    const inputs: Array<[string, string[]]> = [
      [fixture('gitlab-direct.json'), []],
      [fixture('gitlab-packed.json.gz'), []],
      [fixture('crystalball/compacted.yml'), []],
      [fixture('crystalball-jobs'), ['--format', 'crystalball']],
    ];
    for (const [input, extra] of inputs) {
      const target = out('imported.map');
      const r = await runCli(['map', 'import', input, '--output', target, ...extra], { cwd: tmp.dir });
      expect(r.code, `${input}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(/imported 1 map\(s\): \d+ sources, 3 tests, 6 edges/);
      const rec = await readMapRecord(target);
      expect(rec.metadata.format).toBe('native');
      expect(edgesOf(rec).rows).toEqual(SAMPLE_ROWS);
    }
  });

  it('import records --commit, --timestamp and --root (istanbul absolute paths)', async () => {
    const target = out('ist.map');
    const r = await runCli(
      ['map', 'import', fixture('istanbul'), '--output', target, '--root', '/builds/shop', '--commit', 'ABCDEF1234', '--timestamp', '2025-11-20T08:30:00+01:00'],
      { cwd: tmp.dir },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('outside the root');
    const rec = await readMapRecord(target);
    expect(rec.metadata).toMatchObject({ commit: 'abcdef1234', timestamp: '2025-11-20T07:30:00.000Z', root: '/builds/shop' });
    expect(edgesOf(rec)).toEqual({
      rows: { 'src/cart.ts': ['test/cart.test.ts'], 'src/price.ts': ['test/cart.test.ts', 'test/price.test.ts'] },
      unused: ['src/legacy.ts'],
    });
    // Function-level data survives the native format.
    expect([...(rec.blocks?.keys() ?? [])].sort()).toEqual(['src/cart.ts', 'src/price.ts']);
    expect(rec.metadata.granularity).toBe('block');
    const stats = await runCli(['map', 'stats', target], { cwd: tmp.dir });
    expect(stats.stdout).toMatch(/files with block data: 2/);
  });

  it('import warns when no commit is known, not when the input records one', async () => {
    const a = await runCli(['map', 'import', fixture('gitlab-direct.json'), '-o', out('a.map')], { cwd: tmp.dir });
    expect(a.stderr).toContain('no commit recorded');
    const b = await runCli(['map', 'import', fixture('crystalball/expanded.yml'), '-o', out('b.map')], { cwd: tmp.dir });
    expect(b.stderr).not.toContain('no commit recorded');
  });

  it('merge: partial maps of parallel jobs (mixed formats) into one; each commit kept, an undated input warned by name', async () => {
    writeFileSync(out('job1.json'), JSON.stringify({ 'src/a.ts': ['test/a.test.ts'], 'src/z.ts': [] }));
    const job2 = await runCli(['map', 'import', fixture('crystalball-mixed/job_new.yml'), '-o', out('job2.map')], { cwd: tmp.dir });
    expect(job2.code).toBe(0);
    const r = await runCli(['map', 'merge', 'job1.json', 'job2.map', fixture('crystalball-mixed/job_old.yml'), '--output', 'merged.map'], { cwd: tmp.dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('merged 3 map(s)');
    // job1.json records no commit: the merged map cannot be dated (detect: full suite), said by name.
    expect(r.stderr).toMatch(/warning: job1\.json records no commit while other inputs do: the merged map records no commit/);
    const rec = await readMapRecord(out('merged.map'));
    expect(rec.metadata.commit).toBeUndefined();
    expect(rec.metadata.recordings).toBeUndefined();
    // Without it: each test keeps the commit it was recorded at (oldest first).
    const dated = await runCli(['map', 'merge', 'job2.map', fixture('crystalball-mixed/job_old.yml'), '--output', 'dated.map'], { cwd: tmp.dir });
    expect(dated.code, dated.stderr).toBe(0);
    expect(dated.stderr).toBe('');
    expect(dated.stdout).toContain('recorded at 2 commits');
    const both = await readMapRecord(out('dated.map'));
    expect(both.metadata.commit).toBeUndefined();
    expect(both.metadata.recordings).toEqual([
      { commit: '4f7c2d1e9a0b3c5d7e9f1a2b4c6d8e0f1a3b5c7d', timestamp: '2025-11-23T12:00:00.000Z', tests: 1 },
      { commit: '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d', timestamp: '2025-11-24T12:00:00.000Z', tests: 1 },
    ]);
    expect(edgesOf(rec)).toEqual({
      rows: { 'app/models/user.rb': ['spec/models/user_spec.rb'], 'lib/util.rb': ['spec/lib/util_spec.rb'], 'src/a.ts': ['test/a.test.ts'] },
      unused: ['src/z.ts'],
    });
  });

  it('merge: a corrupt or missing input exits 2 naming it, and writes nothing (an existing OUT stays intact)', async () => {
    const ok = await runCli(['map', 'import', fixture('gitlab-direct.json'), '-o', out('part1.map')], { cwd: tmp.dir });
    expect(ok.code).toBe(0);
    const r1 = await runCli(['map', 'merge', 'part1.map', fixture('corrupt/truncated.json'), '--output', 'new.map'], { cwd: tmp.dir });
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/corrupt\/truncated\.json:3:\d+: unterminated string/);
    expect(existsSync(out('new.map'))).toBe(false);

    writeFileSync(out('existing.map'), 'previous content');
    const r2 = await runCli(['map', 'merge', 'part1.map', 'part-missing.map', '--output', 'existing.map'], { cwd: tmp.dir });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('part-missing.map: map file not found');
    expect(readFileSync(out('existing.map'), 'utf8')).toBe('previous content');

    // A merge whose output is one of its inputs: a failure leaves that input intact too.
    const before = readFileSync(out('part1.map'));
    const r3 = await runCli(['map', 'merge', 'part1.map', fixture('corrupt/wrong-shape.json'), '-o', 'part1.map'], { cwd: tmp.dir });
    expect(r3.code).toBe(2);
    expect(r3.stderr).toContain('wrong-shape.json');
    expect(readFileSync(out('part1.map')).equals(before)).toBe(true);
    expect(readdirSync(tmp.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('round trip: import → export gives the input back, normalised and sorted ([] kept)', async () => {
    expect((await runCli(['map', 'import', fixture('gitlab-direct.json'), '-o', 'm.map'], { cwd: tmp.dir })).code).toBe(0);
    const r = await runCli(['map', 'export', 'm.map', '--format', 'json'], { cwd: tmp.dir });
    expect(r.code, r.stderr).toBe(0);
    const exported = JSON.parse(r.stdout) as Record<string, string[]>;
    expect(Object.keys(exported)).toEqual(Object.keys(exported).sort());
    const input = JSON.parse(readFileSync(fixture('gitlab-direct.json'), 'utf8')) as Record<string, string[]>;
    const normalised = Object.fromEntries(Object.entries(input).map(([k, v]) => [k.replace(/^\.\//, ''), [...v].sort()]));
    expect(exported).toEqual(normalised);
    expect(exported['app/helpers/unused_helper.rb']).toEqual([]);

    // …and exporting the export (a foreign map) again is byte-identical.
    writeFileSync(out('exported.json'), r.stdout);
    const again = await runCli(['map', 'export', 'exported.json'], { cwd: tmp.dir });
    expect(again.stdout).toBe(r.stdout);
  });

  it('export --format gitlab-packed to a .gz file reads back as the same map', async () => {
    const r = await runCli(['map', 'export', fixture('crystalball/compacted.yml'), '--format', 'gitlab-packed', '--output', 'packed.json.gz'], { cwd: tmp.dir });
    expect(r.code, r.stderr).toBe(0);
    const packed = JSON.parse(gunzipSync(readFileSync(out('packed.json.gz'))).toString('utf8')) as Record<string, unknown>;
    expect(packed['lib/util.rb']).toEqual({ spec: { lib: { 'util_spec.rb': 1 }, models: { 'user_spec.rb': 1 } } });
    const back = await readMapRecord(out('packed.json.gz'));
    expect(back.metadata.format).toBe('gitlab-packed');
    expect(edgesOf(back).rows).toEqual(SAMPLE_ROWS);
  });

  it('stats: text and json', async () => {
    expect((await runCli(['map', 'import', fixture('crystalball/expanded.yml'), '-o', 'm.map'], { cwd: tmp.dir })).code).toBe(0);
    const text = await runCli(['map', 'stats', 'm.map'], { cwd: tmp.dir });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/format:\s+native \(version \d+\)/);
    expect(text.stdout).toMatch(/commit:\s+4f7c2d1e9a0b3c5d7e9f1a2b4c6d8e0f1a3b5c7d/);
    expect(text.stdout).toMatch(/edges:\s+6/);
    expect(text.stdout).toMatch(/top 4 sources by fan-in[^\n]*\n\s+2\s+app\/models\/user\.rb\n\s+2\s+lib\/util\.rb\n/);

    const json = await runCli(['map', 'stats', fixture('gitlab-direct.json'), '--format', 'json'], { cwd: tmp.dir });
    expect(json.code).toBe(0);
    const s = JSON.parse(json.stdout) as Record<string, unknown>;
    const size = readFileSync(fixture('gitlab-direct.json')).length;
    expect(s).toMatchObject({
      format: 'gitlab-json',
      sources: 5,
      sourcesWithTests: 4,
      unusedSources: 1,
      tests: 3,
      edges: 6,
      bytes: size,
      filesWithBlocks: 0,
      topSources: [
        { source: 'app/models/user.rb', tests: 2 },
        { source: 'lib/util.rb', tests: 2 },
        { source: 'app/models/concerns/naming.rb', tests: 1 },
        { source: 'app/services/mailer.rb', tests: 1 },
      ],
    });
    expect(s.bytesPerEdge).toBeCloseTo(size / 6, 2);
  });

  it('stats without a path reads the nearest .testsift/map.json, from a package up to the repository root', async () => {
    mkdirSync(join(tmp.dir, '.git'));
    mkdirSync(join(tmp.dir, 'packages/shop/src'), { recursive: true });
    const none = await runCli(['map', 'stats'], { cwd: join(tmp.dir, 'packages/shop/src') });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('.testsift/map.json (looked from packages/shop/src up to the repository root)');
    const made = await runCli(['map', 'import', fixture('gitlab-direct.json'), '-o', 'packages/shop/.testsift/map.json', '--commit', 'a'.repeat(40)], { cwd: tmp.dir });
    expect(made.code, made.stderr).toBe(0);
    const r = await runCli(['map', 'stats', '--format', 'json'], { cwd: join(tmp.dir, 'packages/shop/src') });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ path: '../.testsift/map.json', format: 'native', edges: 6 });
  });

  it('stats on a corrupt map exits 2 naming it', async () => {
    const r = await runCli(['map', 'stats', fixture('corrupt/bad-packed-leaf.json')], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad-packed-leaf.json');
  });
});
