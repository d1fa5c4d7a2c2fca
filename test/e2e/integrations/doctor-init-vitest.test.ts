/**
 * `testsift init` and `testsift doctor` on a real Vitest project: fixtures/vitest-basic copied into
 * a temp git repo without testsift in its config, testsift (this checkout, built) and Vitest 4.1
 * linked into node_modules. init edits the config; a real recording run then uses it; doctor
 * runs the real `vitest list` and checks the recorded map.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../../src/config/index.js';
import { readMapRecord, writeCoverageMap } from '../../../src/mappings/coverage/index.js';
import { NO_CI, runCli, type CliResult } from '../../helpers/cli.js';
import { TempRepo } from '../../helpers/git.js';
import { runNodeScript } from '../../helpers/spawn-node.js';

const MAIN = fileURLToPath(new URL('../../..', import.meta.url));
const FIXTURE = join(MAIN, 'fixtures/vitest-basic');
const VITEST_BIN = join(MAIN, 'node_modules/vitest/vitest.mjs');
const ALL_TESTS = ['test/add.test.ts', 'test/greet.test.ts', 'test/mul.test.ts', 'test/plugin.test.ts', 'test/settings.test.ts', 'test/slow.test.ts'];

/** The fixture's config as a project has it before testsift. */
const PLAIN_CONFIG = `import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
  },
});
`;

/** The CLI with no CI variable, no TESTSIFT_* and no NODE_OPTIONS of ours leaking in. */
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

function cli(args: string[], cwd: string): Promise<CliResult> {
  return runCli(args, { cwd, env: ENV });
}

async function doctorJson(
  cwd: string,
  args: string[] = [],
): Promise<{ code: number; report: { checks: Array<{ check: string; status: string; message: string; fix?: string; details?: string[] }>; problems: number } }> {
  const r = await cli(['doctor', '--format', 'json', ...args], cwd);
  if (r.stderr.includes('unexpected error')) throw new Error(r.stderr);
  return { code: r.code, report: JSON.parse(r.stdout) };
}

