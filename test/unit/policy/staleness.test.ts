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
    expect(gone.reasons).toEqual([
      `coverage map merged.map (its tests recorded at ${missing.slice(0, 12)}) was recorded at ${missing.slice(0, 12)}, which is not in this clone (fetch more history or refresh the map)`,
    ]);
    const diverged = await checkMapFreshness(mapOf(recorded(c2, s1)), 'merged.map', ctx);
    expect(diverged.staleFiles).toEqual([]);
    expect(diverged.reasons).toHaveLength(1);
    expect(diverged.reasons[0]).toContain(`recorded at ${s1.slice(0, 12)}, which is neither an ancestor nor a descendant`);
  });

  it('no commit and no recordings: untrustworthy', async () => {
    expect((await checkMapFreshness(mapOf({}), 'm', ctx)).reasons[0]).toContain('records no commit');
  });
});

describe('checkMapFreshness: a map of one commit against the diff base', () => {
  it('recorded at the diff base itself: nothing stale', async () => {
    expect(await checkMapFreshness(mapOf({ commit: c3 }), 'm', ctx)).toEqual({ reasons: [], warnings: [], staleFiles: [] });
  });

  it('recorded at an ancestor of the base: the files changed since', async () => {
    expect(await checkMapFreshness(mapOf({ commit: c1 }), 'm', ctx)).toEqual({ reasons: [], warnings: [], staleFiles: ['a.ts', 'b.ts'] });
  });

  it('recorded on the target branch after the fork (a descendant of the base): the files it has that the base lacks', async () => {
    expect(await checkMapFreshness(mapOf({ commit: c5 }), 'm', ctx)).toEqual({ reasons: [], warnings: [], staleFiles: ['d.ts'] });
  });

  it('recorded on a diverged line: untrustworthy, naming both commits', async () => {
    const r = await checkMapFreshness(mapOf({ commit: s1 }), 'map.json', ctx);
    expect(r.staleFiles).toEqual([]);
    expect(r.reasons).toEqual([
      `coverage map map.json was recorded at ${s1.slice(0, 12)}, which is neither an ancestor nor a descendant of the diff base ${c3.slice(0, 12)}`,
    ]);
  });

  it('recorded at a commit this clone does not have: untrustworthy', async () => {
    const r = await checkMapFreshness(mapOf({ commit: 'a'.repeat(40) }), 'map.json', ctx);
    expect(r.reasons).toEqual([`coverage map map.json was recorded at ${'a'.repeat(12)}, which is not in this clone (fetch more history or refresh the map)`]);
  });

  it('records no commit: untrustworthy, saying how to record one', async () => {
    expect((await checkMapFreshness(mapOf({}), 'map.json', ctx)).reasons).toEqual([
      'coverage map map.json records no commit, so what changed since it was recorded is unknown (record it with testsift, or import it with --commit SHA)',
    ]);
  });

  it('a diff base that does not resolve: untrustworthy', async () => {
    const r = await checkMapFreshness(mapOf({ commit: c3 }), 'm', { ...ctx, changes: { ...changes, mergeBase: 'b'.repeat(40) } });
    expect(r.reasons).toEqual([`cannot resolve the diff base ${'b'.repeat(12)} to check coverage map m`]);
  });

  it('a changed-file list (no merge-base): compared with HEAD, which over-approximates', async () => {
    const list: ChangeSet = { files: [{ path: 'c.ts', status: 'modified' }], labels: [], warnings: [], fullSuiteReasons: [], source: 'list' };
    // HEAD is c4 (feature): c3 → c4 changed c.ts.
    expect(await checkMapFreshness(mapOf({ commit: c3 }), 'm', { ...ctx, changes: list })).toEqual({ reasons: [], warnings: [], staleFiles: ['c.ts'] });
  });

  it('outside a repository: a warning, the map is used', async () => {
    const r = await checkMapFreshness(mapOf({ commit: c3 }), 'm', { ...ctx, repoRoot: undefined });
    expect(r.reasons).toEqual([]);
    expect(r.warnings).toEqual([`not in a git repository: cannot check that coverage map m (commit ${c3.slice(0, 12)}) is an ancestor of the diff base`]);
  });
});

describe('checkMapFreshness: the age limit', () => {
  const now = new Date('2025-06-02T12:00:00.000Z');
  const aged = (timestamp: string | undefined, maxAgeHours: number | undefined) => checkMapFreshness(mapOf({ commit: c3, timestamp }), 'm', { ...ctx, now, maxAgeHours });

  it('older than max_map_age_hours: untrustworthy, saying how old', async () => {
    expect((await aged('2025-06-01T11:00:00.000Z', 24)).reasons).toEqual(['coverage map m is 25.0 h old (full_suite.max_map_age_hours: 24)']);
  });

  it('younger: fine; 0 or unset: not checked at all', async () => {
    expect(await aged('2025-06-01T13:00:00.000Z', 24)).toEqual({ reasons: [], warnings: [], staleFiles: [] });
    expect(await aged('2000-01-01T00:00:00.000Z', 0)).toEqual({ reasons: [], warnings: [], staleFiles: [] });
    expect(await aged('2000-01-01T00:00:00.000Z', undefined)).toEqual({ reasons: [], warnings: [], staleFiles: [] });
  });

  it('no timestamp or an unreadable one: a warning, not a reason', async () => {
    expect(await aged(undefined, 24)).toEqual({ reasons: [], warnings: ['coverage map m records no timestamp, age not checked'], staleFiles: [] });
    expect((await aged('yesterday', 24)).warnings).toEqual(["coverage map m: unreadable timestamp 'yesterday', age not checked"]);
  });

  it('an old map is untrustworthy even at the right commit, and the commit is still checked', async () => {
    const r = await checkMapFreshness(mapOf({ commit: s1, timestamp: '2025-05-01T00:00:00.000Z' }), 'm', { ...ctx, now, maxAgeHours: 24 });
    expect(r.reasons).toHaveLength(2);
    expect(r.reasons[0]).toMatch(/^coverage map m is \d+\.\d h old/);
    expect(r.reasons[1]).toContain('neither an ancestor nor a descendant');
  });
});
