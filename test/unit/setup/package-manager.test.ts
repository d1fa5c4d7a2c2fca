import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { ciRecipe } from '../../../src/setup/init/ci-recipe.js';
import { packageManagerOf, type PackageManager } from '../../../src/setup/init/package-manager.js';
import { scratchDirs } from '../../helpers/repo-fixture.js';

const scratch = scratchDirs('testsift-pm-');

/** A repository folder with `files` (path → text), and its package folder `pkg` inside it. */
function repo(files: Record<string, string>, pkg = ''): { root: string; dir: string } {
  const root = scratch();
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const dir = join(root, pkg);
  mkdirSync(dir, { recursive: true });
  return { root, dir };
}

describe('packageManagerOf: the manager the lockfile names', () => {
  test.each([
    [{ 'package-lock.json': '{}' }, 'npm'],
    [{ 'pnpm-lock.yaml': '' }, 'pnpm'],
    [{ 'yarn.lock': '' }, 'yarn'],
    [{ 'yarn.lock': '', '.yarnrc.yml': '' }, 'yarn-berry'],
    [{ 'yarn.lock': '', 'package.json': '{"packageManager":"yarn@4.5.0"}' }, 'yarn-berry'],
    [{ 'bun.lock': '' }, 'bun'],
    [{ 'package.json': '{"packageManager":"pnpm@9.1.0"}' }, 'pnpm'],
    [{ 'package.json': '{}' }, 'npm'],
  ] as Array<[Record<string, string>, PackageManager]>)('%j → %s', (files, pm) => {
    const { root, dir } = repo(files);
    expect(packageManagerOf(dir, root)).toBe(pm);
  });

  test("a workspace package uses the top's lockfile, and never looks above the repository", () => {
    const { root, dir } = repo({ 'pnpm-lock.yaml': '', 'packages/api/package.json': '{}' }, 'packages/api');
    expect(packageManagerOf(dir, root)).toBe('pnpm');
    const inner = repo({ 'pnpm-lock.yaml': '', 'repo/packages/api/package.json': '{}' }, 'repo/packages/api');
    expect(packageManagerOf(inner.dir, join(inner.root, 'repo'))).toBe('npm');
  });
});

describe('the GitHub recipe installs with the project manager', () => {
  const steps = (pm: PackageManager): Array<Record<string, unknown>> =>
    (parse(ciRecipe('github', 'vitest', '', pm)) as { jobs: { record: { steps: Array<Record<string, unknown>> } } }).jobs.record.steps;

  test.each([
    ['npm', ['npm ci']],
    ['pnpm', ['pnpm install --frozen-lockfile']],
    ['yarn', ['yarn install --frozen-lockfile']],
    ['yarn-berry', ['corepack enable', 'yarn install --immutable']],
    ['bun', ['bun install --frozen-lockfile']],
  ] as Array<[PackageManager, string[]]>)('%s', (pm, runs) => {
    const s = steps(pm);
    const installs = s.map((x) => x.run).filter((r): r is string => typeof r === 'string' && !r.startsWith('npx'));
    expect(installs).toEqual(runs);
    if (pm === 'pnpm') expect(s.some((x) => x.uses === 'pnpm/action-setup@v4')).toBe(true);
    if (pm === 'bun') expect(s.some((x) => x.uses === 'oven-sh/setup-bun@v2')).toBe(true);
  });

  test('the record job saves the map also when a test failed', () => {
    const save = steps('npm').find((x) => x.uses === 'actions/cache/save@v4');
    expect(save?.if).toBe('always()');
  });

  test('the GitLab recipe names the install in its comment', () => {
    expect(ciRecipe('gitlab', 'jest', '', 'pnpm')).toContain('installs dependencies (pnpm install --frozen-lockfile)');
  });
});
