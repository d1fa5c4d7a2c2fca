import type { MappingRule } from '../../config/types.js';
import { matchStatic, RuleBudgetError, type MatchOptions, type StaticMatch } from '../../mappings/static/index.js';
import { regexRisk } from '../../mappings/static/regex-risk.js';
import type { Reason, Strategy, StrategyContext, StrategyResult } from '../types.js';
import { pathsOf } from './paths.js';

/**
 * How long one rule's regexes may take over the whole change set. Real rules take microseconds
 * per path; a second is far past any honest rule and well short of a CI timeout.
 */
export const RULE_BUDGET_MS = 1000;

/** tests.yml rules (tff semantics) over the new *and* old path of every changed file. */
export const staticMappingStrategy: Strategy<'tests.yml'> = makeStaticMappingStrategy();

/**
 * The strategy with its time budget (tests pass a clock). A rule whose source has a shape that
 * can take exponential time (regex-risk.ts) is not run at all: it could hang detect, and what it
 * would have selected is unknown, so the full suite runs, naming it. A rule that runs past the
 * budget stops matching the same way.
 */
export function makeStaticMappingStrategy(opts: MatchOptions = { budgetMs: RULE_BUDGET_MS }): Strategy<'tests.yml'> {
  return {
    name: 'tests.yml',
    direct: true,
    reasonsName: 'changed-file',
    describe: (r) => `tests.yml rule at ${r.detail}`,
    select: (ctx) => selectStatic(ctx, opts),
  };
}

function selectStatic(ctx: StrategyContext, opts: MatchOptions): StrategyResult<'tests.yml'> {
  if (ctx.config.mapping.length === 0) return { groups: [], explained: [] };
  const { paths, owner } = pathsOf(ctx.changes.files);
  const fullSuiteReasons: string[] = [];
  const safe: MappingRule[] = [];
  for (const rule of ctx.config.mapping) {
    const risky = rule.sources.map((source, i) => ({ source, i, why: regexRisk(source) })).find((r) => r.why);
    if (!risky) {
      safe.push(rule);
      continue;
    }
    const line = rule.sourceLines?.[risky.i] ?? rule.line;
    fullSuiteReasons.push(
      `tests.yml rule ${rule.file}:${line}: source '${risky.source}' has ${risky.why}, which can take exponential time on a crafted path; it is not run, so the full suite runs (testsift verify-mapping flags it)`,
    );
  }
  let matches: StaticMatch[];
  try {
    matches = matchStatic(safe, paths, ctx.files, opts);
  } catch (err) {
    if (!(err instanceof RuleBudgetError)) throw err;
    const line = err.rule.sourceLines?.[err.rule.sources.indexOf(err.source)] ?? err.rule.line;
    return {
      groups: [],
      explained: [],
      fullSuiteReasons: [
        ...fullSuiteReasons,
        `tests.yml rule ${err.rule.file}:${line}: source '${err.source}' took over ${err.budgetMs} ms over the changed paths (catastrophic backtracking?); matching stopped, so the full suite runs`,
      ],
    };
  }
  // One group per (changed file, rule): the reason names the rule's line for `explain`.
  const groups = new Map<string, { reason: Reason<'tests.yml'>; tests: string[] }>();
  const warnings = new Set<string>();
  for (const m of matches) {
    const file = owner.get(m.source) ?? m.source;
    const detail = `${m.rule.file}:${m.rule.line}`;
    // Only a test of the universe is a test a rule yields: a template that names an existing
    // helper (`test/a.ts` beside `test/a.test.ts`) would otherwise "explain" the change and
    // select a file no runner runs.
    if (!ctx.isTest(m.test)) {
      warnings.add(
        `tests.yml rule ${detail} gives ${m.test} for ${m.source}: it exists but is not a test of the universe (tests: globs), so it is not selected and maps nothing`,
      );
      continue;
    }
    const key = `${file}\0${detail}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { reason: { strategy: 'tests.yml', file, detail }, tests: [] }));
    g.tests.push(m.test);
  }
  // A file is explained when a rule gives it a test of the universe. A source match whose
  // templates name no existing test, or only files that are not tests, explains nothing (a new
  // file without its test yet, a plugin found by a loader at run time): unknown to the map
  // too, it is unmapped, and the policy decides. Files that need no tests belong under `ignore:`.
  const explained = new Set([...groups.values()].map((g) => g.reason.file));
  return { groups: [...groups.values()], explained: [...explained], warnings: [...warnings], fullSuiteReasons };
}
