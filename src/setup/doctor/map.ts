import { resolve } from 'node:path';
import { getChangeSet, resolveCommit } from '../../changes/index.js';
import { GitRunner } from '../../changes/git.js';
import { isShallow } from '../../changes/shallow.js';
import type { ChangeSet } from '../../changes/types.js';
import { DEFAULT_COVERAGE_MAP, DEFAULT_MAX_MAP_AGE_HOURS } from '../../config/defaults.js';
import { nearestMap, type LocatedMap } from '../../config/locate.js';
import type { Config } from '../../config/types.js';
import { TestsiftError } from '../../errors.js';
import { loadCoverageMap } from '../../mappings/coverage/load.js';
import type { CoverageMap } from '../../mappings/coverage/types.js';
import { checkMapFreshness } from '../../policy/staleness.js';
import { isFile } from '../../util/fs.js';
import { fail, ok, warn, type CheckResult } from './types.js';

export interface MapCheckOptions {
  /** Where doctor runs (after --root); the map is the nearest from here, as detect finds it. */
  cwd: string;
  repoRoot: string | undefined;
  config: Config;
  /** How to record one, for the fix line. */
  recordCommand: string;
  base?: string;
  env: Record<string, string | undefined>;
  now: Date;
}

/**
 * The map detect would read: present, readable, its commit(s) known and in this clone, its age,
 * and whether detect would trust it against the diff base (the same checkMapFreshness detect
 * calls, so doctor and detect cannot disagree about staleness).
 */
export async function mapChecks(o: MapCheckOptions): Promise<CheckResult[]> {
  const root = o.repoRoot ?? o.cwd;
  const located = locate(o.config, o.cwd, root);
  if (!located) return [warn('map', 'coverage_map: none in tests.yml: selection uses tests.yml rules only (changed files nothing maps run the full suite)')];
  const { label, abs } = located;
  const record = `${o.recordCommand}   (writes ${DEFAULT_COVERAGE_MAP}; in CI download the main branch's map first)`;
  if (!isFile(abs)) return [fail('map', `coverage map ${label} not found: detect runs the full suite`, record)];

  let map: CoverageMap;
  try {
    map = await loadCoverageMap(abs);
  } catch (err) {
    if (!(err instanceof TestsiftError)) throw err;
    return [fail('map', `coverage map ${label} is unreadable: ${err.message}`, record)];
  }
  const { commit, timestamp, recordings, runner, runnerVersion } = map.metadata;
  const commits = recordings?.length ? recordings.map((r) => r.commit) : commit ? [commit] : [];
  const stats = map.stats();
  const what = `${stats.tests} tests, ${stats.sources} files${runner ? `, by ${runner}${runnerVersion ? ` ${runnerVersion}` : ''}` : ''}`;
  const age = ageText(timestamp, o.now);
  if (commits.length === 0) {
    return [
      fail(
        'map',
        `coverage map ${label} (${what}) records no commit: detect cannot tell what changed since, and runs the full suite`,
        `${o.recordCommand}   (or: testsift map import … --commit SHA)`,
      ),
    ];
  }

  const out: CheckResult[] = [];
  const at = commits.length > 1 ? `commits ${commits.map(short).join(', ')} (a merged map)` : `commit ${short(commits[0]!)}`;
  if (!o.repoRoot) {
    out.push(warn('map', `coverage map ${label} (${what}) recorded at ${at}${age}; not in a git repository, so its commit is not checked`));
    return out;
  }
  const missing: string[] = [];
  for (const c of commits) if (!(await resolveCommit(o.repoRoot, c))) missing.push(c);
  if (missing.length > 0) {
    const shallow = await isShallow(new GitRunner(o.repoRoot));
    const msg = `coverage map ${label} (${what}) recorded at ${at}${age}; ${missing.map(short).join(', ')} not in this clone${shallow ? ' (a shallow clone: detect-tests fetches it)' : ''}`;
    const fix = `git fetch origin ${missing.join(' ')}   (detect --ci / detect-tests fetch it themselves)`;
    out.push(shallow ? warn('map', msg, fix) : fail('map', `${msg}: detect runs the full suite`, fix));
    return out;
  }
  out.push(ok('map', `coverage map ${label}: ${what}, recorded at ${at}${age}`));
  out.push(await freshness(map, label, o));
  return out;
}

async function freshness(map: CoverageMap, label: string, o: MapCheckOptions): Promise<CheckResult> {
  let changes: ChangeSet;
  try {
    changes = await getChangeSet({ cwd: o.repoRoot, repoRoot: o.repoRoot, base: o.base, env: o.env });
  } catch (err) {
    if (!(err instanceof TestsiftError)) throw err;
    return warn('freshness', `not checked against a diff base: ${err.message}`, 'testsift doctor --base origin/main');
  }
  const result = await checkMapFreshness(map, label, {
    repoRoot: o.repoRoot,
    changes,
    maxAgeHours: o.config.fullSuite.maxMapAgeHours ?? (o.repoRoot ? undefined : DEFAULT_MAX_MAP_AGE_HOURS),
    now: o.now,
  });
  const against = `base ${changes.base}${changes.mergeBase ? ` (merge-base ${short(changes.mergeBase)})` : ''}`;
  if (result.reasons.length > 0) {
    return fail(
      'freshness',
      `coverage map ${label} cannot serve ${against}: detect runs the full suite`,
      `${o.recordCommand} on a commit of the base branch`,
      result.reasons,
    );
  }
  if (!changes.mergeBase) {
    return warn('freshness', `coverage map ${label}: no merge-base with ${changes.base}, freshness not checked`, 'testsift doctor --base REF', changes.fullSuiteReasons);
  }
  const n = result.staleFiles.length;
  const details = [...result.warnings, ...(n > 0 ? [`e.g. ${result.staleFiles.slice(0, 5).join(', ')}${n > 5 ? ` (+${n - 5} more)` : ''}`] : [])];
  const line = `coverage map ${label} serves ${against}${n > 0 ? `; ${n} file(s) differ between its commit and the base and count as changed` : ': recorded at the base'}`;
  return result.warnings.length > 0 ? warn('freshness', line, undefined, details) : ok('freshness', line, details);
}

/** The map detect would read by default (tests.yml coverage_map, else the nearest .testsift/map.json). */
function locate(config: Config, cwd: string, root: string): LocatedMap | undefined {
  const configured = config.coverageMap;
  if (configured === 'none') return undefined;
  if (configured !== undefined && configured !== DEFAULT_COVERAGE_MAP) return { label: configured, abs: resolve(root, configured) };
  return nearestMap(cwd, root);
}

function ageText(timestamp: string | undefined, now: Date): string {
  if (!timestamp) return ', no timestamp';
  const hours = (now.getTime() - Date.parse(timestamp)) / 3_600_000;
  if (Number.isNaN(hours)) return `, unreadable timestamp '${timestamp}'`;
  return hours < 1 / 60
    ? ', just now'
    : hours < 1
      ? `, ${Math.round(hours * 60)} min ago`
      : hours < 48
        ? `, ${hours.toFixed(1)} h ago`
        : `, ${(hours / 24).toFixed(1)} days ago`;
}

function short(sha: string): string {
  return /^[0-9a-f]{40}$/.test(sha) ? sha.slice(0, 12) : sha;
}
