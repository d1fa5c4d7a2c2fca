import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMapRecord } from '../../../src/mappings/coverage/index.js';
import { TempRepo } from '../../helpers/git.js';

/**
 * Jest 30 block recording takes V8 coverage in binary mode, which reports a function once per
 * worker at most (and never, for code that ran before the recorder started and not again before
 * its first take). Project code Jest's module registry does not load anew for each test file —
 * here a test environment kept in the repository, which Node itself loads once per worker before
 * the first test file's setup and which runs for every test file — must still be in every test
 * file's row, as with call counts; as CommonJS (Node's require cache) and as an ES module (which
 * Jest import()s: found as the config's testEnvironment).
 */

const MAIN = join(import.meta.dirname, '..', '..', '..');
const NM = join(MAIN, 'node_modules');

const ENVIRONMENTS = {
  // CommonJS: Node's require() loads it, before the first test file's setup starts the recorder.
  'test-env.js': [
    "const { TestEnvironment } = require('jest-environment-node');",
    'module.exports = class extends TestEnvironment {',
    '  async setup() {',
    '    await super.setup();',
    '    this.global.envReady = true;',
    '  }',
    '};',
    '',
  ],
  // An ES module: Jest import()s it, so it is not in Node's require cache.
  'test-env.mjs': [
    "import { TestEnvironment } from 'jest-environment-node';",
    'export default class extends TestEnvironment {',
    '  async setup() {',
    '    await super.setup();',
    '    this.global.envReady = true;',
    '  }',
    '}',
    '',
  ],
};

describe.each(Object.keys(ENVIRONMENTS) as Array<keyof typeof ENVIRONMENTS>)('Jest 30, block level: a test environment in the repository (%s)', (envFile) => {
  let repo: TempRepo;
  let cache: string;
  let stderr = '';
  let status: number | null = null;
  beforeAll(() => {
    repo = new TempRepo('testsift-jest-outside-');
    cpSync(join(MAIN, 'fixtures', 'jest-ts'), repo.root, { recursive: true });
    for (const [name, target] of [
      ['testsift', MAIN],
      ['jest', join(NM, 'jest')],
      ['ts-jest', join(NM, 'ts-jest')],
      ['typescript', join(NM, 'typescript')],
      ['jest-environment-node', join(NM, 'jest-environment-node')],
    ] as const) {
      const at = join(repo.root, 'node_modules', name);
      mkdirSync(dirname(at), { recursive: true });
      symlinkSync(target, at, 'dir');
    }
    writeFileSync(join(repo.root, envFile), ENVIRONMENTS[envFile].join('\n'));
    writeFileSync(
      join(repo.root, 'jest.env.config.js'),
      [
        "const { withTestsift } = require('testsift/jest');",
        'module.exports = withTestsift({',
        `  testEnvironment: '<rootDir>/${envFile}',`,
        "  testMatch: ['<rootDir>/tests/**/*.test.ts'],",
        "  transform: { '^.+\\\\.ts$': ['ts-jest', { diagnostics: false }] },",
        '});',
        '',
      ].join('\n'),
    );
    writeFileSync(join(repo.root, '.gitignore'), 'node_modules/\n.testsift/\n');
    repo.commit('fixture');
    cache = mkdtempSync(join(tmpdir(), 'testsift-jest-outside-cache-'));
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('TESTSIFT_')) env[k] = v;
    Object.assign(env, { TESTSIFT_RECORD: '1', TESTSIFT_GRANULARITY: 'block' });
    // One worker: every test file after the first runs in a worker whose environment was already reported.
    const jest = join(repo.root, 'node_modules', 'jest', 'bin', 'jest.js');
    const r = spawnSync(process.execPath, [jest, '--ci', '-i', `--cacheDirectory=${cache}`, '-c', 'jest.env.config.js'], { cwd: repo.root, env, encoding: 'utf8' });
    status = r.status;
    stderr = r.stderr;
  }, 180_000);
  afterAll(() => {
    repo?.cleanup();
    if (cache) rmSync(cache, { recursive: true, force: true });
  });

  it('maps every test file to the environment, not only the first one a worker ran', async () => {
    expect(status, stderr).toBe(0);
    const record = await readMapRecord(join(repo.root, '.testsift/map.json'));
    const row = record.rows.get(envFile);
    expect(row, `${envFile} in the map`).toBeDefined();
    expect([...row!].map((i) => record.tests[i]).sort()).toEqual([
      'tests/add.test.ts',
      'tests/counter.test.ts',
      'tests/files.test.ts',
      'tests/mul.test.ts',
      'tests/shout.test.ts',
      'tests/square.test.ts',
    ]);
  });
});
