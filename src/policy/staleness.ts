import { compareCommits } from '../changes/compare.js';
import { readHeadCommit } from '../changes/head.js';
import { unbornHeadBranch } from '../changes/unborn.js';
import type { ChangeSet } from '../changes/types.js';
import type { CoverageMap } from '../mappings/coverage/types.js';

export interface MapFreshness {
  /** Reasons that make this map untrustworthy (⇒ full suite). */
  reasons: string[];
  warnings: string[];
  /** Files that differ between the map's commit (each of its commits) and the diff base: their map rows are stale, treat them as changed. */
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
 * docs/design.md: a map recorded at commit C serves a diff based at B when C and B lie on one line of
 * history; then the files that differ between C and B are treated as changed too. If C is an
 * ancestor of B, those are the files changed since recording; if B is an ancestor of C (the map
 * was recorded on the target branch after this branch forked: the usual case in a merge
 * request), their rows describe newer code than the branch has. Either way a test whose run
 * could differ from the recorded one first differs in a changed or a listed file, whose row
 * names it. Otherwise (C unknown, not in this clone, on a diverged line) the map cannot be
 * trusted. A map older than max_map_age_hours is stale too.
 *
 * A map merged from maps of several commits (metadata.recordings) is checked from every one: a
 * test recorded at C_i first differs from its recorded run in a file changed between C_i and the
 * head, i.e. in the diff or in stale(C_i); its row (a merge keeps every input's edges) names the
 * test. So the stale files are the union over i of stale(C_i), and any commit that cannot be
 * compared makes the whole map untrustworthy — exactly what giving the inputs to detect as
 * separate maps does. A map of one commit takes the same single comparison as before.
 */
export async function checkMapFreshness(map: Pick<CoverageMap, 'metadata'>, label: string, ctx: FreshnessContext): Promise<MapFreshness> {
  const out: MapFreshness = { reasons: [], warnings: [], staleFiles: [] };
  const { commit, timestamp, recordings } = map.metadata;

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

  const commits = recordings && recordings.length > 0 ? recordings.map((r) => r.commit) : commit ? [commit] : [];
  if (commits.length === 0) {
    out.reasons.push(
      `coverage map ${label} records no commit, so what changed since it was recorded is unknown (record it with testsift, or import it with --commit SHA)`,
    );
    return out;
  }
  const what = (c: string): string => (commits.length > 1 ? `coverage map ${label} (its tests recorded at ${short(c)})` : `coverage map ${label}`);
  if (!ctx.repoRoot) {
    out.warnings.push(`not in a git repository: cannot check that ${what(commits[0])} (commit ${commits.map(short).join(', ')}) is an ancestor of the diff base`);
    return out;
  }
  const repoRoot = ctx.repoRoot;
  // With a file list there is no merge-base: compare with HEAD, which over-approximates (the
  // change's own files are included), never under.
  const base = ctx.changes.mergeBase ?? ctx.changes.head ?? readHeadCommit(repoRoot) ?? 'HEAD';
  const compared = await Promise.all(commits.map((c) => compareCommits(repoRoot, c, base)));
  // No commit yet (a changed-files list in a fresh repository): say that, not "not in this clone".
  const unborn = base === 'HEAD' && compared.some((cmp) => 'unknown' in cmp) ? await unbornHeadBranch(repoRoot) : undefined;
  if (unborn !== undefined) {
    out.reasons.push(`the repository has no commit yet (HEAD is unborn: branch "${unborn}"), so coverage map ${label} cannot be checked against it`);
    return out;
  }
  const stale = new Set<string>();
  compared.forEach((cmp, i) => {
    const c = commits[i];
    if ('unknown' in cmp) {
      out.reasons.push(
        cmp.unknown === 'from'
          ? `${what(c)} was recorded at ${short(c)}, which is not in this clone (fetch more history or refresh the map)`
          : `cannot resolve the diff base ${short(base)} to check coverage map ${label}`,
      );
    } else if ('failed' in cmp) {
      out.reasons.push(`cannot compare coverage map commit ${short(c)} with ${short(base)}: ${cmp.failed}`);
    } else if (cmp.relation === 'diverged') {
      out.reasons.push(`${what(c)} was recorded at ${short(c)}, which is neither an ancestor nor a descendant of the diff base ${short(base)}`);
    } else {
      for (const p of cmp.changed ?? []) stale.add(p);
    }
  });
  if (out.reasons.length > 0) return out;
  out.staleFiles = commits.length === 1 ? ((compared[0] as { changed?: string[] }).changed ?? []) : [...stale].sort();
  return out;
}

function short(sha: string): string {
  return /^[0-9a-f]{40}$/.test(sha) ? sha.slice(0, 12) : sha;
}
