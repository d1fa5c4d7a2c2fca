import { readFileSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { InputError } from '../../errors.js';
import { normalizeRelative } from '../../util/paths.js';

/** What a runner should run: exactly `tests` (repo-relative POSIX), or everything when `full`. */
export interface RunSelection {
  mode: 'selective' | 'full';
  tests: string[];
  /** Where the selection came from (the file path or `TESTSIFT_SELECT`), for messages. */
  origin: string;
}

/** Extensions of test source files: a single such path is a one-test list, never a selection file. */
const CODE_EXT = /\.(?:[cm]?[jt]sx?|vue|svelte|astro)$/i;

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Parse a selection as `testsift detect` emits it: `--format json` (`{mode, tests, …}`), a JSON
 * array of paths, or `--format list` (one path a line). `textOrPath` may instead name a file
 * holding either. A single line naming an existing file is read as a selection file unless it
 * is a test source (`.ts`, `.js`, …), in which case it is a list of that one test.
 * Bad JSON or a wrong shape is an InputError naming the origin and what was expected: running
 * some guessed subset would be worse than failing the job.
 */
export function readSelection(textOrPath: string, opts: { cwd?: string; origin?: string } = {}): RunSelection {
  const cwd = opts.cwd ?? process.cwd();
  const trimmed = textOrPath.trim();
  if (trimmed && !trimmed.includes('\n') && !trimmed.startsWith('{') && !trimmed.startsWith('[')) {
    const abs = resolve(cwd, trimmed);
    if (isFile(abs) && !CODE_EXT.test(extname(abs))) {
      return parseSelectionText(readFileSync(abs, 'utf8'), trimmed);
    }
  }
  return parseSelectionText(textOrPath, opts.origin ?? 'TESTSIFT_SELECT');
}

/** Parse selection text (no file indirection); `origin` names it in errors. */
export function parseSelectionText(text: string, origin: string): RunSelection {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let data: unknown;
    try {
      data = JSON.parse(trimmed);
    } catch (err) {
      throw new InputError({ file: origin }, `invalid JSON selection: ${(err as Error).message}`);
    }
    if (Array.isArray(data)) return { mode: 'selective', tests: pathList(data, origin, '[]'), origin };
    const obj = data as Record<string, unknown>;
    if (obj.mode !== 'selective' && obj.mode !== 'full') {
      throw new InputError({ file: origin, key: 'mode' }, `expected "selective" or "full", got ${JSON.stringify(obj.mode)}`);
    }
    if (!Array.isArray(obj.tests)) {
      throw new InputError({ file: origin, key: 'tests' }, 'expected an array of test paths');
    }
    return { mode: obj.mode, tests: pathList(obj.tests, origin, 'tests'), origin };
  }
  const tests = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map(normalizeRelative);
  return { mode: 'selective', tests: [...new Set(tests)].sort(), origin };
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
