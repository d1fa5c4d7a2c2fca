import { dirname } from 'node:path';
import { TestsiftError } from '../../errors.js';
import { missingSelectedMessage, readSelection, type RunSelection } from '../shared/selection.js';
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
 * substring, unlike Jest's own path patterns). In `full` mode everything runs.
 */
export function applySelection(testPaths: readonly string[], selection: RunSelection, root: string): FilterOutcome {
  if (selection.mode === 'full') {
    return { kept: [...testPaths], messages: [`selection from ${selection.origin} is full: running all ${testPaths.length} test files`] };
  }
  const wanted = new Set(selection.tests);
  const found = new Set<string>();
  const kept = testPaths.filter((abs) => {
    const rel = repoRelative(root, abs);
    if (rel === undefined || !wanted.has(rel)) return false;
    found.add(rel);
    return true;
  });
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
 * TESTSIFT_SELECT — the selection itself or a path to it; without it every test runs.
 * An unreadable selection ends the process with exit code 2 and a message naming the input and
 * the problem (the CLI contract for bad input): running a guessed subset would be worse than a
 * failed job, and Jest itself would only exit 1 with a stack trace.
 */
export default async function testsiftFilter(testPaths: string[]): Promise<JestFilterResult> {
  const major = majorOf(runningJestVersion());
  const raw = envValue(process.env, ENV.select);
  if (!raw) return filterResultFor(major, testPaths);
  let selection: RunSelection;
  try {
    selection = readSelection(raw, { cwd: process.cwd() });
  } catch (err) {
    if (!(err instanceof TestsiftError)) throw err;
    process.stderr.write(`testsift: invalid selection: ${err.message}\n`);
    process.exit(err.exitCode);
  }
  const root = resolveRoot(testPaths[0] ? dirname(testPaths[0]) : process.cwd());
  const { kept, messages } = applySelection(testPaths, selection, root);
  for (const m of messages) process.stderr.write(`testsift: ${m}\n`);
  return filterResultFor(major, kept);
}
