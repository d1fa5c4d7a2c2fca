// The installed bins are tiny CommonJS files that turn on Node's compile cache where Node has one
// (module.enableCompileCache, 22.1+) and then require the one bundle, dist/bin/cli.cjs. The cache
// must be on before the bundle is compiled, and must never matter for what the CLI does.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

const dist = fileURLToPath(new URL('../../../dist/', import.meta.url));
const bundle = join(dist, 'bin', 'cli.cjs');
const work = mkdtempSync(join(tmpdir(), 'testsift-bundle-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const pkgVersion = JSON.parse(readFileSync(join(dist, '..', 'package.json'), 'utf8')).version as string;
const BINS = ['testsift', 'detect-tests'] as const;

/**
 * Run a bin with `preload` (CommonJS source) required first, as `node --require`: it replaces
 * module.enableCompileCache, so the test sees the same on Node 20 (which has none) and on 22+.
 */
function runWith(bin: string, preload: string): string {
  const file = join(work, `preload-${Math.random().toString(36).slice(2)}.cjs`);
  writeFileSync(file, preload);
  const env = { ...process.env, NODE_OPTIONS: '' };
  return execFileSync(process.execPath, ['--require', file, join(dist, 'bin', `${bin}.cjs`), '--version'], { encoding: 'utf8', env });
}

describe('the bundled CLI', () => {
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

  it('each bin turns on the compile cache once, before the bundle is loaded, where Node has one', () => {
    for (const bin of BINS) {
      // Prints, at exit, each call and whether the bundle had been loaded by then (and at exit).
      const out = runWith(
        bin,
        `const m = require('node:module');
         const calls = [];
         m.enableCompileCache = (...args) => { calls.push({ args, bundleLoaded: ${JSON.stringify(bundle)} in require.cache }); return { status: 1 }; };
         process.on('exit', () => process.stdout.write('CALLS ' + JSON.stringify(calls) + ' ' + (${JSON.stringify(bundle)} in require.cache) + '\\n'));`,
      );
      expect(out).toBe(`${pkgVersion}\nCALLS [{"args":[],"bundleLoaded":false}] true\n`);
    }
  });

  it('a bin works the same when Node has no compile cache (Node 20) or when turning it on throws', () => {
    for (const bin of BINS) {
      expect(runWith(bin, `delete require('node:module').enableCompileCache;`)).toBe(`${pkgVersion}\n`);
      expect(runWith(bin, `require('node:module').enableCompileCache = () => { throw new Error('no cache here'); };`)).toBe(`${pkgVersion}\n`);
    }
  });

  it('the package ships no prebuilt V8 code cache: dist/bin is the bundle, the two bins and the licences', () => {
    expect(readdirSync(join(dist, 'bin')).sort()).toEqual(['THIRD-PARTY-LICENSES.txt', 'cli.cjs', 'detect-tests.cjs', 'testsift.cjs']);
  });
});
