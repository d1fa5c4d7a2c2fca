import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { GitRunner } from '../../changes/git.js';
import { nearestConfig } from '../../config/locate.js';
import { UsageError } from '../../errors.js';
import { writeFileAtomic } from '../../util/fs.js';
import { toPosix } from '../../util/paths.js';
import { findProject, projectRunners, shownPath, type Project, type Runner } from '../project.js';
import { CI_RECIPE_PATH, ciRecipe, type CiKind } from './ci-recipe.js';
import { packageManagerOf } from './package-manager.js';
import { jestAdvice } from './jest.js';
import { testsYml } from './tests-yml.js';
import { addVitestPlugin, NEW_VITEST_CONFIG, VITEST_SNIPPET } from './vitest-config.js';

export type InitAction = 'created' | 'changed' | 'unchanged' | 'skipped' | 'manual';

export interface InitStep {
  /** The file concerned, as shown (relative to where init started). */
  file: string;
  action: InitAction;
  note: string;
  /** For `manual`: what to add by hand. */
  snippet?: string;
}

export interface InitOptions {
  cwd: string;
  /** Overwrite an existing tests.yml / CI recipe that differs from what init writes. */
  force?: boolean;
  /** Which CI recipe; default: GitHub if .github/ exists, GitLab if .gitlab-ci.yml does. 'none': no recipe. */
  ci?: CiKind | 'none';
}

export interface InitReport {
  project: string;
  runners: Runner[];
  steps: InitStep[];
}

/**
 * Set a project up for testsift: the runner plugin, the .gitignore entry, a commented tests.yml
 * and a CI recipe. Idempotent: a second run finds everything in place and changes nothing. An
 * existing file is never replaced without `force`; a config whose shape is not recognised is
 * not edited (the snippet is printed instead).
 */
export async function runInit(o: InitOptions): Promise<InitReport> {
  const project = findProject(resolve(o.cwd));
  const runners = projectRunners(project);
  const steps: InitStep[] = [];
  if (runners.length === 0) {
    // Most likely the wrong folder: write nothing there.
    steps.push({
      file: shownPath(project, join(project.dir, 'package.json')),
      action: 'manual',
      note: 'no Vitest or Jest found here (no config, not a dependency): nothing written; install one (or run init in the project), then run testsift init again',
    });
    return { project: project.dir, runners, steps };
  }
  if (runners.includes('vitest')) steps.push(await vitestStep(project));
  if (runners.includes('jest')) steps.push(jestAdvice(project));
  steps.push(...(await gitignoreSteps(project, runners)));
  steps.push(await testsYmlStep(project, runners, o.force ?? false));
  const ci = ciStep(project, runners, o);
  if (ci) steps.push(await ci);
  return { project: project.dir, runners, steps };
}

async function vitestStep(p: Project): Promise<InitStep> {
  const config = p.vitestConfigs[0];
  if (!config) {
    if (p.vitestWorkspaces.length > 0) {
      return {
        file: shownPath(p, p.vitestWorkspaces[0]!),
        action: 'manual',
        note: 'a workspace file and no vitest.config.*: add the plugin to the root config by hand',
        snippet: VITEST_SNIPPET,
      };
    }
    const path = join(p.dir, 'vitest.config.ts');
    await writeFileAtomic(path, NEW_VITEST_CONFIG);
    return { file: shownPath(p, path), action: 'created', note: 'with the testsift plugin (vitest is a dependency and had no config)' };
  }
  const file = shownPath(p, config);
  const edit = addVitestPlugin(readFileSync(config, 'utf8'));
  if (edit.kind === 'present') return { file, action: 'unchanged', note: 'already imports testsift/vitest' };
  if (edit.kind === 'unrecognised') return { file, action: 'manual', note: `not edited: ${edit.reason}; add the plugin by hand`, snippet: VITEST_SNIPPET };
  await writeFileAtomic(config, edit.text);
  return { file, action: 'changed', note: "added import testsift from 'testsift/vitest' and testsift() to plugins" };
}

/**
 * `.testsift/` ignored where the runners write it: the Vitest plugin under Vitest's root (the
 * project), the Jest reporter under the repository root.
 */
