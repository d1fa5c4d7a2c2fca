/** A tests.yml rule, after validation: regex sources × test templates (tff semantics). */
export interface MappingRule {
  /** Source regexes as written (Ruby flavour), for messages. */
  sources: string[];
  tests: string[];
  /** Where the rule is: file and 1-based line, for `explain` and errors. */
  file: string;
  line: number;
  /** Index in the file's `mapping:` list. */
  index: number;
  /** 1-based line of each entry of `sources` (optional: rules built in code have none). */
  sourceLines?: number[];
}

export type UnmappedPolicy = 'full' | 'ignore';

export interface FullSuiteConfig {
  labels: string[];
  /** Globs (dot files match) of changes that force the full suite. */
  changes: string[];
  unmapped: UnmappedPolicy;
  /**
   * Older maps force the full suite; 0 disables the check. Undefined (not set): checked only when
   * the map's commit cannot be compared with the diff base (DEFAULT_MAX_MAP_AGE_HOURS).
   */
  maxMapAgeHours?: number;
}

/** The tests.yml superset, resolved with defaults. */
export interface Config {
  /** File(s) the config was read from (none: defaults only). */
  files: string[];
  mapping: MappingRule[];
  /** The test universe, as globs. */
  tests: string[];
  /**
   * True when no tests.yml gave `tests:` (so `tests` holds the defaults): detect then takes the
   * universe the runner recorded in the map, when it has one. Absent: `tests` was given.
   */
  testsDefaulted?: boolean;
  fullSuite: FullSuiteConfig;
  /** Changes that need no tests at all. */
  ignore: string[];
  /** Default location of the dynamic map, repo-relative. */
  coverageMap?: string;
  failFast: { threshold: number };
  /** Non-fatal notes from loading (e.g. unknown keys), for stderr. Optional: absent = none. */
  warnings?: string[];
}
