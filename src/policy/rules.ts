import { anyGlob, globTest } from '../util/globs.js';
import type { ChangeSet } from '../changes/types.js';
import type { Config } from '../config/types.js';
import { listFiles } from '../util/list-files.js';

/** `full_suite.labels`: a label on the change asks for everything. */
export function labelReasons(config: Config, changes: ChangeSet): string[] {
  const wanted = new Set(config.fullSuite.labels);
  return changes.labels.filter((l) => wanted.has(l)).map((l) => `label '${l}' requests the full suite`);
}

/**
 * A change to testsift's own configuration (tests.yml, `--mapping` files): the head's rules
 * would judge the change that wrote them, so a merge request could set `unmapped: ignore` or drop
 * a rule and run nothing. Not configurable, for the same reason: the setting would come from the
 * file under change. `configFiles` are repo-relative.
 */
export function configChangeReasons(configFiles: readonly string[], changes: ChangeSet): string[] {
  const watched = new Set(configFiles);
  const hits = new Set<string>();
  for (const f of changes.files) {
    if (watched.has(f.path)) hits.add(f.path);
    if (f.oldPath && watched.has(f.oldPath)) hits.add(f.oldPath);
  }
  return hits.size > 0 ? [`testsift configuration changed: ${listFiles([...hits].sort())}`] : [];
}

/** `full_suite.changes`: CI config, lockfiles, package.json, runner configs, setup files. */
export function coreFileReasons(config: Config, changes: ChangeSet): string[] {
  const reasons: string[] = [];
  for (const pattern of config.fullSuite.changes) {
    const isMatch = globTest(pattern);
    const hits = new Set<string>();
    for (const f of changes.files) {
      if (isMatch(f.path)) hits.add(f.path);
      if (f.oldPath && isMatch(f.oldPath)) hits.add(f.oldPath);
    }
    if (hits.size > 0) reasons.push(`core file changed: ${listFiles([...hits].sort())} (full_suite.changes '${pattern}')`);
  }
  return reasons;
}

/**
 * `unmapped: full`: a changed file that is not a test, not under `ignore`, and that no strategy
 * explains (no tests.yml source matches it, the map does not know it) could need any test.
 */
export function unmappedReasons(
  config: Config,
  changes: ChangeSet,
  explained: ReadonlySet<string>,
  isTest: (p: string) => boolean,
): { reasons: string[]; unmapped: string[]; ignored: string[] } {
  const isIgnored = anyGlob(config.ignore);
  const unmapped: string[] = [];
  const ignored: string[] = [];
  for (const f of changes.files) {
    if (explained.has(f.path) || isTest(f.path)) continue;
    if (isIgnored(f.path) && (!f.oldPath || isIgnored(f.oldPath))) {
      ignored.push(f.path);
      continue;
    }
    unmapped.push(f.path);
  }
  const reasons =
    config.fullSuite.unmapped === 'full' && unmapped.length > 0
      ? [`unmapped change: ${listFiles(unmapped)} — not a test, not ignored, not matched by tests.yml and not known to the coverage map`]
      : [];
  return { reasons, unmapped, ignored };
}