async function gitignoreSteps(p: Project, runners: Runner[]): Promise<InitStep[]> {
  const dirs = [...new Set(runners.includes('jest') && p.repoRoot ? [p.dir, p.repoRoot] : [p.dir])];
  const steps: InitStep[] = [];
  for (const dir of dirs) {
    const path = join(dir, '.gitignore');
    const file = shownPath(p, path);
    if (await ignored(p, dir)) {
      steps.push({ file, action: 'unchanged', note: '.testsift/ is already ignored' });
      continue;
    }
    const existing = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    const sep = existing === undefined || existing === '' || existing.endsWith('\n') ? '' : '\n';
    await writeFileAtomic(path, `${existing ?? ''}${sep}# testsift: coverage map, timings, selections (CI artifacts)\n.testsift/\n`);
    steps.push({ file, action: existing === undefined ? 'created' : 'changed', note: 'added .testsift/' });
  }
  return steps;
}

/** Is `dir`/.testsift/ ignored? Git's answer in a repository, the .gitignore's lines outside one. */
async function ignored(p: Project, dir: string): Promise<boolean> {
  if (p.repoRoot) {
    const r = await new GitRunner(dir).read(['check-ignore', '-q', '--no-index', '.testsift/map.json']);
    if (r.exitCode === 0 || r.exitCode === 1) return r.exitCode === 0;
  }
  const path = join(dir, '.gitignore');
  return (
    existsSync(path) &&
    readFileSync(path, 'utf8')
      .split(/\r?\n/)
      .some((l) => /^\/?\.testsift(\/(\*\*?)?)?\s*$/.test(l.trim()))
  );
}

async function testsYmlStep(p: Project, runners: Runner[], force: boolean): Promise<InitStep> {
  const root = p.repoRoot ?? p.dir;
  const existing = nearestConfig(p.dir, root);
  const prefix = toPosix(relative(root, p.dir));
  const text = testsYml(runners, prefix);
  const own = join(p.dir, 'tests.yml');
  // A tests.yml further up (a monorepo's) already configures this package: not shadowed by a new one.
  if (existing && resolve(existing) !== own) return { file: shownPath(p, existing), action: 'unchanged', note: 'a tests.yml further up applies here: left as is' };
  const names = (runners.length ? runners : ['vitest']).map((r) => (r === 'vitest' ? 'Vitest' : 'Jest')).join(' + ');
  return writeNew(p, own, text, force, `a commented starter (tests: ${names}'s default test files)`);
}

function ciStep(p: Project, runners: Runner[], o: InitOptions): Promise<InitStep> | undefined {
  const root = p.repoRoot ?? p.dir;
  let kind = o.ci;
  if (kind === 'none') return undefined;
  if (kind === undefined) {
    const github = isDir(join(root, '.github'));
    const gitlab = existsSync(join(root, '.gitlab-ci.yml'));
    if (github && gitlab)
      return Promise.resolve({ file: '.github/ and .gitlab-ci.yml', action: 'skipped', note: 'both GitHub and GitLab CI found: choose with --ci github|gitlab' });
    if (!github && !gitlab)
      return Promise.resolve({ file: '(CI)', action: 'skipped', note: 'no .github/ or .gitlab-ci.yml found: write a recipe with --ci github|gitlab' });
    kind = github ? 'github' : 'gitlab';
  }
  const runner = runners[0] ?? 'vitest';
  const path = join(root, CI_RECIPE_PATH[kind]);
  const what =
    kind === 'github'
      ? 'records the map on main, selects and shards on pull requests'
      : 'include it from .gitlab-ci.yml; records on the default branch, selects and shards on merge requests';
  const recipe = ciRecipe(kind, runner, toPosix(relative(root, p.dir)), packageManagerOf(p.dir, root));
  return writeNew(p, path, recipe, o.force ?? false, what);
}

/** Create `path` with `text`; an existing file is kept (same content: unchanged) unless `force`. */
async function writeNew(p: Project, path: string, text: string, force: boolean, what: string): Promise<InitStep> {
  const file = shownPath(p, path);
  if (existsSync(path)) {
    if (!isFileSafe(path)) throw new UsageError(`init: ${file} exists and is not a file`);
    const current = readFileSync(path, 'utf8');
    if (current === text) return { file, action: 'unchanged', note: 'up to date' };
    if (!force) return { file, action: 'unchanged', note: 'exists and differs from the starter: left as is (--force overwrites it)' };
    await writeFileAtomic(path, text);
    return { file, action: 'changed', note: `overwritten (--force): ${what}` };
  }
  await writeFileAtomic(path, text);
  return { file, action: 'created', note: what };
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isFileSafe(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
