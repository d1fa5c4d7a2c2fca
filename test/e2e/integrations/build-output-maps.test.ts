/**
 * A workspace package used through its BUILT output (the sapphiredev/utilities case, docs/quality.md):
 * packages/b's test imports `a` by name, which resolves through the workspace symlink
 * node_modules/a to packages/a/dist (git-ignored, built before testing). Recorded with the real
 * Vitest plugin and the real Jest hooks, a change to packages/a/src/x.ts must select b's test:
 * the recorder links executed build output to the tracked sources its source map names. A build
 * without source maps leaves b's test of unknown origin: left out of the map, always selected.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readMapRecord } from '../../../src/mappings/coverage/index.js';
import { runJson } from '../../helpers/cli.js';
import { TempRepo } from '../../helpers/git.js';
import { cleanEnv } from '../../helpers/run-env.js';

const MAIN = join(import.meta.dirname, '..', '..', '..');
const NM = join(MAIN, 'node_modules');
const A_TEST = 'packages/a/test/x.test.ts';
const B_TEST = 'packages/b/test/use-a.test.ts';

const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'ws', private: true, workspaces: ['packages/*'] }, null, 2),
  // dist/ is build output: git never sees it, so no diff ever names it.
  '.gitignore': 'node_modules/\ndist/\n.testsift/\n',
  'babel.config.js': "module.exports = { presets: [['@babel/preset-env', { targets: { node: 'current' } }], '@babel/preset-typescript'] };\n",
  'jest.config.js':
    "const { withTestsift } = require('testsift/jest');\n" +
    "module.exports = withTestsift({ testEnvironment: 'node', testMatch: ['<rootDir>/packages/*/test/**/*.test.ts'] });\n",
  'vitest.config.mjs':
    "import { defineConfig } from 'vitest/config';\nimport testsift from 'testsift/vitest';\n" +
    "export default defineConfig({ plugins: [testsift()], test: { include: ['packages/*/test/**/*.test.ts'], globals: true } });\n",
  // `import` gets the ES build (inline source map), `require` the CommonJS one (a .map beside it).
  'packages/a/package.json': JSON.stringify(
    { name: 'a', version: '1.0.0', main: './dist/index.cjs', exports: { '.': { import: './dist/index.mjs', require: './dist/index.cjs' } } },
    null,
    2,
  ),
  'packages/a/src/index.ts': "export { twice } from './x';\nexport { greet } from './y';\n",
  'packages/a/src/x.ts': 'export function twice(n: number): number {\n  return n * 2;\n}\n',
  'packages/a/src/y.ts': 'export function greet(name: string): string {\n  return `hi ${name}`;\n}\n',
  // a's own test imports its sources directly (so the map knows src/x.ts).
  [A_TEST]: "import { twice } from '../src/x';\n\ntest('twice', () => {\n  expect(twice(2)).toBe(4);\n});\n",
  'packages/b/package.json': JSON.stringify({ name: 'b', version: '1.0.0', dependencies: { a: '1.0.0' } }, null, 2),
  [B_TEST]: "import { twice } from 'a';\n\ntest('b uses a through its build', () => {\n  expect(twice(21)).toBe(42);\n});\n",
};

/** The tiny build step a monorepo runs before its tests: esbuild, ES and CommonJS, maps optional. */
function buildA(root: string, sourcemap: boolean): void {
  rmSync(join(root, 'packages/a/dist'), { recursive: true, force: true });
  const common = { entryPoints: [join(root, 'packages/a/src/index.ts')], bundle: true, platform: 'node' as const, logLevel: 'silent' as const };
  buildSync({ ...common, format: 'esm', outfile: join(root, 'packages/a/dist/index.mjs'), sourcemap: sourcemap ? 'inline' : false });
  buildSync({ ...common, format: 'cjs', outfile: join(root, 'packages/a/dist/index.cjs'), sourcemap: sourcemap ? 'linked' : false });
}

class Workspace {
  readonly repo = new TempRepo('testsift-dist-maps-');
  private readonly cache = mkdtempSync(join(tmpdir(), 'testsift-dist-maps-cache-'));

  constructor() {
    this.repo.write(FILES);
    const link = (name: string, target: string): void => {
      const at = join(this.root, 'node_modules', name);
      mkdirSync(dirname(at), { recursive: true });
      symlinkSync(target, at, 'dir');
    };
    link('testsift', MAIN);
    link('vitest', join(NM, 'vitest'));
    link('jest', join(NM, 'jest'));
    link('babel-jest', join(NM, 'babel-jest'));
    link('@babel/preset-env', join(NM, '@babel/preset-env'));
    link('@babel/preset-typescript', join(NM, '@babel/preset-typescript'));
    // npm workspaces link each package into node_modules: `a` resolves to packages/a (its dist).
    symlinkSync('../packages/a', join(this.root, 'node_modules/a'), 'dir');
    this.repo.commit('workspace');
  }

  get root(): string {
    return this.repo.root;
  }

