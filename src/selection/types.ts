import type { ChangeSet } from '../changes/types.js';
import type { Config } from '../config/types.js';
import type { CoverageMap, TestIdTable } from '../mappings/coverage/types.js';
import type { FileIndex } from '../util/files.js';

/** `detect --granularity`: `block` is `auto` that also warns when the map has no block data. */
export type SelectGranularity = 'auto' | 'file' | 'block';

/** A line for explain under a changed file: how the map answered for it (block or file level, and why). */
export interface FileNote {
  file: string;
  note: string;
}

/** The strategies testsift has (`builtinStrategies`, plus `previous-failure` with reports given). */
export type BuiltinStrategyName = 'changed-test' | 'tests.yml' | 'coverage-map' | 'unrecorded-test' | 'previous-failure';

/** A built-in strategy's name, or the name of a caller's own (`DetectOptions.strategies`). */
export type StrategyName = BuiltinStrategyName | (string & {});

/**
 * Why a test was selected: the strategy and the file that caused it (a changed file, or the
 * test itself for a strategy whose `reasonsName` is `test`).
 */
export interface Reason<Name extends string = StrategyName> {
  strategy: Name;
  file: string;
  /** Human detail: the tests.yml rule (`tests.yml:12`), the map row, the failure, … */
  detail?: string;
}

export interface SelectedTest {
  test: string;
  because: Reason[];
}

export type SelectionMode = 'selective' | 'full';

export interface FailFast {
  /** Tests mapped directly to the changed files (empty when skipped). */
  tests: string[];
  /** Why the fail-fast subset is skipped (e.g. above the threshold). */
  skipped?: string;
}

/** The result of `detectTests`; its JSON form is the `detect --format json` contract. */
export interface Selection {
  mode: SelectionMode;
  /** Every reason that forced `full` (empty in selective mode). */
  reasons: string[];
  /** The list to run: the selection, or the whole test universe in full mode. Sorted. */
  tests: string[];
  /** The selected tests with all their reasons (also in full mode: what selection found). */
  selection: SelectedTest[];
  changedFiles: string[];
  failFast: FailFast;
  /** Non-fatal problems (missing map, deepened clone, …). */
  warnings: string[];
  base?: string;
  head?: string;
  mergeBase?: string;
  labels: string[];
  /** `commits`: a map merged from maps of several commits (then `commit` is absent). */
  map?: { path: string; format: string; commit?: string; commits?: string[]; timestamp?: string; granularity?: string };
}

/** Everything a strategy may look at. */
export interface StrategyContext {
  root: string;
  changes: ChangeSet;
  config: Config;
  /** The dynamic map(s), merged, when one could be loaded. */
  map?: CoverageMap;
  /** Whether a repo-relative path is a test file (matches the `tests:` globs). */
  isTest(path: string): boolean;
  /** The working tree's files (existence checks, globs). */
  files: FileIndex;
  /** Existing test files (the `tests:` universe), sorted; computed on first use. */
  universe(): readonly string[];
  /** Every existing file under the folders the `tests:` globs can reach (a superset of the universe), sorted. */
  testFolderFiles(): readonly string[];
  /**
   * Files that differ between the map's commit and the diff base (already in `changes`): their
   * map rows describe another version, so block-level data must not narrow them.
   */
  staleFiles: ReadonlySet<string>;
  /**
   * `auto` (default) and `block`: use block-level data where the map has it and it applies;
   * `file`: the map's file rows only.
   */
  granularity: SelectGranularity;
  /**
   * How a test table (the map) meets `testFolderFiles()`: computed once per table and detect,
   * so the unrecorded-test strategy and the existence filter share one merge of 25k names.
   */
  universeJoin(table: TestIdTable): UniverseJoin;
}

export type { TestIdTable };

/** How a map's test table meets a sorted list of existing files (the test folders). */
export interface UniverseJoin {
  /** Bitset over the table's ids: the test is in the list, so it exists. */
  present: Uint32Array;
  /** Files of the list the table does not have (the map never recorded them, if they are tests). */
  missing: string[];
}

/** Tests a strategy selects for one reason (one changed file, one rule or map row), by path… */
export interface PathGroup<Name extends string = StrategyName> {
  reason: Reason<Name>;
  tests: readonly string[];
}

/** …or as a bitset over a map's test ids (a coverage-map row, read without decoding names). */
export interface IdGroup<Name extends string = StrategyName> {
  reason: Reason<Name>;
  /** Bit t of word t >>> 5: test t of `table`. */
  bits: Uint32Array;
  table: TestIdTable;
}

export type CandidateGroup<Name extends string = StrategyName> = PathGroup<Name> | IdGroup<Name>;

export interface StrategyResult<Name extends string = StrategyName> {
  groups: CandidateGroup<Name>[];
  /**
   * Changed files this strategy accounts for (it knows what they need, even if that is no test),
   * so the `unmapped` policy does not force the full suite for them.
   */
  explained: string[];
  /** Problems that make selection untrustworthy: the policy turns them into full-suite reasons. */
  fullSuiteReasons?: string[];
  warnings?: string[];
  /** Per changed file: how it was answered, for explain. */
  fileNotes?: FileNote[];
}

/**
 * One way of finding tests for a change, like Crystalball's predictors. A strategy says
 * everything the outputs need about its reasons, so a caller's own strategy
 * (`DetectOptions.strategies`) is explained and fail-fast-classified like a built-in one.
 */
export interface Strategy<Name extends string = StrategyName> {
  /** Unique among the strategies of one detect; every reason it gives carries it. */
  readonly name: Name;
  /**
   * Its tests are mapped directly to the changed files (a changed test, a tests.yml rule), so
   * they make the fail-fast subset. A coverage map's rows fan out too far for that.
   */
  readonly direct: boolean;
  /**
   * What a reason's `file` names: a changed file (explain lists the test under it), or the test
   * itself (a previous failure, a test the map lacks: listed under "also run").
   */
  readonly reasonsName: 'changed-file' | 'test';
  /** One of its reasons in words, for explain, markdown and the HTML report. */
  describe(reason: Reason<Name>): string;
  /** Throwing makes the selection untrustworthy: detect runs the full suite and names the strategy. */
  select(ctx: StrategyContext): StrategyResult<Name> | Promise<StrategyResult<Name>>;
}
