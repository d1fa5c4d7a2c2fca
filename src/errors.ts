/**
 * Typed errors. Each carries the exit code the CLI maps it to (docs/formats.md): 2 for bad usage or
 * invalid input that a person should fix, 1 for anything unexpected.
 */
export class TestsiftError extends Error {
  readonly exitCode: number = 1;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Wrong flags or arguments on the command line. */
export class UsageError extends TestsiftError {
  override readonly exitCode = 2;
}

/** Where in an input file a problem is: shown as `file:line:column`. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
  /** A key path such as `mapping[3].source`. */
  key?: string;
}

function locate(loc: SourceLocation): string {
  let s = loc.file;
  if (loc.line !== undefined) s += `:${loc.line}`;
  if (loc.line !== undefined && loc.column !== undefined) s += `:${loc.column}`;
  if (loc.key) s += ` (${loc.key})`;
  return s;
}

/** An input file written by people (tests.yml, a cases file) is invalid: fix it, exit 2. */
export class InputError extends TestsiftError {
  override readonly exitCode = 2;
  readonly location: SourceLocation;
  constructor(location: SourceLocation, problem: string, options?: { cause?: unknown }) {
    super(`${locate(location)}: ${problem}`, options);
    this.location = location;
  }
}

/** tests.yml (or another mapping/config file) is invalid. */
export class MappingError extends InputError {}

/**
 * A coverage map artifact is missing, corrupt or of an unknown format. Not an InputError: a map is
 * an artifact CI produced, not a file people wrote, so `detect` runs the full suite on it where an
 * invalid tests.yml stops with exit 2. Commands that read a map and nothing else (`map stats`,
 * `map merge`) still exit 2 on it, naming the file and where in it.
 */
export class MapError extends TestsiftError {
  override readonly exitCode = 2;
  readonly location: SourceLocation;
  constructor(location: SourceLocation, problem: string, options?: { cause?: unknown }) {
    super(`${locate(location)}: ${problem}`, options);
    this.location = location;
  }
}

/** A timing report is unreadable. */
export class TimingError extends InputError {}

/** Git could not answer: unknown ref, not a repository, missing merge-base, … */
export class GitError extends TestsiftError {
  override readonly exitCode: number;
  constructor(message: string, options?: { cause?: unknown; exitCode?: number }) {
    super(message, options);
    this.exitCode = options?.exitCode ?? 2;
  }
}

/**
 * A file could not be written for a reason outside the user's input (a full disk, a quota, a
 * file size limit, an I/O error): exit 1, but the message names the path, which the system
 * error of a failed `write(fd)` does not.
 */
export class WriteError extends TestsiftError {
  readonly path: string;
  constructor(path: string, problem: string, options?: { cause?: unknown }) {
    super(`${path}: ${problem}`, options);
    this.path = path;
  }
}