  private spawn(argv: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, argv, { cwd: this.root, env: cleanEnv({ ...env, TESTSIFT_RECORD: '1' }), stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
      child.stderr.setEncoding('utf8').on('data', (d) => (out += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? 1, out }));
    });
  }

  recordVitest(map: string): Promise<{ code: number; out: string }> {
    return this.spawn([join(this.root, 'node_modules/vitest/vitest.mjs'), 'run'], { TESTSIFT_MAP_OUT: map, TESTSIFT_TIMINGS_OUT: `${map}.timings.json` });
  }

  recordJest(map: string): Promise<{ code: number; out: string }> {
    return this.spawn([join(this.root, 'node_modules/jest/bin/jest.js'), '--ci', '-w', '1', `--cacheDirectory=${join(this.cache, 'jest')}`], {
      TESTSIFT_MAP_OUT: map,
      TESTSIFT_TIMINGS_OUT: `${map}.timings.json`,
    });
  }

  /** test → the files the map links it to. */
  async rows(map: string): Promise<Record<string, string[]>> {
    const record = await readMapRecord(join(this.root, map));
    const out: Record<string, string[]> = {};
    for (const t of record.tests) out[t] = [];
    for (const [source, ids] of record.rows) for (const i of ids) out[record.tests[i]!]!.push(source);
    for (const k of Object.keys(out)) out[k]!.sort();
    return out;
  }

  /** `testsift detect` for an uncommitted edit of a file (undone after): packages/a/src/x.ts by default. */
  async detectChange(
    map: string,
    path = 'packages/a/src/x.ts',
    edit = (text: string) => text.replace('n * 2', 'n + n'),
  ): Promise<{ tests: string[]; selection: Array<{ test: string; because: Array<{ strategy: string }> }> }> {
    const file = join(this.root, path);
    const before = readFileSync(file, 'utf8');
    writeFileSync(file, edit(before));
    try {
      const { json } = await runJson(['detect', '--base', 'HEAD', '--include-uncommitted', '--coverage-map', map], this.root);
      return json;
    } finally {
      writeFileSync(file, before);
    }
  }

  cleanup(): void {
    this.repo.cleanup();
    rmSync(this.cache, { recursive: true, force: true });
  }
}

describe.each(['vitest', 'jest'] as const)('build output of a workspace package, recorded with %s', (runner) => {
  let ws: Workspace;
  let mapped: { code: number; out: string };
  let unmapped: { code: number; out: string };
  const record = (map: string) => (runner === 'vitest' ? ws.recordVitest(map) : ws.recordJest(map));
  beforeAll(async () => {
    ws = new Workspace();
    buildA(ws.root, true);
    mapped = await record('.testsift/with-maps.json');
    buildA(ws.root, false);
    unmapped = await record('.testsift/no-maps.json');
  }, 120_000);
  afterAll(() => ws.cleanup());

  test('source-mapped build output links the test to the tracked sources; a change to src selects it', async () => {
    expect(mapped.code, mapped.out).toBe(0);
    const rows = await ws.rows('.testsift/with-maps.json');
    // x.ts and y.ts from the map; index.ts (only re-exports, so esbuild names it in no mapping)
    // and package.json as files of the sources' folders up to the package root; not a's test.
    expect(rows[B_TEST]).toEqual(expect.arrayContaining(['packages/a/package.json', 'packages/a/src/index.ts', 'packages/a/src/x.ts', 'packages/a/src/y.ts']));
    expect(rows[B_TEST]).not.toContain(A_TEST);
    expect(rows[A_TEST]).toContain('packages/a/src/x.ts');
    expect(mapped.out).toContain('git does not track (build output): linked to the tracked sources');
    expect(mapped.out).not.toContain('WARNING');
    const sel = await ws.detectChange('.testsift/with-maps.json');
    expect(sel.tests).toEqual([A_TEST, B_TEST]);
    expect(sel.selection.find((s) => s.test === B_TEST)?.because.map((b) => b.strategy)).toEqual(['coverage-map']);
    // A barrel change (here: one more export) changes the build too.
    const barrel = await ws.detectChange('.testsift/with-maps.json', 'packages/a/src/index.ts', (t) => `${t}export const VERSION = 2;\n`);
    expect(barrel.tests).toContain(B_TEST);
  });

  test('build output without a source map: warned once, the test is left out of the map and always selected', async () => {
    expect(unmapped.code, unmapped.out).toBe(0);
    const dist = runner === 'vitest' ? 'packages/a/dist/index.mjs' : 'packages/a/dist/index.cjs';
    expect(unmapped.out.split('test file(s) executed or read').length - 1, unmapped.out).toBe(1);
    expect(unmapped.out).toContain(`WARNING: 1 test file(s) executed or read 1 file(s) git does not track whose sources are unknown (${dist}: no source map`);
    expect(unmapped.out).toContain(`detect always selects them: ${B_TEST}`);
    const rows = await ws.rows('.testsift/no-maps.json');
    expect(Object.keys(rows)).toEqual([A_TEST]);
    // Its time is still known, for sharding.
    expect(Object.keys(JSON.parse(readFileSync(join(ws.root, '.testsift/no-maps.json.timings.json'), 'utf8'))).sort()).toEqual([A_TEST, B_TEST]);
    const sel = await ws.detectChange('.testsift/no-maps.json');
    expect(sel.tests).toEqual([A_TEST, B_TEST]);
    expect(sel.selection.find((s) => s.test === B_TEST)?.because.map((b) => b.strategy)).toEqual(['unrecorded-test']);
  });
});
