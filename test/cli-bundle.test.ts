// The installed bins run dist/bin/cli.cjs with the V8 code cache the build trained for it. The
// cache must be used when it fits, and must never matter for what the CLI does when it does not
// fit: another bundle's cache, a corrupt one, none at all.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const bundle = join(dist, 'bin', 'cli.cjs');
const CACHE = '.v8-cache';
const loader = join(dist, 'cli', 'bundle', 'load.cjs');
const work = mkdtempSync(join(tmpdir(), 'testsift-bundle-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** In a plain `node` (the flags the cache was made under): load `file`, report, run `testsift argv`. */
function loadIn(file: string, argv: string[]): { codeCache: string; id: string; code: number; stdout: string } {
  const script = `
    const { loadBundle } = await import(${JSON.stringify(loader)});
    const b = loadBundle(${JSON.stringify(file)});
    let stdout = '';
    const io = { cwd: process.cwd(), env: {}, stdout: (t) => { stdout += t; }, stderr: () => {}, readStdin: async () => '' };
    const code = await b.exports.bins.testsift(${JSON.stringify(argv)}, io);
    console.log(JSON.stringify({ codeCache: b.codeCache, id: b.id, code, stdout }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  return JSON.parse(out);
}

/** A copy of the bundle in its own folder, with `cache` (bytes) or none as its cache file. */
function copyWith(name: string, cache: Buffer | undefined, source = readFileSync(bundle, 'utf8')): string {
  const dir = join(work, name, 'bin');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'cli.cjs');
  writeFileSync(file, source);
  if (cache) writeFileSync(file + CACHE, cache);
  return file;
}

const pkgVersion = JSON.parse(readFileSync(join(dist, '..', 'package.json'), 'utf8')).version as string;
const helpOf = (r: { stdout: string }) => r.stdout.split('\n')[0];

describe('the bundled CLI and its code cache', () => {
  it('the built bundle names itself and V8 accepts the cache the build trained', () => {
    const r = loadIn(bundle, ['--version']);
    expect(r.id).toMatch(/^[0-9a-f]{64}$/);
    expect(r.codeCache).toBe('accepted');
    expect(r).toMatchObject({ code: 0, stdout: `${pkgVersion}\n` });
  });

  it('the bundle is ASCII, so V8 keeps its source one byte a character', () => {
    const bytes = readFileSync(bundle);
    // (the build escapes the arrows and dashes of comments, and fails on any other non-ASCII)
    expect(bytes.findIndex((b) => b > 0x7f)).toBe(-1);
  });

  it('the bins run from the bundle', async () => {
    const r = await runCli(['--version']);
    expect(r).toMatchObject({ code: 0, stdout: `${pkgVersion}\n` });
    const d = await runCli(['--help'], { bin: join(dist, 'bin', 'detect-tests.cjs') });
    expect(d.code).toBe(0);
    expect(d.stdout).toContain('detect-tests');
  });

  it("package.json's bins exist, are executable scripts, and work through a symlink as npm links them", async () => {
    const pkg = JSON.parse(readFileSync(join(dist, '..', 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(Object.keys(pkg.bin).sort()).toEqual(['detect-tests', 'testsift']);
    for (const [name, rel] of Object.entries(pkg.bin)) {
      const file = join(dist, '..', rel);
      expect(readFileSync(file, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
      expect(statSync(file).mode & 0o111).not.toBe(0);
      const link = join(work, 'node_modules', '.bin', name);
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(file, link);
      // Run as the shell would run node_modules/.bin/NAME: through its shebang.
      const out = execFileSync(link, ['--version'], { encoding: 'utf8' });
      expect(out).toBe(`${pkgVersion}\n`);
    }
  });

  const reference = () => helpOf(loadIn(bundle, ['shard', '--help']));

  it('without a cache file the bundle compiles from source and works the same', () => {
    const r = loadIn(copyWith('none', undefined), ['shard', '--help']);
    expect(r.codeCache).toBe('absent');
    expect(r.code).toBe(0);
    expect(helpOf(r)).toBe(reference());
  });

  it("a cache made for another bundle is not used (V8 itself checks only the source's length)", () => {
    const cache = readFileSync(bundle + CACHE);
    const source = readFileSync(bundle, 'utf8');
    const id = /testsift-bundle-id=([0-9a-f]{64})/.exec(source)![1];
    // Same length, another id: only the id tells them apart.
    const other = id.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const r = loadIn(copyWith('other-id', cache, source.replace(id, other)), ['shard', '--help']);
    expect(r.codeCache).toBe('absent');
    expect(r.code).toBe(0);
    expect(helpOf(r)).toBe(reference());
  });

  it('a corrupt cache is rejected by V8 and the bundle still works', () => {
    const cache = readFileSync(bundle + CACHE);
    const header = cache.indexOf(0x0a) + 1;
    const corrupt = Buffer.concat([cache.subarray(0, header), Buffer.alloc(4096, 0xa5)]);
    const r = loadIn(copyWith('corrupt', corrupt), ['shard', '--help']);
    expect(r.codeCache).toBe('rejected');
    expect(r.code).toBe(0);
    expect(helpOf(r)).toBe(reference());
  });

  it('a bundle without an id line uses no cache, even with one next to it', () => {
    const source = readFileSync(bundle, 'utf8').replace(/\/\/# testsift-bundle-id=.*\n$/, '');
    const r = loadIn(copyWith('no-id', readFileSync(bundle + CACHE), source), ['shard', '--help']);
    expect(r.codeCache).toBe('absent');
    expect(r.id).toBe('');
    expect(helpOf(r)).toBe(reference());
  });

  it('a copy of bundle and cache in another folder still uses the cache (keyed to content, not path)', () => {
    const file = copyWith('same', readFileSync(bundle + CACHE));
    copyFileSync(bundle, file);
    expect(loadIn(file, ['--version']).codeCache).toBe('accepted');
  });
});
