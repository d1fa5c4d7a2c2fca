import { matchStatic, pathsMatchedBySources } from '../../mappings/static/index.js';
import type { Reason, Strategy, StrategyContext, StrategyResult } from '../types.js';
import { pathsOf } from './paths.js';

/** tests.yml rules (tff semantics) over the new *and* old path of every changed file. */
export const staticMappingStrategy: Strategy = {
  name: 'tests.yml',
  select(ctx: StrategyContext): StrategyResult {
    if (ctx.config.mapping.length === 0) return { groups: [], explained: [] };
    const { paths, owner } = pathsOf(ctx.changes.files);
    // One group per (changed file, rule): the reason names the rule's line for `explain`.
    const groups = new Map<string, { reason: Reason; tests: string[] }>();
    for (const m of matchStatic(ctx.config.mapping, paths, ctx.files)) {
      const file = owner.get(m.source) ?? m.source;
      const detail = `${m.rule.file}:${m.rule.line}`;
      const key = `${file}\0${detail}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { reason: { strategy: 'tests.yml', file, detail }, tests: [] }));
      g.tests.push(m.test);
    }
    // Paths some rule's *source* matches are explained (the mapping says what they need,
    // possibly nothing), as with tff, whatever tests exist.
    const explained = new Set<string>();
    for (const p of pathsMatchedBySources(ctx.config.mapping, paths)) explained.add(owner.get(p) ?? p);
    return { groups: [...groups.values()], explained: [...explained] };
  },
};
