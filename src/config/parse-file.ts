/**
 * One tests.yml file → its rules and settings, validated with positions. Keys absent stay
 * undefined here; index.ts merges files and applies defaults.
 */
import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { MappingError, type SourceLocation } from '../errors.js';
import { compileRubySource, RubyRegexError, type CompiledSource } from './ruby-regex.js';
import { checkTemplateAgainstSource, parseTemplate, TemplateError, type Template } from './template.js';
import type { MappingRule, UnmappedPolicy } from './types.js';
import { getPair, kindOf, pairKey, readYamlSource, type YamlSource } from './yaml-source.js';

export interface ParsedFile {
  file: string;
  /** Empty when the file has no `mapping:` key (allowed only beside other testsift keys). */
  rules: MappingRule[];
  tests?: string[];
  ignore?: string[];
  coverageMap?: string;
  failFastThreshold?: number;
  fullSuite: {
    labels?: string[];
    changes?: string[];
    unmapped?: UnmappedPolicy;
    maxMapAgeHours?: number;
    defaultChanges?: boolean;
    defaultLabels?: boolean;
  };
  warnings: string[];
}

const TOP_KEYS = new Set(['mapping', 'tests', 'full_suite', 'ignore', 'coverage_map', 'fail_fast']);
const FULL_SUITE_KEYS = new Set(['labels', 'changes', 'unmapped', 'max_map_age_hours', 'default_changes', 'default_labels']);
const FAIL_FAST_KEYS = new Set(['threshold']);
const ENTRY_KEYS = new Set(['source', 'test']);

const err = (loc: SourceLocation, problem: string): MappingError => new MappingError(loc, problem);

function where(loc: SourceLocation): string {
  return `${loc.file}${loc.line !== undefined ? `:${loc.line}` : ''}`;
}

class FileParser {
  readonly warnings: string[] = [];
  constructor(readonly y: YamlSource) {}

  loc(node: unknown, key: string): SourceLocation {
    return this.y.at(node as Node, key);
  }

  /** A YAML string scalar, or a MappingError saying what was found. */
  string(node: unknown, key: string, what = 'a string'): string {
    if (isScalar(node) && typeof node.value === 'string') return node.value;
    throw err(this.loc(node, key), `expected ${what}, got ${kindOf(node)}${isScalar(node) && node.value !== null ? ' (quote it to make it a string)' : ''}`);
  }

  stringList(node: unknown, key: string): string[] {
    if (!isSeq(node)) throw err(this.loc(node, key), `expected a list of strings, got ${kindOf(node)}`);
    return node.items.map((item, i) => this.string(item, `${key}[${i}]`));
  }

  /**
   * `tests:` defines the universe, which is the list a full-suite run executes: an empty list (or
   * a blank glob) would make "run everything" run nothing, so it is an error, not a setting.
   */
  testGlobs(node: unknown): string[] {
    const globs = this.stringList(node, 'tests');
    if (globs.length === 0) {
      throw err(
        this.loc(node, 'tests'),
        'expected at least one test glob: an empty `tests:` list would make the full suite run no test (leave `tests:` out to use the defaults)',
      );
    }
    const blank = globs.findIndex((g) => g.trim() === '');
    if (blank >= 0) throw err(this.loc((node as { items: unknown[] }).items[blank], `tests[${blank}]`), 'expected a test glob, got an empty string');
    return globs;
  }

  /** tff `source`/`test`: a string or a non-empty list of strings. */
  stringOrList(node: unknown, key: string): { values: string[]; nodes: unknown[] } {
    if (isSeq(node)) {
      if (node.items.length === 0) throw err(this.loc(node, key), 'expected a string or a non-empty list of strings, got an empty list');
      return { values: node.items.map((item, i) => this.string(item, `${key}[${i}]`)), nodes: node.items };
    }
    return { values: [this.string(node, key, 'a string or a list of strings')], nodes: [node] };
  }

  warnUnknown(map: unknown, known: Set<string>, prefix: string): void {
    if (!isMap(map)) return;
    for (const p of map.items) {
      const k = pairKey(p as Pair);
      if (k !== undefined && !known.has(k)) {
        const loc = this.loc((p as Pair).key, `${prefix}${k}`);
        this.warnings.push(`${where(loc)}: unknown key '${prefix}${k}' ignored (known: ${[...known].join(', ')})`);
      }
    }
  }

  mapping(node: unknown): MappingRule[] {
    if (!isSeq(node)) throw err(this.loc(node, 'mapping'), `expected \`mapping\` to be a list of {source, test} entries, got ${kindOf(node)}`);
    return node.items.map((entry, index) => this.rule(entry, index));
  }

