/**
 * Build output in recordings (src/integrations/shared/build-output.ts, source-map-file.ts): an
 * executed file git does not track is linked to the tracked sources its source map names, or,
 * when where it came from cannot be told, its test is left out of the map (always selected).
 * Real git repositories in temp folders; the maps are written by hand in each form tools emit.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { linkBuildOutput } from '../../../../src/integrations/shared/build-output.js';
import { writeRecording, type TestFileRecord } from '../../../../src/integrations/shared/recording.js';
import { sourceMapSources } from '../../../../src/integrations/shared/source-map-file.js';
import { readMapRecord } from '../../../../src/mappings/coverage/index.js';
import { TempRepo } from '../../../helpers/git.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** A repo with packages/a/src tracked and packages/a/dist ignored (written after the commit). */
function workspace(): TempRepo {
  const repo = new TempRepo('testsift-build-output-');
  cleanups.push(() => repo.cleanup());
  repo.write({
    '.gitignore': 'dist/\n',
    'packages/a/package.json': '{"name":"a"}\n',
    'packages/a/src/index.ts': "export * from './lib/x';\n",
    'packages/a/src/lib/x.ts': 'export const x = 1;\n',
    'packages/a/src/lib/x.test.ts': "import { x } from './x';\n",
    'packages/a/test/a.test.ts': "import '../src';\n",
    'packages/b/test/b.test.ts': "import 'a';\n",
    'README.md': '# ws\n',
  });
  repo.commit('ws');
  return repo;
}

const json = (o: unknown): string => JSON.stringify(o);
const inline = (map: unknown): string => `\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${Buffer.from(json(map)).toString('base64')}\n`;
const rec = (test: string, executed: string[], extra: Partial<TestFileRecord> = {}): TestFileRecord => ({ test, executed, read: [], seconds: 1, ...extra });

describe('sourceMapSources: every way a map is found', () => {
  test('inline base64 and URI-encoded data URLs, a linked .map, a .map beside the file without a comment', () => {
    const repo = workspace();
    const dist = join(repo.root, 'packages/a/dist');
    repo.write({
      'packages/a/dist/inline.js': `x()${inline({ version: 3, sources: ['../src/lib/x.ts'], mappings: 'AAAA' })}`,
      'packages/a/dist/uri.js': `x()\n//# sourceMappingURL=data:application/json,${encodeURIComponent(json({ version: 3, sources: ['../src/index.ts'], mappings: '' }))}\n`,
      'packages/a/dist/linked.js': 'x()\n//# sourceMappingURL=maps/linked.js.map',
      // A map's sources are relative to the map, with sourceRoot before them.
      'packages/a/dist/maps/linked.js.map': json({ version: 3, sourceRoot: '../../src', sources: ['lib/x.ts', 'index.ts'], mappings: '' }),
      'packages/a/dist/hidden.js': 'x()\n',
      'packages/a/dist/hidden.js.map': json({ version: 3, sources: [pathToFileURL(join(repo.root, 'packages/a/src/lib/x.ts')).href], mappings: '' }),
    });
    const src = (p: string) => join(repo.root, 'packages/a/src', p);
    expect(sourceMapSources(join(dist, 'inline.js'))).toEqual({ sources: [src('lib/x.ts')], map: join(dist, 'inline.js') });
    expect(sourceMapSources(join(dist, 'uri.js'))).toMatchObject({ sources: [src('index.ts')] });
    expect(sourceMapSources(join(dist, 'linked.js'))).toEqual({ sources: [src('lib/x.ts'), src('index.ts')], map: join(dist, 'maps/linked.js.map') });
    expect(sourceMapSources(join(dist, 'hidden.js'))).toMatchObject({ sources: [src('lib/x.ts')] });
  });

  test('index maps (sections); the last comment wins', () => {
    const repo = workspace();
    const sections = { version: 3, sections: [{ offset: { line: 0, column: 0 }, map: { version: 3, sources: ['../src/index.ts'], mappings: '' } }] };
    repo.write({ 'packages/a/dist/i.js': `//# sourceMappingURL=nowhere.map\nx()${inline(sections)}` });
    expect(sourceMapSources(join(repo.root, 'packages/a/dist/i.js'))).toMatchObject({ sources: [join(repo.root, 'packages/a/src/index.ts')] });
  });

  test('no usable map: each problem said', () => {
    const repo = workspace();
    repo.write({
      'packages/a/dist/none.js': 'x()\n',
      'packages/a/dist/missing.js': 'x()\n//# sourceMappingURL=missing.js.map\n',
      'packages/a/dist/bad.js': 'x()\n//# sourceMappingURL=bad.js.map\n',
      'packages/a/dist/bad.js.map': '{not json',
      'packages/a/dist/webpack.js': `x()${inline({ version: 3, sources: ['webpack://a/./src/index.ts'], mappings: '' })}`,
      'packages/a/dist/remote.js': 'x()\n//# sourceMappingURL=https://cdn.example/x.js.map\n',
    });
    const problem = (f: string) => {
      const r = sourceMapSources(join(repo.root, 'packages/a/dist', f));
      return 'problem' in r ? r.problem : undefined;
    };
    expect(problem('none.js')).toBe('no source map (no sourceMappingURL comment, no .map file beside it)');
    expect(problem('missing.js')).toMatch(/^its source map .*missing\.js\.map cannot be read \(ENOENT\)$/);
    expect(problem('bad.js')).toMatch(/^its source map is not valid JSON/);
    expect(problem('webpack.js')).toBe('its source map names a source outside the file system (webpack://a/./src/index.ts)');
    expect(problem('remote.js')).toBe('its sourceMappingURL https://cdn.example/x.js.map is not a local file');
  });
});

