/** What changed between the diff base and head. All paths are repo-relative POSIX. */
export type ChangeStatus = 'added' | 'modified' | 'deleted' | 'renamed';

/**
 * A changed line range of the *old* version of a file (1-based, inclusive). An insertion after
 * old line L (a `-L,0` hunk) is `{ start: L, end: L, insertion: true }` (L may be 0).
 */
export interface LineRange {
  start: number;
  end: number;
  insertion?: boolean;
  /**
   * `changed`: the hunk's text changes how brackets nest (its old and new lines open or close
   * blocks differently) or adds/removes a `case`/`default` label, so code may have moved from one
   * block to another and the old lines cannot place the change. `kept` otherwise. Absent: not
   * computed (hand-made ranges).
   */
  shape?: 'kept' | 'changed';
}

export interface ChangedFile {
  /** Path at head (for a deleted file: the path it had). */
  path: string;
  status: ChangeStatus;
  /** For `renamed`: the path at the base. */
  oldPath?: string;
  /**
   * Changed ranges of the old version, when known (git source with line ranges requested).
   * Absent means "unknown": consumers must treat the whole file as changed.
   */
  oldRanges?: LineRange[];
}

export type ChangeSource = 'git' | 'list';

export interface ChangeSet {
  files: ChangedFile[];
  /** Labels that apply to this change (merge request labels, `--label`). */
  labels: string[];
  source: ChangeSource;
  /** Refs as given or resolved (git source). */
  base?: string;
  head?: string;
  /** The commit the diff starts from (`merge-base(base, head)`), when git could compute it. */
  mergeBase?: string;
  /** The commits `base` and `head` resolved to (git source), when this clone has them. */
  baseCommit?: string;
  headCommit?: string;
  /**
   * Reasons why this change set cannot be trusted for selection (e.g. "merge-base of X and Y
   * unavailable in a shallow clone"). Non-empty ⇒ the policy forces the full suite.
   */
  fullSuiteReasons: string[];
  /** Non-fatal notes for stderr (e.g. "deepened the clone twice to find the merge-base"). */
  warnings: string[];
}

/** Where changes come from; see `getChangeSet`. */
export interface ChangeOptions {
  /** Repository root (or any folder inside it). Default: process.cwd(). */
  cwd?: string;
  /**
   * The work tree's top level when the caller has found it already: a changed-file list is then
   * read relative to it without asking git (two processes fewer on the hot path).
   */
  repoRoot?: string;
  base?: string;
  head?: string;
  /** Add staged, unstaged and untracked files to the git diff. */
  includeUncommitted?: boolean;
  /** A file of changed paths, one a line, or '-' for stdin; replaces git as the source. */
  changedFiles?: string;
  /** Already-read list of changed paths (library use); replaces git as the source. */
  changedFileList?: string[];
  /**
   * An empty list selects no test. Without it an empty list runs the full suite: it cannot be
   * told from a list whose producer failed (`git diff … 2>/dev/null | testsift detect --changed-files -`).
   */
  allowEmptyList?: boolean;
  labels?: string[];
  /** Compute `oldRanges` (needed for block-level selection); relative to the merge-base version. */
  lineRanges?: boolean;
  /** How many times to deepen a shallow clone looking for the merge-base (0 = never). */
  deepen?: number;
  /** Commits per deepening step (`git fetch --deepen=N`). Default 50. */
  deepenBy?: number;
  /** Remote to fetch from when deepening. Default: the one `base` names, else origin, else the first. */
  remote?: string;
  /** The text of standard input, for `changedFiles: '-'` (read from fd 0 when absent). */
  stdinText?: string;
  /** Environment to read CI defaults from. Default: process.env. */
  env?: Record<string, string | undefined>;
}
