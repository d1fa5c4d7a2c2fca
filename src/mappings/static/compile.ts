/**
 * A MappingRule compiled once: each source regex translated from Ruby, each test template parsed
 * and checked against every source it pairs with (tff's cartesian product).
 */
import type { MappingRule } from '../../config/types.js';
import { MappingError } from '../../errors.js';
import { compileRubySource, RubyRegexError, type CompiledSource } from '../../config/ruby-regex.js';
import { checkTemplateAgainstSource, parseTemplate, TemplateError, type Template } from '../../config/template.js';

export interface CompiledRule {
  rule: MappingRule;
  sources: CompiledSource[];
  templates: Template[];
}

const cache = new WeakMap<MappingRule, CompiledRule>();

/** Where a rule's problem is, for MappingError. */
function locate(rule: MappingRule, what: 'source' | 'test', i: number): { file: string; line: number; key: string } {
  const line = what === 'source' ? (rule.sourceLines?.[i] ?? rule.line) : rule.line;
  return { file: rule.file, line, key: `mapping[${rule.index}].${what}` };
}

/** Compile (cached per rule object). Throws MappingError naming the rule's file and line. */
export function compileRule(rule: MappingRule): CompiledRule {
  const hit = cache.get(rule);
  if (hit) return hit;
  const sources = rule.sources.map((s, i) => {
    try {
      return compileRubySource(s);
    } catch (err) {
      if (err instanceof RubyRegexError) {
        throw new MappingError(locate(rule, 'source', i), `source regex '${s}': ${err.message}`);
      }
      throw err;
    }
  });
  const templates = rule.tests.map((t, i) => {
    try {
      const tpl = parseTemplate(t);
      for (const src of sources) checkTemplateAgainstSource(tpl, src.names, src.groupCount, src.source);
      return tpl;
    } catch (err) {
      if (err instanceof TemplateError) throw new MappingError(locate(rule, 'test', i), err.message);
      throw err;
    }
  });
  const compiled = { rule, sources, templates };
  cache.set(rule, compiled);
  return compiled;
}
