import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, runJson } from '../../helpers/cli.js';
import { TempRepo } from '../../helpers/git.js';
import { writeMap } from '../../helpers/scenario.js';

/**
 * An npm-workspaces monorepo whose package `packages/shop` records its own map (the runner
 * plugin writes `.testsift/` under Vitest's root, the package) and has its own tests.yml.
 * Paths inside maps and tests.yml stay repo-relative (git diff speaks them).
 */
const FILES: Record<string, string> = {
  'package.json': '{ "name": "mono", "private": true, "workspaces": ["packages/*"] }\n',
  'packages/shop/package.json': '{ "name": "shop", "type": "module" }\n',
  'packages/shop/tests.yml': [
    'mapping:',
    "  - source: 'packages/shop/config/.+\\.json'",
    "    test: 'packages/shop/test/config.test.ts'",
    "tests: ['packages/shop/test/**/*.test.ts']",
    '',
  ].join('\n'),
  'packages/shop/src/money.ts': 'export const cents = (x: number) => Math.round(x * 100);\n',
  'packages/shop/src/cart.ts': "import { cents } from './money.js';\nexport const total = (xs: number[]) => xs.reduce((a, x) => a + cents(x), 0);\n",
  'packages/shop/config/app.json': '{}\n',
  'packages/shop/test/money.test.ts': "import '../src/money.js';\n",
  'packages/shop/test/cart.test.ts': "import '../src/cart.js';\n",
  'packages/shop/test/config.test.ts': '// reads config/app.json\n',
  'packages/other/package.json': '{ "name": "other", "type": "module" }\n',
  'packages/other/test/other.test.ts': '// another workspace\n',
};

const ROWS = {
  'packages/shop/src/money.ts': ['packages/shop/test/money.test.ts', 'packages/shop/test/cart.test.ts'],
  'packages/shop/src/cart.ts': ['packages/shop/test/cart.test.ts'],
  'packages/shop/config/app.json': ['packages/shop/test/config.test.ts'],
};

let repo: TempRepo | undefined;
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
});

async function monorepo(): Promise<TempRepo> {
  const r = new TempRepo('testsift-mono-');
  r.write({ ...FILES, '.gitignore': '.testsift/\n' });
  const commit = r.commit('mono');
  await writeMap(join(r.root, 'packages/shop/.testsift/map.json'), { commit, rows: ROWS, known: [] });
  r.git('checkout', '-q', '-b', 'feature');
  r.write({ 'packages/shop/src/cart.ts': `${FILES['packages/shop/src/cart.ts']}// changed\n` }).commit('cart');
  return r;
}

describe('detect from a package of a monorepo', () => {
  it("finds the package's map and tests.yml and lists tests relative to the package", async () => {
    repo = await monorepo();
    const pkg = join(repo.root, 'packages/shop');
    const list = await runCli(['detect', '--base', 'main'], { cwd: pkg });
    expect(list.stderr).not.toMatch(/not found|full suite/);
    expect(list.code).toBe(0);
    expect(list.stdout).toBe('test/cart.test.ts\n');

    const { json } = await runJson(['detect', '--base', 'main', '--format', 'json'], pkg);
    expect(json.mode).toBe('selective');
    expect(json.map.path).toBe('.testsift/map.json');
    // The JSON keeps repo-relative paths (the runner integrations match those) and adds both forms.
    expect(json.tests).toEqual(['packages/shop/test/cart.test.ts']);
    expect(json.cwd).toBe('packages/shop');
    expect(json.cwdTests).toEqual(['test/cart.test.ts']);
  });

  it('from the repository root, --root packages/shop gives the same answer (as if started there)', async () => {
    repo = await monorepo();
    const inPkg = await runCli(['detect', '--base', 'main'], { cwd: join(repo.root, 'packages/shop') });
    const viaRoot = await runCli(['detect', '--base', 'main', '--root', 'packages/shop'], { cwd: repo.root });
    expect(viaRoot.code).toBe(0);
    expect(viaRoot.stdout).toBe(inPkg.stdout);
  });

  it('paths given on the command line resolve from the current directory', async () => {
    repo = await monorepo();
    const pkg = join(repo.root, 'packages/shop');
    mkdirSync(join(pkg, 'out'));
    const r = await runCli(['detect', '--base', 'main', '--coverage-map', '.testsift/map.json', '--config', 'tests.yml', '--output', 'out/tests.txt'], { cwd: pkg });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/not found/);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(join(pkg, 'out/tests.txt'), 'utf8')).toBe('test/cart.test.ts\n');
  });

  it('a test outside the package is listed relative to it too', async () => {
    repo = await monorepo();
    const pkg = join(repo.root, 'packages/shop');
    const rows = { ...ROWS, 'packages/shop/src/money.ts': [...ROWS['packages/shop/src/money.ts'], 'packages/other/test/other.test.ts'] };
    await writeMap(join(pkg, '.testsift/map.json'), { commit: repo.git('rev-parse', 'main').trim(), rows, known: [] });
    repo.write({ 'packages/shop/tests.yml': FILES['packages/shop/tests.yml'].replace("'packages/shop/test/**/*.test.ts'", "'packages/*/test/**/*.test.ts'") });
    const r = await runCli(['detect', '--base', 'main', '--changed-files', '-', '--include-uncommitted'], { cwd: pkg, input: 'packages/shop/src/money.ts\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('../other/test/other.test.ts\ntest/cart.test.ts\ntest/money.test.ts\n');
  });

  it('without a map anywhere up to the root, the reason says where it looked', async () => {
    repo = await monorepo();
    repo.git('rm', '-q', '--cached', '-r', '--ignore-unmatch', 'packages/shop/.testsift');
    const { rmSync } = await import('node:fs');
    rmSync(join(repo.root, 'packages/shop/.testsift'), { recursive: true });
    const { json } = await runJson(['detect', '--base', 'main', '--format', 'json'], join(repo.root, 'packages/shop'));
    expect(json.mode).toBe('full');
    expect(json.reasons.join('\n')).toContain('.testsift/map.json (looked from packages/shop up to the repository root) not found');
  });
});

describe('configuration changes in a monorepo', () => {
  it("a change to the package's own tests.yml runs the full suite, as the root's does", async () => {
    repo = await monorepo();
    repo.write({ 'packages/shop/tests.yml': `${FILES['packages/shop/tests.yml']}full_suite: { unmapped: ignore }\n` }).commit('rules');
    const { json } = await runJson(['detect', '--base', 'main', '--format', 'json'], join(repo.root, 'packages/shop'));
    expect(json.mode).toBe('full');
    expect(json.reasons.join('\n')).toContain('testsift configuration changed: packages/shop/tests.yml');
  });
});
