import { changedBetween, isAncestor } from '../changes/index.js';
import type { ChangeSet } from '../changes/types.js';
import type { CoverageMap } from '../mappings/coverage/types.js';

export interface MapFreshness {
  /** Reasons that make this map untrustworthy (⇒ full suite). */
  reasons: string[];
  warnings: string[];
  /** Files changed between the map's commit and the diff base: their map rows are stale, treat them as changed. */
  staleFiles: string[];
}

export interface FreshnessContext {
  /** Repository root, or undefined outside a git repository. */
  repoRoot: string | undefined;
  changes: ChangeSet;
  maxAgeHours: number | undefined;
  now: Date;
}

/**
 * DESIGN §6: a map recorded at commit C serves a diff based at B only if C is an ancestor of B;
 * then the files changed between C and B are treated as changed too. Otherwise (C unknown, not in
 * this clone, not an ancestor) the map cannot be trusted. A map older than max_map_age_hours is
 * stale too.
 */
export async function checkMapFreshness(map: CoverageMap, label: string, ctx: FreshnessContext): Promise<MapFreshness> {
  const out: MapFreshness = { reasons: [], warnings: [], staleFiles: [] };
  const { commit, timestamp } = map.metadata;

  if (ctx.maxAgeHours && ctx.maxAgeHours > 0) {
    if (timestamp) {
      const ageHours = (ctx.now.getTime() - Date.parse(timestamp)) / 3_600_000;
      if (Number.isNaN(ageHours)) out.warnings.push(`coverage map ${label}: unreadable timestamp '${timestamp}', age not checked`);
      else if (ageHours > ctx.maxAgeHours) {
        out.reasons.push(`coverage map ${label} is ${ageHours.toFixed(1)} h old (full_suite.max_map_age_hours: ${ctx.maxAgeHours})`);
      }
    } else {
      out.warnings.push(`coverage map ${label} records no timestamp, age not checked`);
    }
  }

  if (!commit) {
    out.reasons.push(
      `coverage map ${label} records no commit, so what changed since it was recorded is unknown (record it with testsift, or import it with --commit SHA)`,
    );
    return out;
  }
  if (!ctx.repoRoot) {
    out.warnings.push(`not in a git repository: cannot check that coverage map ${label} (commit ${short(commit)}) is an ancestor of the diff base`);
    return out;
  }
  // With a file list there is no merge-base: compare with HEAD, which over-approximates (the
  // change's own files are included), never under.
  const base = ctx.changes.mergeBase ?? ctx.changes.head ?? 'HEAD';
  const ancestor = await isAncestor(ctx.repoRoot, commit, base);
  if (ancestor === undefined) {
    out.reasons.push(`coverage map ${label} was recorded at ${short(commit)}, which is not in this clone (fetch more history or refresh the map)`);
    return out;
  }
  if (!ancestor) {
    out.reasons.push(`coverage map ${label} was recorded at ${short(commit)}, which is not an ancestor of the diff base ${short(base)}`);
    return out;
  }
  const stale = await changedBetween(ctx.repoRoot, commit, base);
  if (stale === undefined) {
    out.reasons.push(`cannot list the files changed between coverage map commit ${short(commit)} and ${short(base)}`);
    return out;
  }
  out.staleFiles = stale;
  return out;
}

function short(sha: string): string {
  return /^[0-9a-f]{40}$/.test(sha) ? sha.slice(0, 12) : sha;
}
