import { relative, resolve } from 'node:path';
import { isFile } from '../util/fs.js';
import { toPosix } from '../util/paths.js';
import { findUpward } from '../util/repo.js';
import { DEFAULT_COVERAGE_MAP } from './defaults.js';

/**
 * Where the defaults of a run are, found from the folder it starts in: one rule for every
 * command. Paths a user gives resolve from the current directory, like every CLI; defaults are
 * the nearest `tests.yml` and `.testsift/map.json` from there up to the repository root, so a
 * package of a monorepo (where the runner plugin writes its `.testsift/`) works on its own.
 */
export function nearestConfig(cwd: string, root: string): string | undefined {
  const found = findUpward(cwd, root, 'tests.yml');
  return found && isFile(found) ? found : undefined;
}

export interface LocatedMap {
  /** As shown in messages: relative to the current directory, or saying where it looked. */
  label: string;
  abs: string;
}

/** The nearest `.testsift/map.json`; when there is none, where it would be and where it was looked for. */
export function nearestMap(cwd: string, root: string): LocatedMap {
  const found = findUpward(cwd, root, DEFAULT_COVERAGE_MAP);
  if (found) return { label: displayPath(cwd, found), abs: found };
  const where = resolve(cwd) === resolve(root) ? '' : ` (looked from ${displayPath(root, cwd)} up to the repository root)`;
  return { label: `${DEFAULT_COVERAGE_MAP}${where}`, abs: resolve(cwd, DEFAULT_COVERAGE_MAP) };
}

export function displayPath(from: string, abs: string): string {
  return toPosix(relative(from, abs)) || '.';
}
