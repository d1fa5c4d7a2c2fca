/**
 * The Jest side of following child processes (see vitest-children.test.ts): real Jest 30 in a
 * temp git repo, tests that run a CLI through execFileSync (no env: the worker's real
 * process.env, not the sandbox's copy), spawn with their own env, a child killed by the test, and
 * a git child. Recorded in workers and in band.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TempRepo } from '../../helpers/git.js';
import { NO_CI, runCli } from '../../helpers/cli.js';
import { runNodeScript } from '../../helpers/spawn-node.js';

const MAIN = join(import.meta.dirname, '..', '..', '..');
const JEST_BIN = join(MAIN, 'node_modules', 'jest', 'bin', 'jest.js');

function runJest(root: string, args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return runNodeScript(JEST_BIN, ['--ci', ...args], root, env);
}

const FILES: Record<string, string> = {
  'package.json': '{ "name": "jest-children-fixture", "private": true }\n',
  '.gitignore': 'node_modules/\n.testsift/\n',
  'jest.config.mjs':
    "import { withTestsift } from 'testsift/jest';\nexport default withTestsift({ testEnvironment: 'node', testMatch: ['<rootDir>/tests/**/*.test.js'] });\n",
  'src/a.js': "exports.a = () => 'a';\n",
  'src/lib.js': "exports.shout = function shout(s) {\n  return s.toUpperCase() + '!';\n};\nexports.quiet = function quiet(s) {\n  return s.toLowerCase();\n};\n",
  'bin/cli.js': "const { shout } = require('../src/lib.js');\nconsole.log(shout(process.argv[2] || 'hi'));\n",
  'bin/serve.js': "const { shout } = require('../src/lib.js');\nconsole.log(shout('ready'));\nsetInterval(() => {}, 1000);\n",
  'tests/a.test.js': "const { a } = require('../src/a.js');\nconst { shout } = require('../src/lib.js');\ntest('a', () => expect(shout(a())).toBe('A!'));\n",
  'tests/b-exec.test.js': [
    "const { execFileSync } = require('child_process');",
    "test('cli', () => expect(execFileSync(process.execPath, ['bin/cli.js', 'hey'], { encoding: 'utf8' }).trim()).toBe('HEY!'));",
    '',
  ].join('\n'),
  'tests/b-spawn.test.js': [
    "const { spawn } = require('child_process');",
    "test('cli with its own env', async () => {",
    "  const child = spawn(process.execPath, ['bin/cli.js', 'yo'], { env: { PATH: process.env.PATH || '', LANG: 'C' } });",
    "  let out = '';",
    "  child.stdout.setEncoding('utf8').on('data', (d) => (out += d));",
    "  const code = await new Promise((r) => child.on('close', r));",
    '  expect(code).toBe(0);',
    "  expect(out.trim()).toBe('YO!');",
    '});',
    '',
  ].join('\n'),
  'tests/c-killed.test.js': [
    "const { spawn } = require('child_process');",
    "test('child killed', async () => {",
    "  const child = spawn(process.execPath, ['bin/serve.js']);",
    "  await new Promise((r) => child.stdout.once('data', r));",
    "  child.kill('SIGKILL');",
    "  const [, signal] = await new Promise((r) => child.on('close', (...a) => r(a)));",
    "  expect(signal).toBe('SIGKILL');",
    '});',
    '',
  ].join('\n'),
  // Runs quiet() in the worker and shout() only in a child: its worker block data for lib.js
  // (quiet alone) must not decide, or a change inside shout would leave it out.
  'tests/e-mixed.test.js': [
    "const { execFileSync } = require('child_process');",
    "const { quiet } = require('../src/lib.js');",
    "test('mixed', () => expect(quiet(execFileSync(process.execPath, ['bin/cli.js', 'Mix'], { encoding: 'utf8' }).trim())).toBe('mix!'));",
    '',
  ].join('\n'),
  // A worker thread with an env of its own runs work.js, which nothing else runs.
  'src/work.js': 'exports.work = (n) => n * 2;\n',
  'bin/thread.js': "const { parentPort } = require('worker_threads');\nconst { work } = require('../src/work.js');\nparentPort.postMessage(work(21));\n",
  'tests/f-thread.test.js': [
    "const { Worker } = require('worker_threads');",
    "const path = require('path');",
    "test('thread', async () => {",
    "  const w = new Worker(path.join(__dirname, '../bin/thread.js'), { env: { LANG: 'C' } });",
    "  expect(await new Promise((r) => w.once('message', r))).toBe(42);",
    "  await new Promise((r) => w.once('exit', r));",
    '});',
    '',
  ].join('\n'),
  'tests/d-git.test.js': [
    "const { execFileSync } = require('child_process');",
    "const { a } = require('../src/a.js');",
    "test('git', () => { expect(execFileSync('git', ['--version'], { encoding: 'utf8' })).toMatch(/git version/); expect(a()).toBe('a'); });",
    '',
  ].join('\n'),
};

