import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { missingSelectedMessage, noneFoundWarning, noTestNeededMessage, readSelection, unusableWarning, type RunSelection } from '../shared/selection.js';
import { ENV, envValue } from './env.js';
import { majorOf, runningJestVersion } from './jest-version.js';
import { repoRelative, resolveRoot } from './root.js';

/** What a Jest `--filter` module returns: Jest 30 wants paths, Jest 29 wants `{test}` objects. */
export type JestFilterResult = { filtered: string[] } | { filtered: Array<{ test: string }> };

export interface FilterOutcome {
  /** The absolute test paths to run, in Jest's order. */
  kept: string[];
  /** One-line notes for stderr: what was selected, what could not be found. */
  messages: string[];
}

/**
 * Keep exactly the test files a selection names, matched by repo-relative path (never by
 * substring, unlike Jest's own path patterns). In `full` mode everything runs, with a warning
 * when that is because the selection was unusable.
 *
 * Jest calls the filter once per project, so a project finding none of the selected tests is
 * normal when they belong to another project. It is a path mismatch (every file runs, with a
 * warning) only when none of the selected tests exists under the root either: then no project
 * can have them, and running nothing would pass a change no test has seen.
 */
export function applySelection(
  testPaths: readonly string[],
  selection: RunSelection,
  root: string,
  exists: (relPath: string) => boolean = (rel) => existsSync(join(root, rel)),
): FilterOutcome {
  if (selection.mode === 'full') {
    const warning = unusableWarning(selection);
    return { kept: [...testPaths], messages: [warning ?? `selection from ${selection.origin} is full: running all ${testPaths.length} test files`] };
  }
  if (selection.tests.length === 0) {
    return { kept: [], messages: [noTestNeededMessage(selection), 'Jest exits 1 on an empty run unless given --passWithNoTests'] };
  }
  const wanted = new Set(selection.tests);
  const found = new Set<string>();
  const kept = testPaths.filter((abs) => {
    const rel = repoRelative(root, abs);
    if (rel === undefined || !wanted.has(rel)) return false;
    found.add(rel);
    return true;
  });
  if (kept.length === 0 && testPaths.length > 0 && !selection.tests.some(exists)) {
    return { kept: [...testPaths], messages: [noneFoundWarning(selection, 'this Jest run', root, testPaths.length)] };
  }
  const messages = [`running ${kept.length} of ${testPaths.length} test files selected by ${selection.origin}`];
  const missing = missingSelectedMessage(selection.tests, found, 'this Jest run', 'another project, or not matched by testMatch', root);
  if (missing) messages.push(missing);
  if (kept.length === 0) messages.push('no test file selected: Jest exits 1 on an empty run unless given --passWithNoTests');
  return { kept, messages };
}

/**
 * Shape the kept paths for the running Jest major. When the major cannot be told, the list is
 * made readable both ways (iterating gives paths, `.map` gives `{test}`), because guessing the
 * wrong shape would make Jest run nothing.
 */
export function filterResultFor(major: number | undefined, kept: readonly string[]): JestFilterResult {
  if (major !== undefined && major >= 30) return { filtered: [...kept] };
  if (major !== undefined) return { filtered: kept.map((test) => ({ test })) };
  const both = [...kept];
  Object.defineProperty(both, 'map', { value: <U>(fn: (item: { test: string }, i: number) => U) => kept.map((test, i) => fn({ test }, i)) });
  return { filtered: both };
}

/**
 * The `--filter` module (Jest calls it with every test path it found, before sharding). Reads
 * TESTSIFT_SELECT — the selection itself or a path to it; without it every test runs. A
 * selection that cannot be used (missing, unreadable, malformed, empty) runs every test with a
 * warning naming it and why: a job that runs more tests is slower, one that runs none by
 * accident ships the bug.
 */
export default async function testsiftFilter(testPaths: string[]): Promise<JestFilterResult> {
  const major = majorOf(runningJestVersion());
  const raw = envValue(process.env, ENV.select);
  if (!raw) return filterResultFor(major, testPaths);
  const selection = readSelection(raw, { cwd: process.cwd() });
  const root = resolveRoot(testPaths[0] ? dirname(testPaths[0]) : process.cwd());
  const { kept, messages } = applySelection(testPaths, selection, root);
  for (const m of messages) process.stderr.write(`testsift: ${m}\n`);
  return filterResultFor(major, kept);
}
