import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { InputError } from '../../errors.js';
import { normalizeRelative, toPosix } from '../../util/paths.js';
import { findRepoRoot } from '../../util/repo.js';
import { isCommentLine } from '../../util/list-text.js';

/** What a runner should run: exactly `tests` (repo-relative POSIX), or everything when `full`. */
export interface RunSelection {
  mode: 'selective' | 'full';
  tests: string[];
  /** Where the selection came from (the file path or `TESTSIFT_SELECT`), for messages. */
  origin: string;
  /**
   * Set when the selection could not be used (a missing, unreadable, malformed or empty
   * selection): why. `mode` is then `full`, and the runner prints this as a loud warning.
   */
  unusable?: string;
}

/** Extensions of test source files: a single such path is a one-test list, never a selection file. */
const CODE_EXT = /\.(?:[cm]?[jt]sx?|vue|svelte|astro)$/i;

/**
 * Read a selection as `testsift detect` emits it: `--format json` (`{mode, tests, …}`), a JSON
 * array of paths, or `--format list` (one path a line, or NUL-terminated with `-z`).
 * `textOrPath` may instead name a file holding either: a single line that is not a test source
 * (`.ts`, `.js`, …) is always a selection file's path.
 *
 * Never throws for bad input, because the safe answer to "which tests?" when the answer cannot
 * be read is "all of them": a missing, unreadable, malformed or empty selection is `full` with
 * `unusable` saying why (the runners print it as a warning naming the file). Only a valid
 * selection that says so runs nothing: detect's JSON `{"mode": "selective", "tests": []}`.
 * An empty list cannot tell "no test needed" from a truncated or never-written file, and an
 * empty JSON array carries no mode (`jq .tests` of a full-suite result is `[]` too).
 */
export function readSelection(textOrPath: string, opts: { cwd?: string; origin?: string } = {}): RunSelection {
  const cwd = opts.cwd ?? process.cwd();
  const origin = opts.origin ?? 'TESTSIFT_SELECT';
  const trimmed = textOrPath.trim();
  if (trimmed && !/[\n\0]/.test(trimmed) && !trimmed.startsWith('{') && !trimmed.startsWith('[') && !CODE_EXT.test(trimmed)) {
    return fromListRoot(readSelectionFile(trimmed, resolve(cwd, trimmed), origin));
  }
  return fromListRoot(usable(() => parseSelectionText(textOrPath, origin), origin, ''));
}

/** Selections read from a list (not JSON): their paths are relative to the current directory. */
const FROM_LIST = new WeakSet<RunSelection>();

/**
 * A list (`detect --format list`) names tests relative to the folder detect ran in, as every
 * CLI's paths are; the runners match repo-relative paths. The list is taken relative to the
 * process's current directory (where the job runs detect and the runner alike); detect's JSON
 * is repo-relative already.
 */
function fromListRoot(sel: RunSelection): RunSelection {
  if (!FROM_LIST.has(sel)) return sel;
  const plain = sel;
  const here = process.cwd();
  const repo = findRepoRoot(here);
  if (!repo || resolve(repo) === resolve(here)) return plain;
  const tests = plain.tests.map((t) => (isAbsolute(t) ? toPosix(relative(repo, t)) : toPosix(relative(repo, resolve(here, t)))));
  return { ...plain, tests: [...new Set(tests)].sort() };
}

function readSelectionFile(given: string, abs: string, origin: string): RunSelection {
  const where = `the selection file ${JSON.stringify(given)} named by ${origin}`;
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT' ? `does not exist (looked for ${abs})` : code === 'EISDIR' ? `is a directory (${abs})` : `cannot be read (${code ?? (err as Error).message})`;
    return unusableSelection(given, `${where} ${problem}`);
  }
  return usable(() => parseSelectionText(text, given), given, `${where}: `);
}

function usable(parse: () => RunSelection, origin: string, prefix: string): RunSelection {
  let sel: RunSelection;
  try {
    sel = parse();
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return unusableSelection(origin, `${prefix}invalid selection: ${err.message}`);
  }
  return sel;
}

function unusableSelection(origin: string, why: string): RunSelection {
  return { mode: 'full', tests: [], origin, unusable: why };
}

/**
 * Parse selection text (no file indirection); `origin` names it in errors. Throws InputError for
 * text that is not a usable selection; {@link readSelection} turns that into a full run.
 */
