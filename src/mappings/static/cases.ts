/**
 * Table-driven checks of a tests.yml (GitLab's scripts/verify-tff-mapping idea): each case names
 * changed path(s) and the exact set of tests the mapping must select for them.
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { InputError, type SourceLocation } from '../../errors.js';
import type { MappingRule } from '../../config/types.js';
import { getPair, kindOf, pairKey, readYamlSource } from '../../config/yaml-source.js';
import type { FileIndex } from '../../util/files.js';
import { matchStatic, testsOf } from './index.js';

export interface MappingCase {
  changed: string[];
  expected: string[];
  explanation?: string;
  /** Where the case is in the cases file. */
  file: string;
  line: number;
}

export interface CaseResult {
  case: MappingCase;
  actual: string[];
  /** Expected but not selected. */
  missing: string[];
  /** Selected but not expected. */
  unexpected: string[];
  ok: boolean;
}

const KNOWN = new Set(['changed', 'changed_file', 'expected', 'explanation']);

export function readCases(path: string, root: string): MappingCase[] {
  const mk = (loc: SourceLocation, problem: string): InputError => new InputError(loc, problem);
  const y = readYamlSource(path, root, mk);
  const top = y.doc.contents;
  const list = isMap(top) ? getPair(top, 'cases')?.value : top;
  if (!isSeq(list)) {
    throw mk(y.at(top as Node | null), `expected a list of {changed, expected, explanation} cases, got ${kindOf(top)}`);
  }
  const strings = (node: unknown, key: string, allowEmpty: boolean): string[] => {
    if (isScalar(node) && typeof node.value === 'string') return [node.value];
    if (isSeq(node) && (allowEmpty || node.items.length > 0)) {
      return node.items.map((item, i) => {
        if (isScalar(item) && typeof item.value === 'string') return item.value;
        throw mk(y.at(item as Node, `${key}[${i}]`), `expected a path string, got ${kindOf(item)}`);
      });
    }
    throw mk(y.at(node as Node, key), `expected a path or a ${allowEmpty ? '' : 'non-empty '}list of paths, got ${kindOf(node)}`);
  };
  return list.items.map((item, i) => {
    const key = `[${i}]`;
    const loc = y.at(item as Node, key);
    if (!isMap(item)) throw mk(loc, `expected a {changed, expected} case, got ${kindOf(item)}`);
    for (const p of item.items) {
      const k = pairKey(p as never);
      if (k !== undefined && !KNOWN.has(k)) throw mk(y.at((p as { key: Node }).key, `${key}.${k}`), `unknown key '${k}' (expected changed, expected, explanation)`);
    }
    const changed = getPair(item, 'changed') ?? getPair(item, 'changed_file');
    const expected = getPair(item, 'expected');
    if (!changed) throw mk(loc, 'missing `changed` (a path or a list of paths)');
    if (!expected) throw mk(loc, 'missing `expected` (a list of test paths; [] for none)');
    const explanation = getPair(item, 'explanation');
    return {
      changed: strings(changed.value, `${key}.changed`, false),
      expected: strings(expected.value, `${key}.expected`, true),
      explanation: explanation && isScalar(explanation.value) ? String(explanation.value.value) : undefined,
      file: y.file,
      line: loc.line ?? 0,
    };
  });
}

/**
 * Run each case through matchStatic and compare as sets. With `isTest`, only tests of the universe
 * count, as in detect (a template naming an existing helper selects nothing there).
 */
export function runCases(rules: readonly MappingRule[], cases: readonly MappingCase[], files: FileIndex, isTest?: (path: string) => boolean): CaseResult[] {
  return cases.map((c) => {
    const matches = matchStatic(rules, c.changed, files);
    const actual = testsOf(isTest ? matches.filter((m) => isTest(m.test)) : matches);
    const want = new Set(c.expected);
    const got = new Set(actual);
    const missing = [...want].filter((t) => !got.has(t)).sort();
    const unexpected = actual.filter((t) => !want.has(t));
    return { case: c, actual, missing, unexpected, ok: missing.length === 0 && unexpected.length === 0 };
  });
}
