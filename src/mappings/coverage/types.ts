/** The dynamic map: which test files executed (or read) each source file. */

export type MapFormat = 'native' | 'gitlab-json' | 'gitlab-packed' | 'crystalball' | 'istanbul-folder';

export type Granularity = 'file' | 'block';

/** One recording commit of a multi-commit map, and how many of the map's tests were recorded there. */
export interface Recording {
  commit: string;
  /** The oldest timestamp among the inputs recorded at this commit, when any recorded one. */
  timestamp?: string;
  /** Test files recorded at this commit (a test merged from inputs of two commits counts in both). */
  tests: number;
}

export interface MapMetadata {
  /** Where the map was read from and in what format. */
  format: MapFormat;
  /** Native format version, when `format` is native. */
  formatVersion?: number;
  /**
   * Commit SHA the map was recorded at, when known. Absent in a map merged from maps of several
   * commits: `recordings` lists those (a reader unaware of them then sees "no commit" and trusts
   * nothing, rather than dating old rows with a newer commit).
   */
  commit?: string;
  /**
   * When the map was recorded (ISO 8601), when known. In a merged map: the OLDEST input's, so the
   * map-age check ages every row by its oldest part.
   */
  timestamp?: string;
  /**
   * Set (≥ 2 entries, distinct commits, oldest first) when the map was merged from maps recorded at
   * different commits: each test's edges were recorded at one or more of these commits, and
   * staleness is checked from every one of them (policy/staleness.ts).
   */
  recordings?: Recording[];
  /** Root the paths are relative to, as recorded (informational). */
  root?: string;
  runner?: string;
  runnerVersion?: string;
  granularity?: Granularity;
  /**
   * What the block line numbers are: `source` when the recorder mapped them to the lines of the
   * source file as git sees it (the Vitest recorder, through the transform's source map). Block
   * data without it is trusted only from a Vitest map written before the key existed (that
   * recorder always mapped); from anything else (a Jest map whose istanbul data may be in
   * compiled-JS lines) detect stays at file level for the file and says why.
   */
  blockLines?: 'source';
  testsiftVersion?: string;
  /**
   * The runner's own test universe, as recorded (its include/exclude or testMatch/roots): detect
   * uses it when tests.yml gives no `tests:`. Optional: older maps have none, and older readers
   * ignore the key (the header's metadata is spread as is).
   */
  universe?: TestUniverse;
}

/** One Vitest project's test globs: relative to `root` (repo-relative POSIX folder, '' = repository root). */
export interface VitestUniverseProject {
  name?: string;
  root: string;
  include: string[];
  exclude: string[];
}

/**
 * Jest's test universe. `testMatch` globs are relative to the repository root (most start with
 * `**​/`); `testRegex` and `testPathIgnorePatterns` are regular expressions tested against '/' +
 * the repo-relative path (the recorded root's prefix removed); `roots` are repo-relative folders.
 */
export interface JestUniverseProject {
  roots: string[];
  testMatch?: string[];
  testRegex?: string[];
  testPathIgnorePatterns?: string[];
}

export type TestUniverse = { runner: 'vitest'; projects: VitestUniverseProject[] } | { runner: 'jest'; projects: JestUniverseProject[] };

/**
 * What a block is. `function`: a function, method or arrow; the others are parts of a function's
 * body that only some of its runs execute: `if` / `else` arms, a `loop` body, a switch `case`,
 * a `catch` / `finally` clause, a `cond` arm (`?:`, the right of `&&` `||` `??`), and `after`:
 * the code after a statement that can leave the block early (return, throw, break, continue).
 */
export type BlockKind = 'function' | 'if' | 'else' | 'loop' | 'case' | 'catch' | 'finally' | 'cond' | 'after';

/**
 * A block of a source file as recorded, in the lines of the version the map was recorded at:
 * block 0 is the module body, the others are functions and (branch level) the blocks inside them.
 * Blocks nest: a block's lines lie within its parent's.
 */
export interface Block {
  id: number;
  /** Function name (for a block inside a function: that function's), or '' for anonymous / module body. */
  name: string;
  /** 1-based inclusive line range of the whole block (header to closing brace). */
  start: number;
  end: number;
  /** Id of the enclosing block (absent: block 0, or a map without nesting, where every block is a function in block 0). */
  parent?: number;
  /** What the block is (absent: a function, as in maps without branch data). */
  kind?: BlockKind;
  /**
   * The block owns its first (last) line: no code outside the block shares that line, so a
   * change there is a change to this block. Absent: the line is shared (a function's header —
   * its name and parameters belong to the enclosing code —, an `if (cond) {` line, `} else {`).
   */
  ownsStart?: boolean;
  ownsEnd?: boolean;
}

/** Block-level data for one source file. */
export interface FileBlocks {
  blocks: Block[];
  /** Per test file: ids of the blocks it executed. */
  executed: Map<string, number[]>;
  /**
   * Set when the block lines cannot be trusted to be the source file's lines (see
   * `MapMetadata.blockLines`): why, for the file-level fallback's message.
   */
  untrusted?: string;
}

/**
 * Test files named by integer ids of one map's test table, so a selection of thousands of tests
 * from a few hot rows stays a bitset until output (docs/performance.md). Ids ascending give names sorted
 * (byte order, each name once).
 */
export interface TestIdTable {
  readonly testCount: number;
  testNamesOf(ids: ArrayLike<number>): string[];
  /** Every name, indexed by id: every test file the map recorded (even those that executed nothing else). */
  testNames(): readonly string[];
}

/**
 * A map answers by path and by test id: every map is its own test table (the native map reads
 * its sorted table from the file; the others sort theirs on first use), so selection has one path.
 */
export interface CoverageMap extends TestIdTable {
  readonly metadata: MapMetadata;
  /** The recorder could see this file (it is a key or in the known set): "never executed" ≠ "unknown". */
  isKnown(path: string): boolean;
  /** Test files that executed or read `path` (empty when known but unused, or unknown). */
  testsFor(path: string): readonly string[];
  /** The row of `path` as a bitset over the test ids (bit t of word t >>> 5); undefined when unknown or never executed. */
  testBitsFor(path: string): Uint32Array | undefined;
  /** Block data for `path`; undefined when the map has none for it. */
  blocksFor(path: string): FileBlocks | undefined;
  /** Number of test files and edges, for stats and messages. */
  stats(): { sources: number; tests: number; edges: number };
}
