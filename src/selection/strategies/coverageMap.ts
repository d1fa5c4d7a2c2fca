import type { Strategy, StrategyContext, StrategyResult } from '../types.js';
import { testsForBlocks } from './blocks.js';

/**
 * The dynamic map: tests that executed (or read) a changed file, looked up under its new and its
 * old path (a renamed or deleted file is in the map under the name it had). With block
 * granularity, a change strictly inside a function selects only the tests that executed it.
 */
export const coverageMapStrategy: Strategy = {
  name: 'coverage-map',
  select(ctx: StrategyContext): StrategyResult {
    const map = ctx.map;
    if (!map) return { groups: [], explained: [] };
    const groups: StrategyResult['groups'] = [];
    const explained: string[] = [];
    for (const f of ctx.changes.files) {
      const lookups = f.oldPath && f.oldPath !== f.path ? [f.path, f.oldPath] : [f.path];
      let known = false;
      for (const p of lookups) {
        if (!map.isKnown(p)) continue;
        known = true;
        let tests = map.testsFor(p);
        let detail = p === f.path ? 'map row' : `map row ${p}`;
        // Ranges describe the old version, so only the old-path row (or an in-place edit) can use them.
        const rangesApply = p === (f.oldPath ?? f.path);
        if (ctx.granularity === 'block' && rangesApply && f.oldRanges && map.blocksFor) {
          const data = map.blocksFor(p);
          const narrowed = data ? testsForBlocks(tests, data, f.oldRanges) : undefined;
          if (narrowed) {
            tests = narrowed;
            detail += ' (block level)';
          }
        }
        if (tests.length > 0) groups.push({ reason: { strategy: 'coverage-map', file: f.path, detail }, tests });
      }
      if (known) explained.push(f.path);
    }
    return { groups, explained };
  },
};
