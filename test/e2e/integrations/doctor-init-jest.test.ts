/**
 * `testsift doctor` and `testsift init` on a real Jest 30 project: fixtures/jest-basic (its
 * jest.config.mjs wraps withTestsift) copied into a temp git repo with testsift (this checkout,
 * built) and Jest linked into node_modules; a real recording run, then doctor runs the real
 * `jest --listTests`. Then the package.json "jest" key next to jest.config.mjs, which Jest refuses.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { NO_CI, runCli, type CliResult } from '../../helpers/cli.js';
import { TempRepo } from '../../helpers/git.js';

const MAIN = join(import.meta.dirname, '..', '..', '..');
const JEST_BIN = join(MAIN, 'node_modules', 'jest', 'bin', 'jest.js');
const FIXTURE = join(MAIN, 'fixtures', 'jest-basic');

const ENV: Record<string, string | undefined> = {
  ...NO_CI,
  NODE_OPTIONS: undefined,
  CI: undefined,
  GITLAB_CI: undefined,
  GITHUB_ACTIONS: undefined,
  CI_NODE_INDEX: undefined,
  CI_NODE_TOTAL: undefined,
};
for (const k of Object.keys(process.env)) if (k.startsWith('TESTSIFT_')) ENV[k] = undefined;

const cli = (args: string[], cwd: string): Promise<CliResult> => runCli(args, { cwd, env: ENV });

interface Report {
  checks: Array<{ check: string; status: string; message: string; fix?: string; details?: string[] }>;
  problems: number;
}

async function doctorJson(cwd: string, args: string[] = []): Promise<{ code: number; report: Report }> {
  const r = await cli(['doctor', '--format', 'json', ...args], cwd);
  if (r.stderr.includes('unexpected error')) throw new Error(r.stderr);
  return { code: r.code, report: JSON.parse(r.stdout) as Report };
}

function recordJest(root: string): Promise<{ code: number; out: string }> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(TESTSIFT_|NODE_OPTIONS$)/.test(k)) env[k] = v;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [JEST_BIN, '-w', '1', '--ci', `--cacheDirectory=${join(root, 'node_modules/.jest-cache')}`], {
      cwd: root,
      env: { ...env, TESTSIFT_RECORD: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

describe('doctor and init on a Jest project', () => {
  let repo: TempRepo;
  let recording: { code: number; out: string };
  beforeAll(async () => {
    repo = new TempRepo('testsift-doctor-jest-');
    cpSync(FIXTURE, repo.root, { recursive: true });
    mkdirSync(join(repo.root, 'node_modules'));
    symlinkSync(MAIN, join(repo.root, 'node_modules', 'testsift'), 'dir');
    symlinkSync(join(MAIN, 'node_modules', 'jest'), join(repo.root, 'node_modules', 'jest'), 'dir');
    repo.commit('fixture');
    recording = await recordJest(repo.root);
  }, 120_000);
  afterAll(() => repo.cleanup());

  test('after a real recording: every check ok, the universe compared with jest --listTests (exit 0)', async () => {
    expect(recording.code, recording.out).toBe(0);
    const { code, report } = await doctorJson(repo.root);
    expect(report.checks.filter((c) => c.status !== 'ok' && c.status !== 'info')).toEqual([]);
    expect(code).toBe(0);
    expect(report.checks.find((c) => c.check === 'plugin')!.message).toMatch(/jest\.config\.mjs wraps its config in withTestsift\(\)/);
    expect(report.checks.find((c) => c.check === 'universe')!.message).toMatch(/jest runs the same 5 test files/);
    expect(report.checks.find((c) => c.check === 'map')!.message).toMatch(/5 tests, .* by jest 30\./);
  });

  test("init: Jest configs are not edited; a tests.yml with Jest's default universe; the GitLab recipe runs jest", async () => {
    const before = readFileSync(join(repo.root, 'jest.config.mjs'), 'utf8');
    const r = await cli(['init', '--ci', 'gitlab'], repo.root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^unchanged +jest\.config\.mjs +already names testsift\/jest/m);
    expect(r.stdout).toMatch(/^unchanged +\.gitignore +\.testsift\/ is already ignored/m);
    expect(r.stdout).toMatch(/^created +tests\.yml /m);
    expect(readFileSync(join(repo.root, 'jest.config.mjs'), 'utf8')).toBe(before);
    expect(readFileSync(join(repo.root, '.gitlab/ci/testsift.gitlab-ci.yml'), 'utf8')).toContain('TESTSIFT_RECORD=1 npx jest --shard=$CI_NODE_INDEX/$CI_NODE_TOTAL');
    const config = await loadConfig(join(repo.root, 'tests.yml'), { root: repo.root });
    expect(config.warnings).toEqual([]);
    // The starter's universe is Jest's: doctor agrees with jest --listTests.
    const { code, report } = await doctorJson(repo.root);
    expect(report.checks.find((c) => c.check === 'universe')).toMatchObject({ status: 'ok' });
    expect(code).toBe(0);
    const again = await cli(['init', '--ci', 'gitlab'], repo.root);
    expect(again.stdout).toContain('nothing to change: already set up');
  });

  test('a package.json "jest" key next to jest.config.mjs: FAIL "Multiple configurations", exit 1; init says to keep one', async () => {
    const pkgPath = join(repo.root, 'package.json');
    const pkg = readFileSync(pkgPath, 'utf8');
    writeFileSync(pkgPath, JSON.stringify({ ...JSON.parse(pkg), jest: { testEnvironment: 'node' } }, null, 2));
    try {
      const { code, report } = await doctorJson(repo.root);
      expect(code).toBe(1);
      const plugin = report.checks.find((c) => c.check === 'plugin')!;
      expect(plugin.status).toBe('FAIL');
      expect(plugin.message).toBe('jest: jest.config.mjs and the "jest" key of package.json: Jest refuses to start with more than one ("Multiple configurations found")');
      // The runner agrees: its own listing fails the same way.
      const universe = report.checks.find((c) => c.check === 'universe')!;
      expect(universe.status).toBe('FAIL');
      expect(universe.message).toMatch(/Multiple configurations found/);
      const init = await cli(['init'], repo.root);
      expect(init.stdout).toMatch(/^by hand +jest\.config\.mjs \+ package\.json "jest" +Jest refuses to start with more than one config/m);
    } finally {
      writeFileSync(pkgPath, pkg);
    }
  });

  test('a Jest config with the hooks but without the reporter: FAIL, no map can be recorded', async () => {
    const cfg = join(repo.root, 'jest.config.mjs');
    const original = readFileSync(cfg, 'utf8');
    writeFileSync(
      cfg,
      `export default {\n  testEnvironment: 'node',\n  testMatch: ['<rootDir>/tests/**/*.test.js'],\n  filter: 'testsift/jest/filter',\n  testSequencer: 'testsift/jest/sequencer',\n};\n`,
    );
    try {
      const { code, report } = await doctorJson(repo.root, ['--no-runner']);
      const plugin = report.checks.find((c) => c.check === 'plugin')!;
      expect(plugin).toMatchObject({ status: 'FAIL', message: expect.stringMatching(/names filter, sequencer but not the testsift reporter/) });
      expect(plugin.fix).toContain(`reporters: ['default', 'testsift/jest/reporter']`);
      expect(code).toBe(1);
    } finally {
      writeFileSync(cfg, original);
    }
  });
});
