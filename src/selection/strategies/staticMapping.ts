import { matchStatic } from '../../mappings/static/index.js';
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
    // A file is explained when a rule gives it an existing test. A source match whose templates
    // name no existing test explains nothing (a new file without its test yet, a plugin found
    // by a loader at run time): unknown to the map too, it is unmapped, and the policy decides.
    // Files that need no tests belong under `ignore:`.
    const explained = new Set([...groups.values()].map((g) => g.reason.file));
    return { groups: [...groups.values()], explained: [...explained] };
  },
};
