import { resolve } from 'node:path';
import { loadConfig } from '../../config/index.js';
import { nearestConfig } from '../../config/locate.js';
import type { Config } from '../../config/types.js';
import { TestsiftError } from '../../errors.js';
import { findProject, projectRunners, shownPath, type Project } from '../project.js';
import { ciEnvCheck } from './ci-env.js';
import { gitignoreCheck } from './gitignore.js';
import { mapChecks } from './map.js';
import { pluginChecks, RECORD_COMMAND } from './plugin.js';
import { timingsCheck } from './timings.js';
import { fail, info, ok, warn, type CheckResult } from './types.js';
import { universeChecks } from './universe.js';

export type { CheckResult } from './types.js';

export interface DoctorOptions {
  /** Where to check from (after --root). */
  cwd: string;
  /** tests.yml given with --config (resolved from cwd); default: the nearest one. */
  config?: string;
  /** Diff base for the freshness check; default: detect's (CI variables, origin/HEAD, main, …). */
  base?: string;
  /** Ask the runner for its test list (false: --no-runner). */
  runRunner?: boolean;
  runnerTimeoutMs?: number;
  env: Record<string, string | undefined>;
  now?: Date;
}

export interface DoctorReport {
  /** The project folder checked (absolute). */
  project: string;
  checks: CheckResult[];
  problems: number;
  warnings: number;
}

export const DEFAULT_RUNNER_TIMEOUT_MS = 120_000;

/** Every check of `testsift doctor`, in the order they are shown. */
export async function runDoctor(o: DoctorOptions): Promise<DoctorReport> {
  const cwd = resolve(o.cwd);
  const project = findProject(cwd);
  const checks: CheckResult[] = [];
  checks.push(...pluginChecks(project));
  const { config, check } = await configCheck(project, o.config);
  checks.push(check);
  const recordCommand = RECORD_COMMAND[projectRunners(project)[0] ?? 'vitest'];
  checks.push(...(await mapChecks({ cwd, repoRoot: project.repoRoot, config, recordCommand, base: o.base, env: o.env, now: o.now ?? new Date() })));
  checks.push(...(await universeChecks(project, { config, env: o.env, runRunner: o.runRunner ?? true, timeoutMs: o.runnerTimeoutMs ?? DEFAULT_RUNNER_TIMEOUT_MS })));
  checks.push(await gitignoreCheck(project));
  checks.push(await timingsCheck(project, recordCommand));
  checks.push(ciEnvCheck(o.env));
  return {
    project: project.dir,
    checks,
    problems: checks.filter((c) => c.status === 'FAIL').length,
    warnings: checks.filter((c) => c.status === 'warn').length,
  };
}

/** tests.yml as detect reads it; a broken one is a problem here (detect would exit 2), and the other checks use the defaults. */
async function configCheck(p: Project, given: string | undefined): Promise<{ config: Config; check: CheckResult }> {
  const root = p.repoRoot ?? p.cwd;
  const path = given ?? nearestConfig(p.cwd, root);
  const defaults = await loadConfig(undefined, { root });
  if (!path) return { config: defaults, check: info('config', 'no tests.yml: built-in defaults (npx testsift init writes a commented one)') };
  try {
    const config = await loadConfig(path, { root });
    const shown = shownPath(p, path);
    const summary = `${shown}: ${config.mapping.length} mapping rule(s), tests: ${JSON.stringify(config.tests)}`;
    const warnings = config.warnings ?? [];
    return { config, check: warnings.length > 0 ? warn('config', `${summary}; ${warnings.length} warning(s)`, `edit ${shown}`, warnings) : ok('config', summary) };
  } catch (err) {
    if (!(err instanceof TestsiftError)) throw err;
    return {
      config: defaults,
      check: fail('config', `${shownPath(p, path)} is invalid: ${err.message} (detect exits 2)`, `fix it; check with: npx testsift verify-mapping ${shownPath(p, path)}`),
    };
  }
}
