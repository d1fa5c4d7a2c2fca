/**
 * Tests that run the code under test in a child process (a CLI run with execFileSync, spawn with
 * a custom env, a child killed before it exits), recorded by the real Vitest plugin: the map
 * must link them to what the child ran, and a test whose Node child left no coverage must be
 * always selected, with a warning. Found on kazupon/gunshi (docs/quality.md), where such tests
 * were silently not selected for a change to the code their child ran.
 */
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TempRepo } from '../../helpers/git.js';
import { NO_CI, runCli } from '../../helpers/cli.js';
import { runNodeScript } from '../../helpers/spawn-node.js';

const MAIN = fileURLToPath(new URL('../../..', import.meta.url));
const VITEST_BIN = join(MAIN, 'node_modules/vitest/vitest.mjs');

function runVitest(root: string, env: Record<string, string>): Promise<{ code: number; out: string }> {
  return runNodeScript(VITEST_BIN, ['run'], root, env);
}

const FILES: Record<string, string> = {
  'package.json': '{ "name": "children-fixture", "private": true, "type": "module" }\n',
  '.gitignore': 'node_modules/\n.testsift/\n',
  'vitest.config.mjs': [
    "import { defineConfig } from 'vitest/config';",
    "import testsift from 'testsift/vitest';",
    'export default defineConfig({',
    '  plugins: [testsift()],',
    "  test: { include: ['test/**/*.test.mjs'], pool: process.env.FIXTURE_POOL ?? 'forks', maxWorkers: 2 },",
    '});',
    '',
  ].join('\n'),
  'src/a.mjs': "export const a = () => 'a';\n",
  'src/lib.mjs': "export function shout(s) {\n  return s.toUpperCase() + '!';\n}\nexport function quiet(s) {\n  return s.toLowerCase();\n}\n",
  'bin/cli.mjs': "import { shout } from '../src/lib.mjs';\nconsole.log(shout(process.argv[2] ?? 'hi'));\n",
  // A launcher that runs no lib itself but starts cli.mjs (as pnpm → tsx → node does).
  'bin/outer.mjs': "import { execFileSync } from 'node:child_process';\nprocess.stdout.write(execFileSync(process.execPath, ['bin/cli.mjs', process.argv[2]]));\n",
  // Runs lib, then waits to be killed (a server under test, say).
  'bin/serve.mjs': "import { shout } from '../src/lib.mjs';\nconsole.log(shout('ready'));\nsetInterval(() => {}, 1000);\n",
  // lib is also run in the worker by test A: it is mapped, so before children were followed a
  // change to it selected A alone (fewer, selective), not the full suite.
  'test/a.test.mjs': [
    "import { test, expect } from 'vitest';",
    "import { a } from '../src/a.mjs';",
    "import { shout } from '../src/lib.mjs';",
    "test('a', () => expect(shout(a())).toBe('A!'));",
    '',
  ].join('\n'),
  'test/b-exec.test.mjs': [
    "import { execFileSync } from 'node:child_process';",
    "import { test, expect } from 'vitest';",
    "test('cli', () => expect(execFileSync(process.execPath, ['bin/cli.mjs', 'hey'], { encoding: 'utf8' }).trim()).toBe('HEY!'));",
    '',
  ].join('\n'),
  'test/b-spawn.test.mjs': [
    "import { spawn } from 'node:child_process';",
    "import { test, expect } from 'vitest';",
    "test('cli with its own env', async () => {",
    "  const child = spawn(process.execPath, ['bin/cli.mjs', 'yo'], { env: { PATH: process.env.PATH ?? '', LANG: 'C' } });",
    "  let out = '';",
    "  child.stdout.setEncoding('utf8').on('data', (d) => (out += d));",
    "  const code = await new Promise((r) => child.on('close', r));",
    '  expect(code).toBe(0);',
    "  expect(out.trim()).toBe('YO!');",
    '});',
    '',
  ].join('\n'),
  // Through a shell, to a grandchild.
  'test/b-shell.test.mjs': [
    "import { execSync } from 'node:child_process';",
    "import { test, expect } from 'vitest';",
    "test('shell → node → node', () => expect(execSync('node bin/outer.mjs deep', { encoding: 'utf8' }).trim()).toBe('DEEP!'));",
    '',
  ].join('\n'),
  // The test kills its child with SIGKILL: Node writes no coverage for it.
  'test/c-killed.test.mjs': [
    "import { spawn } from 'node:child_process';",
    "import { test, expect } from 'vitest';",
    "test('child killed', async () => {",
    "  const child = spawn(process.execPath, ['bin/serve.mjs']);",
    "  await new Promise((r) => child.stdout.once('data', r));",
    "  child.kill('SIGKILL');",
    "  const [, signal] = await new Promise((r) => child.on('close', (...a) => r(a)));",
    "  expect(signal).toBe('SIGKILL');",
    '});',
    '',
  ].join('\n'),
  // Runs quiet() in the worker and shout() only in a child: its worker block data for lib.mjs
  // (quiet alone) must not decide, or a change inside shout would leave it out.
  'test/e-mixed.test.mjs': [
    "import { execFileSync } from 'node:child_process';",
    "import { test, expect } from 'vitest';",
    "import { quiet } from '../src/lib.mjs';",
    "test('mixed', () => expect(quiet(execFileSync(process.execPath, ['bin/cli.mjs', 'Mix'], { encoding: 'utf8' }).trim())).toBe('mix!'));",
    '',
  ].join('\n'),
  // A worker thread with an env of its own runs work.mjs, which nothing else runs.
  'src/work.mjs': 'export const work = (n) => n * 2;\n',
  'bin/thread.mjs': "import { parentPort } from 'node:worker_threads';\nimport { work } from '../src/work.mjs';\nparentPort.postMessage(work(21));\n",
  'test/f-thread.test.mjs': [
    "import { Worker } from 'node:worker_threads';",
    "import { test, expect } from 'vitest';",
    "test('thread', async () => {",
    "  const w = new Worker(new URL('../bin/thread.mjs', import.meta.url), { env: { LANG: 'C' } });",
    "  expect(await new Promise((r) => w.once('message', r))).toBe(42);",
    "  await new Promise((r) => w.once('exit', r));",
    '});',
    '',
  ].join('\n'),
  // A non-Node child: not followed, and no reason to always select the test.
  'test/d-git.test.mjs': [
    "import { execFileSync } from 'node:child_process';",
    "import { test, expect } from 'vitest';",
    "import { a } from '../src/a.mjs';",
    "test('git', () => { expect(execFileSync('git', ['--version'], { encoding: 'utf8' })).toMatch(/git version/); expect(a()).toBe('a'); });",
    '',
  ].join('\n'),
};

