import type { ChangeSet } from '../changes/types.js';
import type { Config } from '../config/types.js';
import type { CoverageMap } from '../mappings/coverage/types.js';
import type { FileIndex } from '../util/files.js';

/** `detect --granularity`: `block` is `auto` that also warns when the map has no block data. */
export type SelectGranularity = 'auto' | 'file' | 'block';

/** A line for explain under a changed file: how the map answered for it (block or file level, and why). */
export interface FileNote {
  file: string;
  note: string;
}

/** Why a test was selected: the strategy and the changed file that caused it. */
export interface Reason {
  strategy: string;
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
}

/**
 * Test files named by integer ids of one map's test table, so a selection of thousands of tests
 * from a few hot rows stays a bitset until output (DESIGN §5). Ids ascending give names sorted.
 */
export interface TestIdTable {
  readonly testCount: number;
  testNamesOf(ids: ArrayLike<number>): string[];
  /** Every name, indexed by id. */
  testNames(): readonly string[];
}

/** Tests a strategy selects for one reason (one changed file, one rule or map row), by path… */
export interface PathGroup {
  reason: Reason;
  tests: readonly string[];
}

/** …or as a bitset over a map's test ids (a coverage-map row, read without decoding names). */
export interface IdGroup {
  reason: Reason;
  /** Bit t of word t >>> 5: test t of `table`. */
  bits: Uint32Array;
  table: TestIdTable;
}

export type CandidateGroup = PathGroup | IdGroup;

export interface StrategyResult {
  groups: CandidateGroup[];
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

/** One way of finding tests for a change, like Crystalball's predictors. */
export interface Strategy {
  readonly name: string;
  select(ctx: StrategyContext): StrategyResult | Promise<StrategyResult>;
}