  rule(entry: unknown, index: number): MappingRule {
    const key = `mapping[${index}]`;
    const loc = this.loc(entry, key);
    if (!isMap(entry)) throw err(loc, `expected a {source, test} entry, got ${kindOf(entry)}`);
    const source = getPair(entry, 'source');
    const test = getPair(entry, 'test');
    const missing = (p: Pair<unknown, unknown> | undefined): boolean => !p || p.value === null || (isScalar(p.value) && p.value.value === null);
    if (missing(source) || missing(test)) {
      const which = missing(source) && missing(test) ? 'both are missing' : missing(source) ? '`source` is missing' : '`test` is missing';
      throw err(loc, `missing \`source\` or \`test\` in test mapping file (${which})`);
    }
    this.warnUnknown(entry, ENTRY_KEYS, `${key}.`);
    const sources = this.stringOrList(source!.value, `${key}.source`);
    const tests = this.stringOrList(test!.value, `${key}.test`);

    const compiled: CompiledSource[] = sources.values.map((s, i) => {
      try {
        return compileRubySource(s);
      } catch (e) {
        if (e instanceof RubyRegexError) throw err(this.loc(sources.nodes[i], `${key}.source`), `source regex '${s}': ${e.message}`);
        throw e;
      }
    });
    tests.values.forEach((t, i) => {
      const tloc = this.loc(tests.nodes[i], `${key}.test`);
      let tpl: Template;
      try {
        tpl = parseTemplate(t);
        for (const c of compiled) checkTemplateAgainstSource(tpl, c.names, c.groupCount, c.source);
      } catch (e) {
        if (e instanceof TemplateError) throw err(tloc, e.message);
        throw e;
      }
    });
    const rule: MappingRule = {
      sources: sources.values,
      tests: tests.values,
      file: this.y.file,
      line: loc.line ?? 0,
      index,
      sourceLines: sources.nodes.map((n) => this.loc(n, '').line ?? loc.line ?? 0),
    };
    return rule;
  }
}

export function parseConfigFile(path: string, root: string): ParsedFile {
  const y = readYamlSource(path, root, err);
  const p = new FileParser(y);
  const top = y.doc.contents;
  if (!isMap(top)) {
    throw err(
      y.at(top as Node | null, 'mapping'),
      `missing \`mapping\` in test mapping file (expected a mapping with a \`mapping:\` list at the top level, got ${kindOf(top)})`,
    );
  }
  p.warnUnknown(top, TOP_KEYS, '');
  const out: ParsedFile = { file: y.file, rules: [], fullSuite: {}, warnings: p.warnings };

  const mapping = getPair(top, 'mapping');
  const hasOtherKnown = [...TOP_KEYS].some((k) => k !== 'mapping' && getPair(top, k) !== undefined);
  if (!mapping || mapping.value === null || (isScalar(mapping.value) && mapping.value.value === null)) {
    // tff requires `mapping`; a testsift-only file (e.g. just full_suite) may leave it out.
    if (!hasOtherKnown || mapping) throw err(y.at((mapping?.key ?? top) as Node, 'mapping'), 'missing `mapping` in test mapping file');
  } else {
    out.rules = p.mapping(mapping.value);
  }

  const val = (k: string): unknown => getPair(top, k)?.value;
  if (getPair(top, 'tests')) out.tests = p.testGlobs(val('tests'));
  if (getPair(top, 'ignore')) out.ignore = p.stringList(val('ignore'), 'ignore');
  if (getPair(top, 'coverage_map')) out.coverageMap = p.string(val('coverage_map'), 'coverage_map', 'a path');

  const ff = getPair(top, 'fail_fast');
  if (ff) {
    if (!isMap(ff.value)) throw err(p.loc(ff.value, 'fail_fast'), `expected a mapping like {threshold: 10}, got ${kindOf(ff.value)}`);
    p.warnUnknown(ff.value, FAIL_FAST_KEYS, 'fail_fast.');
    const t = getPair(ff.value, 'threshold');
    if (t) {
      const v = isScalar(t.value) ? t.value.value : undefined;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
        throw err(p.loc(t.value, 'fail_fast.threshold'), `expected a positive integer, got ${kindOf(t.value)}`);
      }
      out.failFastThreshold = v;
    }
  }

  const fs = getPair(top, 'full_suite');
  if (fs) {
    const m = fs.value;
    if (!isMap(m)) throw err(p.loc(m, 'full_suite'), `expected a mapping (labels, changes, unmapped, max_map_age_hours), got ${kindOf(m)}`);
    p.warnUnknown(m, FULL_SUITE_KEYS, 'full_suite.');
    const g = (k: string): Pair<unknown, unknown> | undefined => getPair(m, k);
    if (g('labels')) out.fullSuite.labels = p.stringList(g('labels')!.value, 'full_suite.labels');
    if (g('changes')) out.fullSuite.changes = p.stringList(g('changes')!.value, 'full_suite.changes');
    const u = g('unmapped');
    if (u) {
      const v = isScalar(u.value) ? u.value.value : undefined;
      if (v !== 'full' && v !== 'ignore') throw err(p.loc(u.value, 'full_suite.unmapped'), `expected 'full' or 'ignore', got ${kindOf(u.value)}`);
      out.fullSuite.unmapped = v;
    }
    const age = g('max_map_age_hours');
    if (age) {
      const v = isScalar(age.value) ? age.value.value : undefined;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        throw err(p.loc(age.value, 'full_suite.max_map_age_hours'), `expected a number of hours ≥ 0 (0 disables the check), got ${kindOf(age.value)}`);
      }
      out.fullSuite.maxMapAgeHours = v;
    }
    for (const [k, field] of [
      ['default_changes', 'defaultChanges'],
      ['default_labels', 'defaultLabels'],
    ] as const) {
      const b = g(k);
      if (!b) continue;
      const v = isScalar(b.value) ? b.value.value : undefined;
      if (typeof v !== 'boolean') throw err(p.loc(b.value, `full_suite.${k}`), `expected true or false, got ${kindOf(b.value)}`);
      out.fullSuite[field] = v;
    }
  }
  return out;
}
