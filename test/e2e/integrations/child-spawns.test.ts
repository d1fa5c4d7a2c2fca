/**
 * The child_process wrappers of shared/child-spawns.ts in this (forked, isolated) worker, read back
 * by shared/child-coverage.ts: every way a test starts a Node child is followed, the callers'
 * results are unchanged, and what cannot be followed is named.
 */
import * as cp from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SHARE_ENV, Worker } from 'node:worker_threads';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { installChildTracker } from '../../../src/integrations/shared/child-spawns.js';
import { readChildCoverage } from '../../../src/integrations/shared/child-coverage.js';

let root: string;
let base: string;
const TEST = '/virtual/forms.test.ts';
const saved = process.env.NODE_V8_COVERAGE;

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'testsift-child-forms-')));
  base = join(root, '.children');
  mkdirSync(join(root, 'bin'));
  for (const name of ['exec-file', 'exec', 'exec-sync', 'promisified', 'fork', 'spawn-sync', 'shell', 'own']) {
    writeFileSync(join(root, 'bin', `${name}.cjs`), `process.stdout.write(${JSON.stringify(name)});\n`);
  }
  for (const name of ['thread', 'thread-terminated', 'thread-own-env', 'thread-shared-env']) {
    writeFileSync(join(root, 'bin', `${name}.cjs`), "require('node:worker_threads').parentPort.postMessage('up');\nsetTimeout(() => {}, 200);\n");
  }
  installChildTracker(base, root).begin(TEST);
});
afterAll(() => {
  if (saved === undefined) delete process.env.NODE_V8_COVERAGE;
  else process.env.NODE_V8_COVERAGE = saved;
  rmSync(root, { recursive: true, force: true });
});

const node = JSON.stringify(process.execPath);

test('every child_process form is followed, with results unchanged; an own NODE_V8_COVERAGE and a failed spawn are told apart', async () => {
  const bin = (n: string): string => join(root, 'bin', `${n}.cjs`);
  expect(cp.execFileSync(process.execPath, [bin('exec-file')], { encoding: 'utf8' })).toBe('exec-file');
  expect(await new Promise((r) => cp.exec(`${node} ${bin('exec')}`, (_e, out) => r(out)))).toBe('exec');
  expect(cp.execSync(`${node} ${bin('exec-sync')}`, { cwd: root }).toString()).toBe('exec-sync');
  expect((await promisify(cp.execFile)(process.execPath, [bin('promisified')])).stdout).toBe('promisified');
  const forked = cp.fork(bin('fork'), { silent: true });
  expect(await new Promise((r) => forked.on('exit', r))).toBe(0);
  expect(cp.spawnSync(process.execPath, [bin('spawn-sync')], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } }).stdout).toBe('spawn-sync');
  expect(cp.spawnSync(`${node} ${bin('shell')}`, { shell: true, encoding: 'utf8' }).stdout).toBe('shell');
  // Its own coverage folder: left alone, and so not followed.
  const own = join(root, '.own');
  expect(cp.execFileSync(process.execPath, [bin('own')], { encoding: 'utf8', env: { ...process.env, NODE_V8_COVERAGE: own } })).toBe('own');
  // Not Node, and a repo script that does not exist (it looks like Node, but no process started):
  // neither is expected to leave coverage.
  expect(cp.execFileSync('git', ['--version'], { encoding: 'utf8' })).toMatch(/git version/);
  const missing = cp.spawn(join(root, 'bin', 'missing.js'));
  expect(await new Promise((r) => missing.on('error', (e: NodeJS.ErrnoException) => r(e.code)))).toBe('ENOENT');

  const got = readChildCoverage(base).get(TEST);
  expect(got).toBeDefined();
  const ran = [...got!.executed].filter((f) => f.startsWith(root)).sort();
  expect(ran).toEqual(['exec', 'exec-file', 'exec-sync', 'fork', 'promisified', 'shell', 'spawn-sync'].map(bin).sort());
  expect(got!.unfollowed).toHaveLength(1);
  expect(got!.unfollowed[0]).toContain('own.cjs');
});

test('worker threads are followed (their own NODE_V8_COVERAGE), a terminated one too; one sharing the env is named', async () => {
  const THREADS = '/virtual/threads.test.ts';
  installChildTracker(base, root).begin(THREADS);
  const bin = (n: string): string => join(root, 'bin', `${n}.cjs`);
  const run = (n: string, terminate: boolean, env?: Record<string, string> | typeof SHARE_ENV): Promise<number> =>
    new Promise((resolve, reject) => {
      const w = new Worker(bin(n), env ? { env } : {});
      w.once('message', () => {
        if (terminate) void w.terminate();
      });
      w.once('error', reject);
      w.once('exit', resolve);
    });
  expect(await run('thread', false)).toBe(0);
  expect(await run('thread-terminated', true)).toBe(1);
  // An env of its own (without NODE_V8_COVERAGE): only the follower's env gets its coverage out.
  expect(await run('thread-own-env', false, { LANG: 'C' })).toBe(0);
  // SHARE_ENV: no env of its own to name a folder in. Its coverage may land in the test's inherit
  // folder (the process env names it here), but that is not certain: it is named as not followed.
  expect(await run('thread-shared-env', false, SHARE_ENV)).toBe(0);
  const got = readChildCoverage(base).get(THREADS);
  expect(got).toBeDefined();
  // Node writes a thread's coverage at its end, terminate() included.
  expect([...got!.executed].filter((f) => f.startsWith(join(root, 'bin'))).sort()).toEqual(
    [bin('thread'), bin('thread-own-env'), bin('thread-shared-env'), bin('thread-terminated')].sort(),
  );
  expect(got!.unfollowed).toEqual([`new Worker(${bin('thread-shared-env')})`]);
  expect(got!.children).toBeGreaterThanOrEqual(3);
});
