/**
 * Block data under a browser-like test environment (jsdom, happy-dom): Vitest 4 transforms the
 * files of such a project in Vite's `client` environment, not `ssr`. The recorder looked for the
 * transformed code in `ssr` only, so a jsdom project (found on pmndrs/zustand) got a file-level
 * map, silently. Here a custom environment with `viteEnvironment: 'client'` stands in for jsdom
 * (no DOM package needed), and testsift is installed as a copy, as from the registry: a symlink
 * out of the project makes Vite serve its setup file as `/@fs/…` in the client environment.
 */
import { cpSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { readMapRecord } from '../../../src/mappings/coverage/index.js';
import { TempRepo } from '../../helpers/git.js';
import { NO_CI, runCli } from '../../helpers/cli.js';
import { runNodeScript } from '../../helpers/spawn-node.js';

const MAIN = fileURLToPath(new URL('../../..', import.meta.url));
const VITEST_BIN = join(MAIN, 'node_modules/vitest/vitest.mjs');

const CALC = `export function add(a: number, b: number): number {
  return a + b;
}

export function sub(a: number, b: number): number {
  return a - b;
}
`;

let repo: TempRepo;
let base: string;
let recordOut: string;

beforeAll(async () => {
  repo = new TempRepo('testsift-client-env-');
  mkdirSync(join(repo.root, 'node_modules/testsift'), { recursive: true });
  cpSync(join(MAIN, 'dist'), join(repo.root, 'node_modules/testsift/dist'), { recursive: true });
  cpSync(join(MAIN, 'package.json'), join(repo.root, 'node_modules/testsift/package.json'));
  symlinkSync(join(MAIN, 'node_modules'), join(repo.root, 'node_modules/testsift/node_modules'), 'dir');
  symlinkSync(join(MAIN, 'node_modules/vitest'), join(repo.root, 'node_modules/vitest'), 'dir');
  repo.write({
    '.gitignore': 'node_modules/\n.testsift/\n',
    'package.json': '{ "name": "client-env", "private": true, "type": "module" }\n',
    'vitest.config.ts': [
      "import { defineConfig } from 'vitest/config';",
      "import testsift from 'testsift/vitest';",
      "export default defineConfig({ plugins: [testsift()], test: { include: ['test/**/*.test.ts'], environment: './client-env.ts', maxWorkers: 2 } });",
      '',
    ].join('\n'),
    // What jsdom and happy-dom declare: their files are transformed for the client.
    'client-env.ts': [
      "import type { Environment } from 'vitest/environments';",
      'export default <Environment>{',
      "  name: 'client-like',",
      "  viteEnvironment: 'client',",
      '  setup(global) {',
      '    global.self = global;',
      "    global.location = new URL('http://localhost:3000/');",
      '    return { teardown() {} };',
      '  },',
      '};',
      '',
    ].join('\n'),
    'src/calc.ts': CALC,
    'test/add.test.ts': "import { expect, test } from 'vitest';\nimport { add } from '../src/calc';\ntest('add', () => expect(add(2, 3)).toBe(5));\n",
    'test/sub.test.ts': "import { expect, test } from 'vitest';\nimport { sub } from '../src/calc';\ntest('sub', () => expect(sub(5, 3)).toBe(2));\n",
  });
  repo.commit('fixture');
  base = repo.head();
  const run = await runNodeScript(VITEST_BIN, ['run'], repo.root, { TESTSIFT_RECORD: '1' });
  recordOut = run.out;
  expect(run.code, run.out).toBe(0);
}, 120_000);
afterAll(() => repo?.cleanup());

test('the map has block data for the files the client environment transformed', async () => {
  expect(recordOut).toContain('recorded 2 test files');
  const record = await readMapRecord(join(repo.root, '.testsift/map.json'));
  expect(record.metadata).toMatchObject({ granularity: 'block', blockLines: 'source' });
  const calc = record.blocks?.get('src/calc.ts');
  expect(calc?.blocks.map((b) => `${b.name || '-'}:${b.kind ?? 'module'}:${b.start}-${b.end}`)).toEqual(expect.arrayContaining(['add:function:1-3', 'sub:function:5-7']));
});

test('a change inside one function selects only the test that ran it', async () => {
  repo.git('checkout', '-q', '-B', 'in-sub', base);
  repo.write({ 'src/calc.ts': CALC.replace('return a - b;', 'return a - b - 0;') });
  repo.commit('in sub');
  const r = await runCli(['detect', '--base', base, '--format', 'json'], { cwd: repo.root, env: NO_CI });
  expect(r.code, r.stderr).toBe(0);
  const out = JSON.parse(r.stdout) as { mode: string; tests: string[]; warnings: string[] };
  expect(out.mode).toBe('selective');
  expect(out.tests).toEqual(['test/sub.test.ts']);
  expect(out.warnings).toEqual([]);
});
