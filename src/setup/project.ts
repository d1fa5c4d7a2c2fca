import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { toPosix } from '../util/paths.js';
import { findRepoRoot } from '../util/repo.js';

/*
 * What `doctor` and `init` need to know about a project, found by looking at files only: no
 * runner config is executed (a config may have side effects, need a build, or read secrets).
 */

/** Vitest's own order (vitest/dist constants): the first that exists is the config it loads. */
const VITEST_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];
export const VITEST_CONFIG_NAMES = ['vitest.config', 'vite.config'].flatMap((n) => VITEST_EXTENSIONS.map((e) => n + e));
export const VITEST_WORKSPACE_NAMES = [...VITEST_EXTENSIONS, '.json'].map((e) => `vitest.workspace${e}`);
/** Jest's JEST_CONFIG_EXT_ORDER (jest-config constants). */
export const JEST_CONFIG_NAMES = ['.js', '.ts', '.mjs', '.mts', '.cjs', '.cts', '.json'].map((e) => `jest.config${e}`);

export type Runner = 'vitest' | 'jest';

export interface PackageJson {
  path: string;
  /** Undefined when the file is not valid JSON (`error` says why). */
  data?: Record<string, unknown>;
  error?: string;
}

export interface Project {
  /** Where the command started (messages show paths relative to it). */
  cwd: string;
  /** The project folder (absolute): where the runner config or package.json is. */
  dir: string;
  /** The git work tree's top level, or undefined outside a repository. */
  repoRoot: string | undefined;
  /** Vitest configs in this folder, in the order Vitest tries them (it loads the first). */
  vitestConfigs: string[];
  vitestWorkspaces: string[];
  jestConfigs: string[];
  packageJson?: PackageJson;
  /** package.json has a `jest` key (Jest's other config place). */
  jestKey: boolean;
  /** Names in dependencies, devDependencies, peerDependencies and optionalDependencies. */
  deps: Set<string>;
}

const existing = (dir: string, names: readonly string[]): string[] => names.map((n) => join(dir, n)).filter((p) => existsSync(p));

function hasProjectFile(dir: string): boolean {
  return existsSync(join(dir, 'package.json')) || [...VITEST_CONFIG_NAMES, ...VITEST_WORKSPACE_NAMES, ...JEST_CONFIG_NAMES].some((n) => existsSync(join(dir, n)));
}

/**
 * The project around `cwd`: the nearest folder from `cwd` up to the repository root with a
 * package.json or a runner config (a package of a monorepo is its own project), else `cwd`.
 */
export function findProject(cwd: string): Project {
  const start = resolve(cwd);
  const repoRoot = findRepoRoot(start);
  let dir = start;
  for (;;) {
    if (hasProjectFile(dir)) break;
    const parent = dirname(dir);
    if (!repoRoot || dir === repoRoot || parent === dir) {
      dir = start;
      break;
    }
    dir = parent;
  }
  const packageJson = readPackageJson(join(dir, 'package.json'));
  const data = packageJson?.data ?? {};
  const deps = new Set<string>();
  for (const k of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
    const v = data[k];
    if (v && typeof v === 'object') for (const name of Object.keys(v)) deps.add(name);
  }
  return {
    cwd: start,
    dir,
    repoRoot,
    vitestConfigs: existing(dir, VITEST_CONFIG_NAMES),
    vitestWorkspaces: existing(dir, VITEST_WORKSPACE_NAMES),
    jestConfigs: existing(dir, JEST_CONFIG_NAMES),
    packageJson,
    jestKey: packageJson?.data !== undefined && Object.hasOwn(packageJson.data, 'jest'),
    deps,
  };
}

function readPackageJson(path: string): PackageJson | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    if (!data || typeof data !== 'object' || Array.isArray(data)) return { path, error: 'not a JSON object' };
    return { path, data: data as Record<string, unknown> };
  } catch (err) {
    return { path, error: (err as Error).message };
  }
}

/** A path as messages show it: relative to where the command started. */
export function shownPath(p: Project, abs: string): string {
  return toPosix(relative(p.cwd, abs)) || '.';
}

/** The runners this project uses, judged by its configs and dependencies (Vitest first). */
export function projectRunners(p: Project): Runner[] {
  const out: Runner[] = [];
  const vitestConfig = p.vitestConfigs.some((c) => /[\\/]vitest\.config\.[^/\\]+$/.test(c)) || p.vitestWorkspaces.length > 0;
  if (vitestConfig || p.deps.has('vitest')) out.push('vitest');
  if (p.jestConfigs.length > 0 || p.jestKey || p.deps.has('jest')) out.push('jest');
  return out;
}

/**
 * The runner's CLI script in the nearest node_modules from the project up (a monorepo hoists
 * it), read from its package.json `bin`; undefined when it is not installed.
 */
export function runnerBin(p: Project, runner: Runner): string | undefined {
  let dir = p.dir;
  for (;;) {
    const pkgDir = join(dir, 'node_modules', runner);
    const pkg = join(pkgDir, 'package.json');
    if (existsSync(pkg)) {
      try {
        const bin = (JSON.parse(readFileSync(pkg, 'utf8')) as { bin?: string | Record<string, string> }).bin;
        const rel = typeof bin === 'string' ? bin : bin?.[runner];
        if (rel && existsSync(join(pkgDir, rel))) return join(pkgDir, rel);
      } catch {
        // An unreadable package.json is "not installed" as far as listing tests goes.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The text of a config with its comment lines removed, so a commented-out import does not count.
 * Only comments that start a line: `//` and `/*` inside strings ('https://…', 'src/**') stay.
 */
export function stripCommentLines(text: string): string {
  return text.replace(/^[ \t]*\/\*[\s\S]*?\*\//gm, '').replace(/^[ \t]*\/\/.*$/gm, '');
}