describe('linkBuildOutput', () => {
  test('links to the tracked sources, their folders up to the package root (barrels, package.json), not tests', () => {
    const repo = workspace();
    repo.write({ 'packages/a/dist/index.js': `x()${inline({ version: 3, sources: ['../src/lib/x.ts', '../../../node_modules/dep/index.js'], mappings: '' })}` });
    const records = [
      rec('packages/b/test/b.test.ts', ['packages/a/dist/index.js', 'packages/b/test/b.test.ts']),
      rec('packages/a/test/a.test.ts', ['packages/a/src/index.ts']),
      rec('packages/a/src/lib/x.test.ts', ['packages/a/src/lib/x.ts']),
    ];
    const { records: out, messages } = linkBuildOutput(records, repo.root);
    // x.ts from the map; index.ts (src/) and package.json (the package root) from the folders above;
    // not x.test.ts beside it (a test file of this run), not README.md (above the package root), not the dependency.
    expect(out[0]!.viaSourceMaps).toEqual(['packages/a/package.json', 'packages/a/src/index.ts', 'packages/a/src/lib/x.ts']);
    expect(out[0]!.timingOnly).toBeUndefined();
    expect(out[1]).toBe(records[1]);
    expect(messages).toEqual([{ warning: false, text: expect.stringContaining('1 test file(s) executed or read 1 file(s) git does not track (build output)') }]);
    expect(messages[0]!.text).toContain('packages/a/dist/index.js → packages/a/src/lib/x.ts');
  });

  test('a map with no sources (a helper chunk, a re-export-only entry) links to the package that built it', () => {
    const repo = workspace();
    repo.write({ 'packages/a/dist/chunk-X.js': `var __name = () => {};${inline({ version: 3, sources: [], mappings: '' })}` });
    const { records: out, messages } = linkBuildOutput([rec('packages/b/test/b.test.ts', ['packages/a/dist/chunk-X.js'])], repo.root);
    expect(out[0]!.viaSourceMaps).toEqual(['packages/a/package.json']);
    expect(messages[0]!.text).toContain('packages/a/dist/chunk-X.js → no sources (bundler glue): its package');
  });

  test('unknown origin: the test becomes timing-only; one warning names the files and why', () => {
    const repo = workspace();
    repo.write({
      'packages/a/dist/plain.js': 'x()\n',
      'packages/a/dist/far.js': `x()${inline({ version: 3, sources: ['/somewhere/else/x.ts'], mappings: '' })}`,
      'packages/a/dist/virtual.js': `x()${inline({ version: 3, sources: ['\u0000commonjsHelpers.js'], mappings: '' })}`,
    });
    const records = [
      rec('packages/b/test/b.test.ts', ['packages/a/dist/plain.js'], { read: ['packages/b/data.json'], blocks: [] }),
      rec('packages/b/test/c.test.ts', ['packages/a/dist/far.js', 'packages/a/dist/virtual.js']),
    ];
    const { records: out, messages } = linkBuildOutput(records, repo.root);
    expect(out.map((r) => [r.test, r.timingOnly, r.executed, r.read, r.seconds])).toEqual([
      ['packages/b/test/b.test.ts', true, [], [], 1],
      ['packages/b/test/c.test.ts', true, [], [], 1],
    ]);
    expect(messages.map((m) => m.warning)).toEqual([true]);
    const warning = messages[0]!.text;
    expect(warning).toContain('WARNING: 2 test file(s) executed or read 3 file(s) git does not track whose sources are unknown');
    expect(warning).toContain('packages/a/dist/far.js: its source map names /somewhere/else/x.ts, outside the repository');
    expect(warning).toContain('packages/a/dist/plain.js: no source map');
    expect(warning).toContain('packages/a/dist/virtual.js: its source map names packages/a/dist/\u0000commonjsHelpers.js, which is not in the repository');
    expect(warning).toContain('detect always selects them: packages/b/test/b.test.ts, packages/b/test/c.test.ts');
  });

  test('reads count as executed: a browser bundle read and evaluated is linked; an untracked file read without a map is unknown', () => {
    const repo = workspace();
    repo.write({
      'packages/a/dist/iife/index.global.js': `x()${inline({ version: 3, sources: ['../../src/lib/x.ts'], mappings: '' })}`,
      'packages/b/out/report.txt': 'written by some earlier step\n',
    });
    const { records: out, messages } = linkBuildOutput(
      [
        rec('packages/b/test/browser.test.ts', [], { read: ['packages/a/dist/iife/index.global.js'] }),
        rec('packages/b/test/report.test.ts', ['packages/a/src/lib/x.ts'], { read: ['packages/b/out/report.txt'] }),
      ],
      repo.root,
    );
    expect(out[0]!.viaSourceMaps).toContain('packages/a/src/lib/x.ts');
    expect(out[1]!.timingOnly).toBe(true);
    expect(messages[1]!.text).toContain('packages/b/out/report.txt: no source map');
  });

  test('a chain of maps is followed to tracked sources; an untracked link without a map is unknown', () => {
    const repo = workspace();
    repo.write({
      'packages/a/dist/esm/index.js': `x()${inline({ version: 3, sources: ['../../src/lib/x.ts'], mappings: '' })}`,
      'packages/a/dist/index.js': `x()${inline({ version: 3, sources: ['esm/index.js'], mappings: '' })}`,
      'packages/a/dist/gen.js': 'x()\n',
      'packages/a/dist/uses-gen.js': `x()${inline({ version: 3, sources: ['gen.js'], mappings: '' })}`,
    });
    const { records: out } = linkBuildOutput(
      [rec('packages/b/test/b.test.ts', ['packages/a/dist/index.js']), rec('packages/b/test/c.test.ts', ['packages/a/dist/uses-gen.js'])],
      repo.root,
    );
    expect(out[0]!.viaSourceMaps).toContain('packages/a/src/lib/x.ts');
    expect(out[1]!.timingOnly).toBe(true);
  });

  test('left alone: tracked files, the test file itself when untracked, files gone by the end of the run, outside a repository', () => {
    const repo = workspace();
    repo.write({ 'packages/b/test/new.test.ts': 'new test, not committed yet\n' });
    const records = [
      rec('packages/b/test/new.test.ts', ['packages/b/test/new.test.ts', 'packages/a/src/lib/x.ts', 'packages/b/tmp/written-then-removed.js']),
      rec('t.test.ts', [], { timingOnly: true }),
    ];
    expect(linkBuildOutput(records, repo.root)).toEqual({ records, messages: [] });
    const plain = mkdtempSync(join(tmpdir(), 'testsift-no-repo-'));
    cleanups.push(() => rmSync(plain, { recursive: true, force: true }));
    writeFileSync(join(plain, 'out.js'), 'x()\n');
    const outside = [rec('t.test.ts', ['out.js'])];
    expect(linkBuildOutput(outside, plain)).toEqual({ records: outside, messages: [] });
  });
});

