// Staleness per recording commit: a map merged from maps of several commits is checked from each.
import { afterAll, describe, expect, it } from 'vitest';
import type { ChangeSet } from '../../../src/changes/types.js';
import type { CoverageMap, MapMetadata } from '../../../src/mappings/coverage/types.js';
import { checkMapFreshness } from '../../../src/policy/staleness.js';
import { TempRepo } from '../../helpers/git.js';

/** Only the metadata matters to the freshness check. */
function mapOf(meta: Partial<MapMetadata>): CoverageMap {
  return { metadata: { format: 'native', ...meta }, isKnown: () => false, testsFor: () => [], stats: () => ({ sources: 0, tests: 0, edges: 0 }) };
}

function recorded(...commits: string[]): Partial<MapMetadata> {
  return { recordings: commits.map((commit) => ({ commit, tests: 1 })) };
}

/*
 * main:    c1 (a, b, c) ── c2 (a changed) ── c3 (b changed) ── c5 (d added)
 *                                            └─ feature: c4 (c changed)     (merge-base c3)
 * side:    c1 ── s1 (e added)                                               (diverged from c3)
 */
const repo = new TempRepo('testsift-stale-');
afterAll(() => repo.cleanup());
repo.write({ 'a.ts': '1\n', 'b.ts': '1\n', 'c.ts': '1\n' });
const c1 = repo.commit('c1');
repo.write({ 'a.ts': '2\n' });
const c2 = repo.commit('c2');
repo.write({ 'b.ts': '2\n' });
const c3 = repo.commit('c3');
repo.git('checkout', '-q', '-b', 'feature');
repo.write({ 'c.ts': '2\n' });
const c4 = repo.commit('c4');
repo.git('checkout', '-q', 'main');
repo.write({ 'd.ts': '1\n' });
const c5 = repo.commit('c5');
repo.git('checkout', '-q', '-b', 'side', c1);
repo.write({ 'e.ts': '1\n' });
const s1 = repo.commit('s1');
repo.git('checkout', '-q', 'feature');

const changes: ChangeSet = { files: [{ path: 'c.ts', status: 'modified' }], labels: [], warnings: [], mergeBase: c3, head: c4 };
const ctx = { repoRoot: repo.root, changes, maxAgeHours: undefined, now: new Date() };

describe('checkMapFreshness: maps of several recording commits', () => {
  it('one commit: the files changed between it and the diff base (unchanged behaviour)', async () => {
    expect(await checkMapFreshness(mapOf({ commit: c2 }), 'm', ctx)).toEqual({ reasons: [], warnings: [], staleFiles: ['b.ts'] });
    expect((await checkMapFreshness(mapOf({ commit: c3 }), 'm', ctx)).staleFiles).toEqual([]);
  });

  it('several commits: the union over every commit of the files changed between it and the base', async () => {
    // c1 → c3: a, b.  c2 → c3: b.  The rows of tests recorded at c1 must see a.ts as changed.
    expect((await checkMapFreshness(mapOf(recorded(c1, c2)), 'm', ctx)).staleFiles).toEqual(['a.ts', 'b.ts']);
    expect((await checkMapFreshness(mapOf(recorded(c2, c3)), 'm', ctx)).staleFiles).toEqual(['b.ts']);
    // A recording made on main after the branch forked (a descendant of the base) counts too.
    expect((await checkMapFreshness(mapOf(recorded(c2, c5)), 'm', ctx)).staleFiles).toEqual(['b.ts', 'd.ts']);
  });

  it('a multi-commit map ignores a stray metadata.commit (the recordings are what the rows were recorded at)', async () => {
    expect((await checkMapFreshness(mapOf({ commit: c3, ...recorded(c1, c3) }), 'm', ctx)).staleFiles).toEqual(['a.ts', 'b.ts']);
  });

  it('any recording commit that cannot be compared makes the whole map untrustworthy, named', async () => {
    const missing = 'f'.repeat(40);
    const gone = await checkMapFreshness(mapOf(recorded(c2, missing)), 'merged.map', ctx);
    expect(gone.staleFiles).toEqual([]);
    expect(gone.reasons).toEqual([`coverage map merged.map (its tests recorded at ${missing.slice(0, 12)}) was recorded at ${missing.slice(0, 12)}, which is not in this clone (fetch more history or refresh the map)`]);
    const diverged = await checkMapFreshness(mapOf(recorded(c2, s1)), 'merged.map', ctx);
    expect(diverged.staleFiles).toEqual([]);
    expect(diverged.reasons).toHaveLength(1);
    expect(diverged.reasons[0]).toContain(`recorded at ${s1.slice(0, 12)}, which is neither an ancestor nor a descendant`);
  });

  it('no commit and no recordings: untrustworthy', async () => {
    expect((await checkMapFreshness(mapOf({}), 'm', ctx)).reasons[0]).toContain('records no commit');
  });
});
