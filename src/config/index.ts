import type { Config } from './types.js';
import {
  DEFAULT_COVERAGE_MAP,
  DEFAULT_FAIL_FAST_THRESHOLD,
  DEFAULT_FULL_SUITE_CHANGES,
  DEFAULT_FULL_SUITE_LABELS,
  DEFAULT_IGNORE,
  DEFAULT_TESTS,
  DEFAULT_UNMAPPED,
} from './defaults.js';
import { parseConfigFile, type ParsedFile } from './parse-file.js';

export type * from './types.js';
export * from './defaults.js';
export { displayName } from './yaml-source.js';

const unique = (xs: Iterable<string>): string[] => [...new Set(xs)];

/**
 * Load and validate tests.yml file(s) (or only defaults, with no paths). Several files merge in
 * order: mapping rules concatenate; list keys (tests, ignore, full_suite.labels/changes)
 * concatenate; scalar keys take the later file's value.
 *
 * Defaults: `tests` and `ignore` given by the user replace the defaults (the user defines the
 * universe and what needs no tests). `full_suite.changes` and `.labels` EXTEND the defaults unless
 * `default_changes: false` / `default_labels: false`, so adding one pattern never silently drops
 * lockfile protection.
 *
 * Throws MappingError (exit 2) naming file, line and column for any invalid input.
 */
export async function loadConfig(paths?: string | string[], opts: { root?: string } = {}): Promise<Config> {
  const root = opts.root ?? process.cwd();
  const list = paths === undefined ? [] : Array.isArray(paths) ? paths : [paths];
  const parsed: ParsedFile[] = list.map((p) => parseConfigFile(p, root));
  return mergeParsed(parsed);
}

/** Merge parsed files and apply defaults (exported for tests and library callers). */
export function mergeParsed(parsed: readonly ParsedFile[]): Config {
  const lastDefined = <T>(pick: (p: ParsedFile) => T | undefined): T | undefined => {
    let v: T | undefined;
    for (const p of parsed) {
      const x = pick(p);
      if (x !== undefined) v = x;
    }
    return v;
  };
  const concat = (pick: (p: ParsedFile) => string[] | undefined): string[] | undefined => {
    const given = parsed.map(pick).filter((x): x is string[] => x !== undefined);
    return given.length === 0 ? undefined : unique(given.flat());
  };

  const userChanges = concat((p) => p.fullSuite.changes) ?? [];
  const userLabels = concat((p) => p.fullSuite.labels) ?? [];
  const keepDefaultChanges = lastDefined((p) => p.fullSuite.defaultChanges) ?? true;
  const keepDefaultLabels = lastDefined((p) => p.fullSuite.defaultLabels) ?? true;
  const maxAge = lastDefined((p) => p.fullSuite.maxMapAgeHours);
  const tests = concat((p) => p.tests);

  return {
    files: parsed.map((p) => p.file),
    mapping: parsed.flatMap((p) => p.rules),
    tests: tests ?? [...DEFAULT_TESTS],
    ...(tests === undefined ? { testsDefaulted: true } : {}),
    fullSuite: {
      labels: unique([...(keepDefaultLabels ? DEFAULT_FULL_SUITE_LABELS : []), ...userLabels]),
      changes: unique([...(keepDefaultChanges ? DEFAULT_FULL_SUITE_CHANGES : []), ...userChanges]),
      unmapped: lastDefined((p) => p.fullSuite.unmapped) ?? DEFAULT_UNMAPPED,
      ...(maxAge === undefined ? {} : { maxMapAgeHours: maxAge }),
    },
    ignore: concat((p) => p.ignore) ?? [...DEFAULT_IGNORE],
    coverageMap: lastDefined((p) => p.coverageMap) ?? DEFAULT_COVERAGE_MAP,
    failFast: { threshold: lastDefined((p) => p.failFastThreshold) ?? DEFAULT_FAIL_FAST_THRESHOLD },
    warnings: parsed.flatMap((p) => p.warnings),
  };
}