describe('writeRecording with build output', () => {
  test('linked sources are file-level edges even where the test has block data for them; the warning goes to log', async () => {
    const repo = workspace();
    repo.write({ 'packages/a/dist/index.js': `x()${inline({ version: 3, sources: ['../src/lib/x.ts'], mappings: '' })}` });
    const table = [
      { id: 0, name: '', start: 1, end: 1 },
      { id: 1, name: 'f', start: 1, end: 1 },
    ];
    const logged: string[] = [];
    const written = await writeRecording(
      [
        // b.test.ts imports x.ts directly too (block data) and through the build (no block data).
        rec('packages/b/test/b.test.ts', ['packages/a/dist/index.js', 'packages/a/src/lib/x.ts'], {
          blocks: [{ source: 'packages/a/src/lib/x.ts', blocks: table, executed: [0] }],
        }),
        rec('packages/a/test/a.test.ts', ['packages/a/src/lib/x.ts'], { blocks: [{ source: 'packages/a/src/lib/x.ts', blocks: table, executed: [0, 1] }] }),
      ],
      { root: repo.root, mapPath: join(repo.root, '.testsift/map.json'), timingsPath: join(repo.root, '.testsift/t.json'), runner: 'vitest', log: (m) => logged.push(m) },
    );
    const record = await readMapRecord(written.mapPath);
    const row = (p: string) => [...(record.rows.get(p) ?? [])].map((i) => record.tests[i]).sort();
    expect(row('packages/a/src/lib/x.ts')).toEqual(['packages/a/test/a.test.ts', 'packages/b/test/b.test.ts']);
    expect(row('packages/a/src/index.ts')).toEqual(['packages/b/test/b.test.ts']);
    // Block data kept for a.test.ts only: b.test.ts is at file level for x.ts (any change selects it).
    const executed = record.blocks!.get('packages/a/src/lib/x.ts')!.executed;
    expect([...executed.keys()].map((i) => record.tests[i])).toEqual(['packages/a/test/a.test.ts']);
    expect(logged).toEqual([expect.stringContaining('git does not track (build output)')]);
  });
});