export function parseSelectionText(text: string, origin: string): RunSelection {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let data: unknown;
    try {
      data = JSON.parse(trimmed);
    } catch (err) {
      throw new InputError({ file: origin }, `invalid JSON selection: ${(err as Error).message}`);
    }
    if (Array.isArray(data)) {
      if (data.length === 0) {
        throw new InputError(
          { file: origin },
          'an empty JSON array says nothing about whether no test or every test is needed; pass detect\'s JSON ({"mode": …, "tests": […]})',
        );
      }
      return { mode: 'selective', tests: pathList(data, origin, '[]'), origin };
    }
    if (data === null || typeof data !== 'object')
      throw new InputError({ file: origin }, `expected a JSON object {"mode", "tests"} or an array of paths, got ${JSON.stringify(data)}`);
    const obj = data as Record<string, unknown>;
    if (obj.mode !== 'selective' && obj.mode !== 'full') {
      throw new InputError({ file: origin, key: 'mode' }, `expected "selective" or "full", got ${JSON.stringify(obj.mode)}`);
    }
    if (!Array.isArray(obj.tests)) {
      throw new InputError({ file: origin, key: 'tests' }, 'expected an array of test paths');
    }
    return { mode: obj.mode, tests: pathList(obj.tests, origin, 'tests'), origin };
  }
  // `detect --format list -z`: NUL-terminated paths, taken verbatim (a path may hold a newline).
  const entries = text.includes('\0')
    ? text.split('\0').filter((p) => p.length > 0)
    : text
        .split(/\r?\n/)
        .filter((l) => !isCommentLine(l))
        .map((l) => l.trim())
        .filter((l) => l !== '');
  if (entries.length === 0) {
    throw new InputError(
      { file: origin },
      'the list is empty: that cannot be told from a truncated or unwritten file; use detect --format json, whose {"mode": "selective", "tests": []} says no test is needed',
    );
  }
  const tests = entries.map(normalizeRelative);
  const sel: RunSelection = { mode: 'selective', tests: [...new Set(tests)].sort(), origin };
  FROM_LIST.add(sel);
  return sel;
}

function pathList(items: unknown[], origin: string, key: string): string[] {
  const out = new Set<string>();
  items.forEach((t, i) => {
    if (typeof t !== 'string' || t.trim() === '') {
      throw new InputError({ file: origin, key: `${key}[${i}]` }, `expected a test path string, got ${JSON.stringify(t)}`);
    }
    out.add(normalizeRelative(t.trim()));
  });
  return [...out].sort();
}

/** The loud line a runner prints for an unusable selection (see {@link RunSelection.unusable}). */
export function unusableWarning(sel: RunSelection): string | undefined {
  return sel.unusable === undefined ? undefined : `WARNING: ${sel.unusable}; running the whole suite`;
}

/** What a runner says when a valid selection names no test. */
export function noTestNeededMessage(sel: RunSelection): string {
  return `selection from ${sel.origin} says no test is needed: running none`;
}

/**
 * The loud line when none of a non-empty selection's tests is among the runner's files: the
 * paths are relative to another root (or the selection is of another project), so it cannot
 * be honoured, and running nothing would pass a change no test has seen.
 */
export function noneFoundWarning(sel: RunSelection, run: string, root: string, total: number): string {
  const shown = sel.tests.slice(0, SHOW_MISSING).join(', ') + (sel.tests.length > SHOW_MISSING ? ', …' : '');
  return (
    `WARNING: none of the ${sel.tests.length} test file(s) selected by ${sel.origin} is among ${run}'s ${total} test files ` +
    `(paths are relative to ${root}: ${shown}); a path mismatch, not a selection: running the whole suite`
  );
}

const SHOW_MISSING = 5;

/**
 * One line naming the selected tests a runner does not have (up to five of them), or undefined
 * when it has them all. A selected test that does not run is a test the change needed and did
 * not get: usually a path relative to another root, or a file another project or config runs.
 */
export function missingSelectedMessage(selected: readonly string[], found: ReadonlySet<string>, run: string, hint: string, root: string): string | undefined {
  const missing = selected.filter((t) => !found.has(t));
  if (missing.length === 0) return undefined;
  const shown = missing.slice(0, SHOW_MISSING).join(', ') + (missing.length > SHOW_MISSING ? ', …' : '');
  return `${missing.length} selected test file(s) are not among ${run}'s test files (${hint}; paths are relative to ${root}): ${shown}`;
}