for (const pool of ['forks', 'threads']) {
  // A worker thread started from a test running in a thread of the threads pool leaves no
  // coverage (Node writes a thread's coverage only for threads the main thread starts with
  // NODE_V8_COVERAGE in its env): that test is not followed, so it is always selected.
  const threadFollowed = pool === 'forks';
  const always = threadFollowed ? ['test/c-killed.test.mjs'] : ['test/c-killed.test.mjs', 'test/f-thread.test.mjs'];
  describe(`pool ${pool}`, () => {
    let repo: TempRepo;
    let base: string;
    let recording: { code: number; out: string };

    beforeAll(async () => {
      repo = new TempRepo('testsift-children-');
      repo.write(FILES);
      mkdirSync(join(repo.root, 'node_modules'));
      symlinkSync(MAIN, join(repo.root, 'node_modules/testsift'), 'dir');
      symlinkSync(join(MAIN, 'node_modules/vitest'), join(repo.root, 'node_modules/vitest'), 'dir');
      base = repo.commit('fixture');
      recording = await runVitest(repo.root, { TESTSIFT_RECORD: '1', FIXTURE_POOL: pool });
    }, 120_000);
    afterAll(() => repo?.cleanup());

    async function detectFor(file: string, content: string): Promise<{ mode: string; tests: string[] }> {
      repo.git('checkout', '-q', '-B', `change-${file.replace(/\W/g, '-')}`, base);
      repo.write({ [file]: content });
      repo.commit(`change ${file}`);
      const r = await runCli(['detect', '--base', base, '--format', 'json'], { cwd: repo.root, env: NO_CI });
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { mode: string; tests: string[] };
    }

    async function selectedFor(file: string, content: string): Promise<string[]> {
      const json = await detectFor(file, content);
      expect(json.mode).toBe('selective');
      return json.tests;
    }

    test('the recording warns once, naming the test whose Node child was killed', () => {
      expect(recording.code, recording.out).toBe(0);
      const warnings = recording.out.split('\n').filter((l) => l.includes('left no V8 coverage'));
      expect(warnings, recording.out).toHaveLength(1);
      for (const t of always) expect(warnings[0]).toContain(t);
      expect(warnings[0]).not.toContain('b-exec');
      expect(recording.out).toMatch(/\d+ child process\(es\) followed/);
    });

    test('a change to code only a child ran selects the tests that started it (execFileSync, spawn with its own env, shell → grandchild)', async () => {
      const tests = await selectedFor(
        'src/lib.mjs',
        "export function shout(s) {\n  return s.toUpperCase() + '!!'.slice(1);\n}\nexport function quiet(s) {\n  return s.toLowerCase();\n}\n",
      );
      expect(tests).toEqual([
        'test/a.test.mjs',
        'test/b-exec.test.mjs',
        'test/b-shell.test.mjs',
        'test/b-spawn.test.mjs',
        'test/c-killed.test.mjs',
        'test/e-mixed.test.mjs',
        ...(threadFollowed ? [] : ['test/f-thread.test.mjs']),
      ]);
    });

    test(`a change to code only a worker thread ran selects the test that started the thread (${threadFollowed ? 'followed' : 'not followed: the full suite'})`, async () => {
      const json = await detectFor('src/work.mjs', 'export const work = (n) => n + n;\n');
      if (threadFollowed) expect(json).toMatchObject({ mode: 'selective', tests: ['test/c-killed.test.mjs', 'test/f-thread.test.mjs'] });
      else expect(json.mode).toBe('full');
    });

    test('a change elsewhere: the killed child makes its test always selected; a git child changes nothing', async () => {
      const tests = await selectedFor('src/a.mjs', "export const a = () => 'a' + '';\n");
      expect(tests).toEqual(['test/a.test.mjs', ...always, 'test/d-git.test.mjs'].sort());
    });
  });
}
