import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { toPosix } from '../util/paths.js';
import { DEFAULT_COVERAGE_MAP } from './defaults.js';
import { displayName, loadConfig } from './index.js';
import { nearestConfig, nearestMap, type LocatedMap } from './locate.js';
import type { Config } from './types.js';

/*
 * What detect reads, found by the one path rule (see locate.ts): the tests.yml, the files that
 * count as its configuration, and the coverage maps.
 */

/**
 * Paths a caller gives resolve from `cwd`, like every CLI; without one, the nearest tests.yml
 * from `cwd` up to the repository root is read (a package of a monorepo may have its own).
 */
export async function loadDetectConfig(cwd: string, root: string, config: string | string[] | undefined): Promise<Config> {
  if (config !== undefined && (!Array.isArray(config) || config.length > 0)) {
    const list = (Array.isArray(config) ? config : [config]).map((p) => resolve(cwd, p));
    return loadConfig(list, { root });
  }
  const nearest = nearestConfig(cwd, root);
  return nearest ? loadConfig(nearest, { root }) : loadConfig(undefined, { root });
}

/**
 * The configuration files detect reads, repo-relative (files outside the repository cannot be
 * changed by it). Without --config: every `tests.yml` from `cwd` up to the repository root,
 * whether it exists or not: a change that adds or deletes one changes the rules too.
 */
export function configPaths(cwd: string, root: string, config: string | string[] | undefined): string[] {
  const given = config === undefined ? [] : Array.isArray(config) ? config : [config];
  if (given.length > 0) return given.map((p) => displayName(resolve(cwd, p), root)).filter((p) => !isAbsolute(p) && !p.startsWith('../'));
  const out: string[] = [];
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const rel = toPosix(relative(root, dir));
    if (rel.startsWith('..') || isAbsolute(rel)) break;
    out.push(rel ? `${rel}/tests.yml` : 'tests.yml');
    if (rel === '') break;
  }
  return out;
}

/**
 * The maps to read: those given (from `cwd`), else tests.yml's `coverage_map` (repo-relative,
 * like every path in tests.yml), else the nearest `.testsift/map.json` from `cwd` up to the
 * repository root, which is where the runner plugins write it (Vitest's or Jest's root).
 */
export function resolveMapPaths(flag: string | string[] | undefined, config: Config, cwd: string, root: string): LocatedMap[] {
  const given = flag === undefined ? [] : Array.isArray(flag) ? flag : [flag];
  if (given.some((p) => p === 'none')) return [];
  if (given.length > 0) return given.map((p) => ({ label: p, abs: resolve(cwd, p) }));
  const configured = config.coverageMap;
  if (configured === undefined || configured === 'none') return [];
  if (configured !== DEFAULT_COVERAGE_MAP) return [{ label: configured, abs: resolve(root, configured) }];
  return [nearestMap(cwd, root)];
}
