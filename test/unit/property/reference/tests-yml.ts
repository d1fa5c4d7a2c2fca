import { parse } from 'yaml';
import { RefError } from './paths.js';

export interface RefConfig {
  rules: Array<{ sources: string[]; tests: string[] }>;
  tests?: string[];
  ignore?: string[];
  changes?: string[];
  labels?: string[];
  coverageMap?: string;
}

const strings = (v: unknown, what: string): string[] => {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new RefError(`${what}: not a list of strings`);
  return v as string[];
};
const oneOrMore = (v: unknown, what: string): string[] => (typeof v === 'string' ? [v] : strings(v, what));

/**
 * Strict reference reading of tests.yml with the `yaml` package (repeated keys refused): the
 * mapping rules' sources and tests, and the lists and paths a config names. Only what decides
 * which tests run is compared; the regex/template/glob checks are the loader's own (refusing more
 * is allowed, reading differently is not).
 */
export function refTestsYml(text: string): RefConfig {
  let data: unknown;
  try {
    data = parse(text, { uniqueKeys: true });
  } catch (err) {
    throw new RefError(`YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new RefError('top level is not a mapping');
  const top = data as Record<string, unknown>;
  const out: RefConfig = { rules: [] };
  if (top.mapping !== undefined && top.mapping !== null) {
    if (!Array.isArray(top.mapping)) throw new RefError('mapping: not a list');
    out.rules = top.mapping.map((e, i) => {
      if (typeof e !== 'object' || e === null) throw new RefError(`mapping[${i}]: not a mapping`);
      const { source, test } = e as Record<string, unknown>;
      return { sources: oneOrMore(source, `mapping[${i}].source`), tests: oneOrMore(test, `mapping[${i}].test`) };
    });
  }
  if ('tests' in top) out.tests = strings(top.tests, 'tests');
  if ('ignore' in top) out.ignore = strings(top.ignore, 'ignore');
  if ('coverage_map' in top) {
    if (typeof top.coverage_map !== 'string') throw new RefError('coverage_map: not a string');
    out.coverageMap = top.coverage_map;
  }
  const fs = top.full_suite as Record<string, unknown> | undefined;
  if (fs && typeof fs === 'object') {
    if ('changes' in fs) out.changes = strings(fs.changes, 'full_suite.changes');
    if ('labels' in fs) out.labels = strings(fs.labels, 'full_suite.labels');
  }
  return out;
}