/** A project like vitest-basic, but not set up for testsift: plain config, no .testsift/ ignore. */
function plainProject(opts: { config?: boolean; github?: boolean } = {}): TempRepo {
  const repo = new TempRepo('testsift-init-vitest-');
  cpSync(FIXTURE, repo.root, { recursive: true });
  if (opts.config === false) {
    repo.remove('vitest.config.ts');
    writeFileSync(join(repo.root, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module', devDependencies: { vitest: '^4.1.0' } }, null, 2));
  } else {
    writeFileSync(join(repo.root, 'vitest.config.ts'), PLAIN_CONFIG);
  }
  writeFileSync(join(repo.root, '.gitignore'), 'node_modules/\nreport.json\n');
  if (opts.github !== false) mkdirSync(join(repo.root, '.github'));
  mkdirSync(join(repo.root, 'node_modules'));
  symlinkSync(MAIN, join(repo.root, 'node_modules/testsift'), 'dir');
  symlinkSync(join(MAIN, 'node_modules/vitest'), join(repo.root, 'node_modules/vitest'), 'dir');
  repo.commit('project');
  return repo;
}

function runVitest(root: string, env: Record<string, string>): Promise<{ code: number; out: string }> {
  return runNodeScript(VITEST_BIN, ['run'], root, env);
}

const FILES = ['vitest.config.ts', '.gitignore', 'tests.yml', '.github/workflows/testsift.yml'];

describe('init, a recording with the edited config, then doctor', () => {
  let repo: TempRepo;
  let first: CliResult;
  let second: CliResult;
  let before: Record<string, string>;
  let recording: { code: number; out: string };
  beforeAll(async () => {
    repo = plainProject();
    first = await cli(['init'], repo.root);
    before = Object.fromEntries(FILES.map((f) => [f, readFileSync(join(repo.root, f), 'utf8')]));
    second = await cli(['init'], repo.root);
    repo.commit('testsift init');
    recording = await runVitest(repo.root, { TESTSIFT_RECORD: '1' });
  }, 120_000);
  afterAll(() => repo.cleanup());

  test('init prints every file it created or changed', () => {
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^changed +vitest\.config\.ts +added import testsift/m);
    expect(first.stdout).toMatch(/^changed +\.gitignore +added \.testsift\//m);
    expect(first.stdout).toMatch(/^created +tests\.yml /m);
    expect(first.stdout).toMatch(/^created +\.github\/workflows\/testsift\.yml /m);
    expect(before['vitest.config.ts']).toContain(`import testsift from 'testsift/vitest';`);
    expect(before['vitest.config.ts']).toContain('plugins: [testsift()],');
    expect(before['.gitignore']).toBe('node_modules/\nreport.json\n# testsift: coverage map, timings, selections (CI artifacts)\n.testsift/\n');
    expect(parse(before['.github/workflows/testsift.yml']!).jobs.test.steps.at(-1).run).toBe('npx vitest run --shard=${{ matrix.shard }}/4 --passWithNoTests');
  });

  test('the tests.yml it writes loads without warnings', async () => {
    const config = await loadConfig(join(repo.root, 'tests.yml'), { root: repo.root });
    expect(config.warnings).toEqual([]);
  });

  test('a second init changes nothing and says so', () => {
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('nothing to change: already set up');
    expect(second.stdout).not.toMatch(/^(created|changed) /m);
    for (const f of FILES) expect(readFileSync(join(repo.root, f), 'utf8'), f).toBe(before[f]);
  });

  test('a real TESTSIFT_RECORD=1 vitest run with the edited config writes the map', async () => {
    expect(recording.code, recording.out).toBe(0);
    const record = await readMapRecord(join(repo.root, '.testsift/map.json'));
    expect([...record.tests].sort()).toEqual(ALL_TESTS);
    expect(record.metadata.commit).toBe(repo.head());
    expect(existsSync(join(repo.root, '.testsift/timings.json'))).toBe(true);
  });

  test('doctor: every check ok (exit 0), the universe compared with vitest list', async () => {
    const { code, report } = await doctorJson(repo.root);
    expect(report.checks.filter((c) => c.status !== 'ok' && c.status !== 'info')).toEqual([]);
    expect(code).toBe(0);
    expect(report.checks.map((c) => c.check)).toEqual(['plugin', 'config', 'map', 'freshness', 'universe', 'gitignore', 'timings', 'ci']);
    expect(report.checks.find((c) => c.check === 'universe')!.message).toMatch(/vitest runs the same 6 test files/);
  });

  test("doctor: a tests.yml universe narrower than Vitest's is a FAIL naming the files only Vitest runs", async () => {
    const yml = readFileSync(join(repo.root, 'tests.yml'), 'utf8');
    writeFileSync(join(repo.root, 'tests.yml'), yml.replace(/^tests:\n {2}- .*$/m, "tests:\n  - 'test/{add,mul}.test.ts'\n  - 'fixtures/*.txt'"));
    try {
      const { code, report } = await doctorJson(repo.root);
      const universe = report.checks.find((c) => c.check === 'universe')!;
      expect(universe.status).toBe('FAIL');
      expect(universe.message).toMatch(/^4 of 6 test files vitest runs are outside detect's universe/);
      expect(universe.details).toEqual([
        'only vitest: test/greet.test.ts, test/plugin.test.ts, test/settings.test.ts, test/slow.test.ts',
        'only detect: fixtures/expected.txt, fixtures/punctuation.txt',
      ]);
      expect(code).toBe(1);
    } finally {
      writeFileSync(join(repo.root, 'tests.yml'), yml);
    }
  });

  test('doctor: freshness against --base; a map of another line of history is a FAIL; --no-runner warns', async () => {
    const recordedAt = repo.head();
    repo.git('checkout', '-q', '-b', 'side');
    repo.write({ 'src/math.ts': 'export const add = (a: number, b: number) => a + b;\n' }).commit('side change');
    // A commit of unrelated history (an orphan branch).
    repo.git('checkout', '-q', '--orphan', 'orphan');
    repo.git('commit', '-q', '--allow-empty', '-m', 'unrelated');
    const orphan = repo.head();
    repo.git('checkout', '-q', '-f', 'main');
    expect(repo.head()).toBe(recordedAt);

    const { code, report } = await doctorJson(repo.root, ['--base', 'side', '--no-runner']);
    expect(report.checks.find((c) => c.check === 'freshness')).toMatchObject({ status: 'ok', message: expect.stringContaining('serves base side') });
    expect(report.checks.find((c) => c.check === 'universe')).toMatchObject({ status: 'warn', message: expect.stringMatching(/--no-runner/) });
    expect(code).toBe(0);

    // The same map, said to be recorded on the orphan: neither ancestor nor descendant of the base.
    const mapPath = join(repo.root, '.testsift/map.json');
    const original = readFileSync(mapPath);
    try {
      const record = await readMapRecord(mapPath);
      await writeCoverageMap(mapPath, { ...record, metadata: { ...record.metadata, commit: orphan } });
      const stale = await doctorJson(repo.root, ['--no-runner']);
      const fresh = stale.report.checks.find((c) => c.check === 'freshness')!;
      expect(fresh.status).toBe('FAIL');
      expect(fresh.message).toMatch(/cannot serve base main .*: detect runs the full suite/);
      expect(fresh.details!.join('\n')).toMatch(/neither an ancestor nor a descendant/);
      expect(stale.code).toBe(1);
    } finally {
      writeFileSync(mapPath, original);
    }
  });
});

describe('doctor on a project not set up', () => {
  let repo: TempRepo;
  beforeAll(() => {
    repo = plainProject({ github: false });
  });
  afterAll(() => repo.cleanup());

  test('names each FAIL with its fix and exits 1', async () => {
    const r = await cli(['doctor'], repo.root);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^FAIL +plugin +vitest\.config\.ts does not import testsift\/vitest \(read as text, not run\)$/m);
    expect(r.stdout).toMatch(/^FAIL +map +coverage map \.testsift\/map\.json not found/m);
    expect(r.stdout).toMatch(/^FAIL +gitignore +\.testsift\/ is not ignored by git/m);
    expect(r.stdout).toMatch(/^warn +timings +no \.testsift\/timings\.json/m);
    expect(r.stdout).toMatch(/^ok +universe +vitest runs the same 6 test files/m);
    expect(r.stdout).toMatch(/fix: TESTSIFT_RECORD=1 npx vitest run/);
    expect(r.stdout).toMatch(/^3 problems, 1 warning: fix the FAIL lines$/m);
  });

  test('bad usage exits 2; --help documents the exit codes', async () => {
    expect((await cli(['doctor', '--format', 'xml'], repo.root)).code).toBe(2);
    expect((await cli(['doctor', '--bogus'], repo.root)).code).toBe(2);
    const help = await cli(['doctor', '--help'], repo.root);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes: 0 no problem (warnings allowed), 1 problems found (any FAIL), 2 bad usage.');
    const initHelp = await cli(['help', 'init'], repo.root);
    expect(initHelp.stdout).toMatch(/^Usage: testsift init/);
  });
});

describe('init without a Vitest config', () => {
  let repo: TempRepo;
  beforeAll(() => {
    repo = plainProject({ config: false, github: false });
  });
  afterAll(() => repo.cleanup());

  test('creates vitest.config.ts when vitest is a dependency; no CI recipe without --ci; doctor sees the plugin', async () => {
    const r = await cli(['init'], repo.root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^created +vitest\.config\.ts +with the testsift plugin/m);
    expect(r.stdout).toMatch(/^skipped +\(CI\) +no \.github\/ or \.gitlab-ci\.yml found/m);
    expect(readFileSync(join(repo.root, 'vitest.config.ts'), 'utf8')).toContain('plugins: [testsift()]');
    const gitlab = await cli(['init', '--ci', 'gitlab'], repo.root);
    expect(gitlab.stdout).toMatch(/^created +\.gitlab\/ci\/testsift\.gitlab-ci\.yml /m);
    expect(existsSync(join(repo.root, '.gitlab-ci.yml'))).toBe(false); // theirs is not written
    const { report } = await doctorJson(repo.root);
    expect(report.checks.find((c) => c.check === 'plugin')).toMatchObject({ status: 'ok' });
    expect(report.checks.find((c) => c.check === 'universe')).toMatchObject({ status: 'ok' });
    expect(report.checks.find((c) => c.check === 'gitignore')).toMatchObject({ status: 'ok' });
  });
});

describe('a package of a monorepo', () => {
  let repo: TempRepo;
  beforeAll(() => {
    repo = new TempRepo('testsift-init-monorepo-');
    cpSync(FIXTURE, join(repo.root, 'packages/app'), { recursive: true });
    writeFileSync(join(repo.root, 'packages/app/vitest.config.ts'), PLAIN_CONFIG);
    repo.remove('packages/app/.gitignore');
    writeFileSync(join(repo.root, '.gitignore'), 'node_modules/\n');
    writeFileSync(join(repo.root, 'package.json'), JSON.stringify({ name: 'root', private: true, workspaces: ['packages/*'] }));
    mkdirSync(join(repo.root, '.github'));
    mkdirSync(join(repo.root, 'node_modules'));
    symlinkSync(MAIN, join(repo.root, 'node_modules/testsift'), 'dir');
    symlinkSync(join(MAIN, 'node_modules/vitest'), join(repo.root, 'node_modules/vitest'), 'dir');
    repo.commit('monorepo');
  });
  afterAll(() => repo.cleanup());

  test('init sets the package up (repo-relative globs, the workflow in the package folder); doctor sees it, run from the top with --root', async () => {
    const app = join(repo.root, 'packages/app');
    const r = await cli(['init'], app);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^created +\.gitignore +added \.testsift\//m);
    expect(r.stdout).toMatch(/^created +\.\.\/\.\.\/\.github\/workflows\/testsift\.yml /m);
    const config = await loadConfig(join(app, 'tests.yml'), { root: repo.root });
    expect(config.tests).toEqual(['packages/app/**/*.{test,spec}.{js,jsx,ts,tsx,mjs,cjs,mts,cts}']);
    const workflow = parse(readFileSync(join(repo.root, '.github/workflows/testsift.yml'), 'utf8'));
    expect(workflow.defaults.run['working-directory']).toBe('packages/app');
    // Vitest writes .testsift/ under its root, the package: that one must be ignored, not the top's.
    const { report } = await doctorJson(repo.root, ['--root', 'packages/app']);
    expect(report.checks.find((c) => c.check === 'gitignore')).toMatchObject({ status: 'ok', message: 'packages/app/.testsift/ ignored by git' });
    expect(report.checks.find((c) => c.check === 'plugin')).toMatchObject({ status: 'ok' });
    expect(report.checks.find((c) => c.check === 'universe')).toMatchObject({ status: 'ok', message: expect.stringContaining('vitest runs the same 6 test files') });
  });
});

test('init where no runner is found writes nothing (most likely the wrong folder)', async () => {
  const repo = new TempRepo('testsift-init-empty-');
  try {
    writeFileSync(join(repo.root, 'notes.txt'), 'x\n');
    const r = await cli(['init'], repo.root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/no Vitest or Jest found here .*nothing written/);
    expect(readdirSync(repo.root).sort()).toEqual(['.git', 'notes.txt']);
  } finally {
    repo.cleanup();
  }
});