for (const mode of [['-w', '2'], ['-i']]) {
  describe(`jest ${mode.join(' ')}`, () => {
    let repo: TempRepo;
    let base: string;
    let cache: string;
    let recording: { code: number; out: string };

    beforeAll(async () => {
      repo = new TempRepo('testsift-jest-children-');
      repo.write(FILES);
      mkdirSync(join(repo.root, 'node_modules'));
      symlinkSync(MAIN, join(repo.root, 'node_modules/testsift'), 'dir');
      symlinkSync(join(MAIN, 'node_modules/jest'), join(repo.root, 'node_modules/jest'), 'dir');
      base = repo.commit('fixture');
      cache = mkdtempSync(join(tmpdir(), 'testsift-jest-cache-'));
      recording = await runJest(repo.root, [...mode, `--cacheDirectory=${cache}`], { TESTSIFT_RECORD: '1', TESTSIFT_GRANULARITY: 'block' });
    }, 120_000);
    afterAll(() => {
      repo?.cleanup();
      if (cache) rmSync(cache, { recursive: true, force: true });
    });

    async function selectedFor(file: string, content: string): Promise<string[]> {
      repo.git('checkout', '-q', '-B', `change-${file.replace(/\W/g, '-')}`, base);
      repo.write({ [file]: content });
      repo.commit(`change ${file}`);
      const r = await runCli(['detect', '--base', base, '--format', 'json'], { cwd: repo.root, env: NO_CI });
      expect(r.code, r.stderr).toBe(0);
      const json = JSON.parse(r.stdout) as { mode: string; tests: string[] };
      expect(json.mode).toBe('selective');
      return json.tests;
    }

    test('the recording warns once, naming the test whose Node child was killed', () => {
      expect(recording.code, recording.out).toBe(0);
      const warnings = recording.out.split('\n').filter((l) => l.includes('left no V8 coverage'));
      expect(warnings, recording.out).toHaveLength(1);
      expect(warnings[0]).toContain('tests/c-killed.test.js');
      expect(warnings[0]).not.toContain('b-exec');
    });

    test('a change to code only a child ran selects the tests that started it', async () => {
      const tests = await selectedFor(
        'src/lib.js',
        "exports.shout = function shout(s) {\n  return s.toUpperCase() + '!!'.slice(1);\n};\nexports.quiet = function quiet(s) {\n  return s.toLowerCase();\n};\n",
      );
      expect(tests).toEqual(['tests/a.test.js', 'tests/b-exec.test.js', 'tests/b-spawn.test.js', 'tests/c-killed.test.js', 'tests/e-mixed.test.js']);
    });

    test('a change to code only a worker thread ran selects the test that started the thread', async () => {
      const tests = await selectedFor('src/work.js', 'exports.work = (n) => n + n;\n');
      expect(tests).toEqual(['tests/c-killed.test.js', 'tests/f-thread.test.js']);
    });

    test('a change elsewhere: the killed child makes its test always selected; a git child changes nothing', async () => {
      const tests = await selectedFor('src/a.js', "exports.a = () => 'a' + '';\n");
      expect(tests).toEqual(['tests/a.test.js', 'tests/c-killed.test.js', 'tests/d-git.test.js']);
    });
  });
}
