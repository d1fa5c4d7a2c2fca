import { existsSync, realpathSync } from 'node:fs';
import { join, relative } from 'node:path';
import { GitRunner, splitNul } from '../../changes/git.js';
import type { Config } from '../../config/types.js';
import { testMatcher } from '../../detect.js';
import { globBases, walkFiles } from '../../util/files.js';
import { toPosix } from '../../util/paths.js';
import { projectRunners, runnerBin, shownPath, type Project, type Runner } from '../project.js';
import { listRunnerTests } from '../runner-list.js';
import { fail, ok, warn, type CheckResult } from './types.js';

const CHECK = 'universe';
const SHOW = 5;

export interface UniverseOptions {
  config: Config;
  env: Record<string, string | undefined>;
  /** false: --no-runner. */
  runRunner: boolean;
  timeoutMs: number;
}

/**
 * Does detect's test universe (tests.yml `tests:`, else the defaults) hold the files the runner
 * runs? A file only the runner has is never selected as an unrecorded test and never counts as a
 * changed test: a change could miss it (FAIL). A file only detect has is selected but not run
 * (the plugin warns at run time): a warning. Compared within the project folder.
 */
export async function universeChecks(p: Project, o: UniverseOptions): Promise<CheckResult[]> {
  const runners = projectRunners(p);
  if (runners.length === 0) return [];
  if (!o.runRunner) return [warn(CHECK, 'not compared with the runner (--no-runner)', 'testsift doctor   (without --no-runner)')];
  const root = p.repoRoot ?? p.dir;
  const universe = await detectUniverse(root, o.config);
  const out: CheckResult[] = [];
  for (const runner of runners) out.push(await compare(p, runner, root, universe, o));
  return out;
}

async function compare(p: Project, runner: Runner, root: string, universe: Set<string>, o: UniverseOptions): Promise<CheckResult> {
  const bin = runnerBin(p, runner);
  if (!bin)
    return fail(
      CHECK,
      `${runner} is not installed (no node_modules/${runner} from ${shownPath(p, p.dir)} up), so its tests cannot be listed`,
      'npm ci   (or npm install)',
    );
  const listing = await listRunnerTests(runner, bin, p.dir, o.env, o.timeoutMs);
  const cmd = runner === 'vitest' ? 'vitest list --filesOnly' : 'jest --listTests';
  if (!listing.ok) {
    return listing.timedOut
      ? warn(CHECK, `not compared: ${cmd} ${listing.error}`, `testsift doctor --runner-timeout ${Math.ceil((o.timeoutMs * 4) / 1000)}`)
      : fail(CHECK, `${cmd} failed: ${listing.error}`, `run npx ${cmd} in ${shownPath(p, p.dir)} and fix what it reports`);
  }
  const realRoot = realpathSync(root);
  const runnerFiles = new Set(listing.files.map((f) => toPosix(relative(realRoot, safeRealpath(f)))));
  const prefix = toPosix(relative(root, p.dir));
  const inProject = (f: string): boolean => prefix === '' || f.startsWith(`${prefix}/`);
  const runnerOnly = [...runnerFiles].filter((f) => !universe.has(f)).sort();
  const detectOnly = [...universe].filter((f) => inProject(f) && !runnerFiles.has(f)).sort();
  const where = o.config.files.length > 0 ? `tests: in ${o.config.files.map((f) => shownPath(p, f)).join(', ')}` : 'the default tests: globs (no tests.yml)';
  const fix = `set tests: in tests.yml to globs matching ${runner === 'vitest' ? "Vitest's test.include" : "Jest's testMatch"}: now ${JSON.stringify(o.config.tests)}`;
  if (runnerOnly.length > 0) {
    return fail(CHECK, `${runnerOnly.length} of ${runnerFiles.size} test files ${runner} runs are outside detect's universe (${where}): a change can miss them`, fix, [
      `only ${runner}: ${sample(runnerOnly)}`,
      ...(detectOnly.length ? [`only detect: ${sample(detectOnly)}`] : []),
    ]);
  }
  if (detectOnly.length > 0) {
    return warn(CHECK, `${detectOnly.length} file(s) in detect's universe (${where}) that ${runner} does not run: they may be selected and not run`, fix, [
      `only detect: ${sample(detectOnly)}`,
    ]);
  }
  return ok(CHECK, `${runner} runs the same ${runnerFiles.size} test files as detect's universe (${where})`);
}

/**
 * detect's universe, as a local checkout sees it: git's tracked AND untracked-not-ignored files
 * (a new test not yet committed is still one the runner runs), each existing; the tree walked
 * outside a repository.
 */
async function detectUniverse(root: string, config: Config): Promise<Set<string>> {
  const isTest = testMatcher(config);
  const bases = globBases(config.tests);
  const specs = bases.includes('') ? [] : bases.map((d) => `:(literal)${d}`);
  const r = await new GitRunner(root).read(['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', ...specs]);
  const files = r.ok ? splitNul(r.stdout).filter((f) => existsSync(join(root, f))) : bases.flatMap((b) => walkFiles(root, b));
  return new Set(files.filter(isTest));
}

function sample(list: string[]): string {
  return `${list.slice(0, SHOW).join(', ')}${list.length > SHOW ? ` (+${list.length - SHOW} more)` : ''}`;
}

function safeRealpath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}
