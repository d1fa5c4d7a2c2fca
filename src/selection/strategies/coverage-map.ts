import type { CoverageMap } from '../../mappings/coverage/types.js';
import type { CandidateGroup, Reason, Strategy, StrategyContext, StrategyResult } from '../types.js';
import { testsForBlocks } from './blocks.js';

/**
 * The dynamic map: tests that executed (or read) a changed file, looked up under its new and its
 * old path (a renamed or deleted file is in the map under the name it had). With block
 * granularity, a change strictly inside a function selects only the tests that executed it.
 */
export const coverageMapStrategy: Strategy<'coverage-map'> = {
  name: 'coverage-map',
  direct: false,
  reasonsName: 'changed-file',
  describe: (r) => `coverage map: it executed or read this file${r.detail && r.detail !== 'map row' ? ` [${r.detail}]` : ''}`,
  select(ctx: StrategyContext): StrategyResult<'coverage-map'> {
    const map = ctx.map;
    if (!map) return { groups: [], explained: [] };
    const groups: CandidateGroup<'coverage-map'>[] = [];
    const explained: string[] = [];
    for (const f of ctx.changes.files) {
      const lookups = f.oldPath && f.oldPath !== f.path ? [f.path, f.oldPath] : [f.path];
      let known = false;
      for (const p of lookups) {
        if (!map.isKnown(p)) continue;
        known = true;
        const detail = p === f.path ? 'map row' : `map row ${p}`;
        // Ranges describe the diff base's version, so only the old-path row (or an in-place
        // edit) can use them, and only when the map saw that same version (not a stale file).
        const rangesApply = p === (f.oldPath ?? f.path) && !ctx.staleFiles.has(p);
        if (ctx.granularity === 'block' && rangesApply && f.oldRanges) {
          const data = map.blocksFor(p);
          const narrowed = data ? testsForBlocks(map.testsFor(p), data, f.oldRanges) : undefined;
          if (narrowed) {
            if (narrowed.length > 0) groups.push({ reason: { strategy: 'coverage-map', file: f.path, detail: `${detail} (block level)` }, tests: narrowed });
            continue;
          }
        }
        const group = rowGroup(map, p, { strategy: 'coverage-map', file: f.path, detail });
        if (group) groups.push(group);
      }
      if (known) explained.push(f.path);
    }
    return { groups, explained };
  },
};

/** A map row as a group of integer ids (no names decoded). */
function rowGroup(map: CoverageMap, path: string, reason: Reason<'coverage-map'>): CandidateGroup<'coverage-map'> | undefined {
  const bits = map.testBitsFor(path);
  if (!bits || bits.every((w) => w === 0)) return undefined;
  // The map itself is the table: one table per map, so its rows share one bitset.
  return { reason, bits, table: map };
}
