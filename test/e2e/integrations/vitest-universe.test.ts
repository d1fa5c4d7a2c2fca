/**
 * The runner's own test universe, recorded in the map (issue "real projects", item 4): the
 * monorepo fixture has a project of colocated `*.test-prop.ts` files (which the default `tests:`
 * globs miss) and a second workspace, tools/, whose `*.test.ts` is no test of this Vitest run
 * (which the default globs pick up). Without `tests:` in tests.yml, detect takes the recorded
 * universe: the new property test is a test, the other workspace's file is not.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readMapRecord } from '../../../src/mappings/coverage/index.js';
import { NO_CI, runCli } from '../../helpers/cli.js';
import { TempRepo } from '../../helpers/git.js';

const MAIN = fileURLToPath(new URL('../../..', import.meta.url));
const VITEST = join(MAIN, 'node_modules/vitest');

/** fixtures/monorepo in a fresh repo, testsift installed as a copy, plus a workspace Vitest does not run. */
function monorepo(): TempRepo {
  const repo = new TempRepo('testsift-universe-');
  cpSync(join(MAIN, 'fixtures/monorepo'), repo.root, { recursive: true });
  const nm = join(repo.root, 'node_modules');
  mkdirSync(join(nm, 'testsift'), { recursive: true });
  cpSync(join(MAIN, 'package.json'), join(nm, 'testsift/package.json'));
  cpSync(join(MAIN, 'dist'), join(nm, 'testsift/dist'), { recursive: true });
  symlinkSync(join(MAIN, 'node_modules'), join(nm, 'testsift/node_modules'), 'dir');
  symlinkSync(VITEST, join(nm, 'vitest'), 'dir');
  mkdirSync(join(nm, '@mono'));
  symlinkSync('../../packages/core', join(nm, '@mono/core'), 'dir');
  symlinkSync('../../packages/app', join(nm, '@mono/app'), 'dir');
  writeFileSync(join(repo.root, '.gitignore'), 'node_modules\n');
  // Another workspace with its own runner: its test is not one of this Vitest run's.
  repo.write({ 'tools/lint/rules.test.ts': "throw new Error('not a Vitest test of this repository');\n" });
  repo.commit('fixture');
  return repo;
}

function recordVitest(root: string): Promise<{ code: number; out: string }> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(VITEST|TESTSIFT_|NODE_OPTIONS$|TEST$)/.test(k)) env[k] = v;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(VITEST, 'vitest.mjs'), 'run'], {
      cwd: root,
      env: { ...env, NO_COLOR: '1', TESTSIFT_RECORD: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

async function detect(root: string, args: string[]): Promise<{ mode: string; tests: string[]; reasons: string[] }> {
  const r = await runCli(['detect', '--format', 'json', ...args], { cwd: root, env: NO_CI });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

const RECORDED = [
  'packages/app/test/greet.test.ts',
  'packages/core/src/math.test-prop.ts',
  ...['clamp', 'double', 'limit', 'plugins'].map((n) => `packages/core/test/${n}.test.ts`),
].sort();

describe('the Vitest test universe, recorded and used by detect', () => {
  let repo: TempRepo;
  beforeAll(async () => {
    repo = monorepo();
    const run = await recordVitest(repo.root);
    expect(run.code, run.out).toBe(0);
  });
  afterAll(() => repo.cleanup());

  test('the map stores each project include/exclude, relative to its repo-relative root', async () => {
    const record = await readMapRecord(join(repo.root, '.testsift/map.json'));
    const u = record.metadata.universe;
    expect(u?.runner).toBe('vitest');
    const projects = u!.projects as Array<{ name?: string; root: string; include: string[]; exclude: string[] }>;
    const byName = Object.fromEntries(projects.map((p) => [p.name, p]));
    expect(Object.keys(byName).sort()).toEqual(['app', 'core-prop', 'core-unit']);
    expect(byName['core-prop']).toMatchObject({ root: 'packages/core', include: ['src/**/*.test-prop.ts'] });
    expect(byName['core-unit']).toMatchObject({ root: 'packages/core', include: ['test/**/*.test.ts'] });
    expect(byName['app']).toMatchObject({ root: 'packages/app', include: ['test/**/*.test.ts'] });
    expect(byName['app']!.exclude).toContain('**/node_modules/**');
    // Every file the run collected is in the map's test table.
    expect([...record.tests].sort()).toEqual(RECORDED);
  });

  test('full mode: the runner universe, not another workspace test, with the property tests', async () => {
    const r = await detect(repo.root, ['--base', 'HEAD', '--label', 'pipeline:run-all-tests']);
    expect(r.mode).toBe('full');
    expect(r.tests).toEqual(RECORDED);
    expect(r.tests).not.toContain('tools/lint/rules.test.ts');
  });

  test('a new *.test-prop.ts file is a changed test: selected alone, not an unmapped change', async () => {
    repo.git('checkout', '-q', '-b', 'prop');
    repo.write({ 'packages/core/src/clamp.test-prop.ts': "import { expect, test } from 'vitest';\ntest('p', () => expect(1).toBe(1));\n" });
    repo.commit('new property test');
    const r = await detect(repo.root, ['--base', 'main']);
    expect(r.reasons).toEqual([]);
    expect(r.mode).toBe('selective');
    expect(r.tests).toEqual(['packages/core/src/clamp.test-prop.ts']);
    repo.git('checkout', '-q', 'main');
  });
});
