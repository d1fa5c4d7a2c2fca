import { isAbsolute, relative, resolve } from 'node:path';
import { InputError } from '../../errors.js';
import { toPosix } from '../../util/paths.js';
import { jsonErrorLine } from '../formats/json-error.js';
import { testKey } from '../path-key.js';
import { junitEntries } from './junit-names.js';

/** The test files one job's report shows as run. */
export interface RanFiles {
  /** Selected tests the report shows (each counted once per report). */
  ran: Set<string>;
  /** Files the report names that are not selected (paths as resolved). */
  unexpected: Set<string>;
  /** Test cases no name of which leads to a file. */
  unattributed: number;
  /** 'junit' or 'json'. */
  kind: 'junit' | 'json';
}

/**
 * Which selected test files a report shows as run. Reports are told apart by content: JUnit XML
 * (`<`) or the JSON of `jest --json` / Vitest's json reporter (`testResults[].name`, an absolute
 * path). Names are matched to the selected tests: as written (relative names against the
 * runner's root), else, for an absolute name outside this checkout, by its longest path suffix
 * that is a selected test (jobs check out to different folders), else, for pytest's dotted classnames, as a module path (`a.b.test_c.T` →
 * `a/b/test_c.py`). Anything unreadable is an InputError naming the file: a report that cannot be
 * read proves nothing, and must not make a test look missing or present.
 */
export function ranFiles(file: string, text: string, selected: ReadonlySet<string>, root: NameBase): RanFiles {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const first = body.trimStart()[0];
  const out: RanFiles = { ran: new Set(), unexpected: new Set(), unattributed: 0, kind: first === '<' ? 'junit' : 'json' };
  if (first === '<') {
    for (const e of junitEntries(file, body)) {
      const hit = [...e.files, ...e.names].map((n) => resolveName(n, selected, root)).find((x) => x !== undefined);
      if (hit !== undefined) out.ran.add(hit);
      else if (e.kind === 'testcase') {
        out.unattributed++;
        if (e.files.length > 0) out.unexpected.add(keyOf(e.files[0]!, root));
      }
    }
    return out;
  }
  if (first !== '{') {
    throw new InputError({ file, line: 1 }, 'not a test report: expected JUnit XML or the JSON of jest --json / vitest --reporter=json');
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    throw new InputError({ file, line: jsonErrorLine(body) }, `invalid JSON: ${(err as Error).message}`, { cause: err });
  }
  const results = (json as { testResults?: unknown }).testResults;
  if (!Array.isArray(results)) {
    throw new InputError({ file, key: 'testResults' }, 'expected the JSON of jest --json or vitest --reporter=json, with a testResults list');
  }
  results.forEach((r, i) => {
    const name = typeof r === 'object' && r !== null ? (r as { name?: unknown }).name : undefined;
    if (typeof name !== 'string' || name === '') throw new InputError({ file, key: `testResults[${i}].name` }, 'expected the test file path as a string');
    const hit = resolveName(name, selected, root);
    if (hit !== undefined) out.ran.add(hit);
    else out.unexpected.add(keyOf(name, root));
  });
  return out;
}

/** Where a report's names are relative to. */
export interface NameBase {
  /** Where the selected tests' paths are relative to (the repository root; verify's cwd). */
  cwd: string;
  /** What relative names in the reports are relative to (a runner's root); default `cwd`. */
  root: string;
}

function keyOf(name: string, base: NameBase): string {
  const posix = name.replaceAll('\\', '/');
  return testKey(toPosix(relative(base.cwd, isAbsolute(posix) ? posix : resolve(base.root, posix))));
}

/** The selected test a report's name stands for, or undefined. */
export function resolveName(name: string, selected: ReadonlySet<string>, base: NameBase): string | undefined {
  const key = keyOf(name, base);
  if (selected.has(key)) return key;
  // An absolute name from another job's checkout (`/builds/x/proj/spec/a_spec.rb`): the longest
  // suffix at a '/' that is a selected test. Only for names outside this checkout: a relative
  // name that matched nothing names some other file, and must not pass for a selected one.
  if (isAbsolute(name.replaceAll('\\', '/')) && (key === '..' || key.startsWith('../'))) {
    const full = testKey(name.replaceAll('\\', '/'));
    for (let i = full.indexOf('/'); i >= 0; i = full.indexOf('/', i + 1)) {
      const suffix = full.slice(i + 1);
      if (selected.has(suffix)) return suffix;
    }
  }
  // pytest: `tests.unit.test_a.TestX` is the module tests/unit/test_a.py (longest module first).
  if (/^[A-Za-z_][\w.]*$/.test(name) && name.includes('.')) {
    const parts = name.split('.');
    for (let j = parts.length; j >= 1; j--) {
      const candidate = keyOf(`${parts.slice(0, j).join('/')}.py`, base);
      if (selected.has(candidate)) return candidate;
    }
  }
  return undefined;
}
