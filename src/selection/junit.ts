import { SaxesParser } from 'saxes';
import { relativeTo } from '../util/paths.js';

/**
 * Reading JUnit XML reports (`--previous-failures`) with a strict XML parser.
 *
 * A report is an artifact of a run that may have been killed, or written by a reporter that does
 * not escape what it puts in attributes (`message="expected 5" screen"`). A hand tokenizer reads
 * such a report as "fewer failures" and a failed test is not run again. saxes checks
 * well-formedness and reports the first error with its line, so anything not well-formed is a
 * `problem`, and the caller runs the full suite with it.
 */

/** One failed or errored test case of a report. */
export interface JUnitCase {
  /** 1-based line of the <testcase> (or of the suite, for a suite-level failure). */
  line: number;
  name?: string;
  classname?: string;
  /**
   * Attribute values that may name the test file, most specific first: the case's `file` and
   * `filepath` (jest-junit `addFileAttribute`, RSpec, pytest), its suite's, the case's
   * `classname` and the suite's `name` (Vitest puts the path there), the case's `name`.
   */
  candidates: string[];
}

/** What a JUnit XML report says, and whether it can be trusted to list every failure. */
export interface JUnitReport {
  failed: JUnitCase[];
  /**
   * Why the report may not list every failure (not well-formed, cut off, not JUnit, a suite that
   * counts failures it does not list), or undefined. With a problem, `failed` is a lower bound.
   */
  problem?: string;
}

/** What a JUnit XML report says: the failed test files, and whether it could be read whole. */
export interface JUnitFailures {
  /** Candidate paths of failed or errored cases (the caller keeps the ones that are test files). */
  files: string[];
  /** As JUnitReport.problem: with a problem, `files` are a lower bound, not the answer. */
  problem?: string;
}

const SUITE_ATTRS = ['file', 'filepath'];
const CASE_FILE_ATTRS = ['file', 'filepath'];

interface Open {
  name: string;
  attrs: Record<string, string>;
  line: number;
  /** <failure>/<error> elements seen inside (for the count check of suites). */
  found: number;
  /** A <testcase> with a <failure> or <error> child. */
  failed: boolean;
}

/** Read a report. Never throws: anything unexpected is a `problem`. */
export function readJUnitReport(xml: string): JUnitReport {
  const failed: JUnitCase[] = [];
  let problem: string | undefined;
  const fail = (why: string) => {
    problem ??= why;
  };
  if (/^[\s\uFEFF]*$/.test(xml)) {
    // A run killed before its reporter wrote anything leaves an empty file: not "no failures".
    return { failed, problem: 'empty file (the run that wrote it may have been killed)' };
  }

  const stack: Open[] = [];
  const parser = new SaxesParser({ position: true });
  let tagLine = 1;
  let sawRoot = false;
  const nearest = (name: string, below = stack.length) => {
    for (let i = below - 1; i >= 0; i--) if (stack[i]!.name === name) return stack[i];
    return undefined;
  };
  const record = (c: Open) => {
    const suite = c.name === 'testsuite' ? undefined : nearest('testsuite', stack.indexOf(c) < 0 ? stack.length : stack.indexOf(c));
    failed.push(caseOf(c, suite));
  };

  parser.on('error', (e) => {
    // At the end saxes names each unclosed tag, innermost first: say where it opened.
    const unclosed = /^\d+:\d+: unclosed tag: (.+)$/.exec(e.message);
    const open = unclosed ? nearest(unclosed[1]!) : undefined;
    fail(open ? `<${open.name}> at line ${open.line} is never closed (truncated report?)` : positioned(e.message));
  });
  parser.on('opentagstart', () => {
    tagLine = parser.line;
  });
  parser.on('opentag', (tag) => {
    const attrs = tag.attributes as Record<string, string>;
    if (!sawRoot) {
      sawRoot = true;
      if (tag.name !== 'testsuites' && tag.name !== 'testsuite') {
        fail(`line ${tagLine}: the root element is <${tag.name}>, not <testsuites> or <testsuite>`);
      }
    }
    if (tag.name === 'failure' || tag.name === 'error') {
      for (const o of stack) o.found++;
      const owner = nearest('testcase') ?? nearest('testsuite');
      if (owner?.name === 'testcase') owner.failed = true;
      // A suite-level failure (a file that failed to load, in some reporters) belongs to the suite.
      else if (owner && !owner.failed) {
        owner.failed = true;
        record(owner);
      } else if (!owner) fail(`line ${tagLine}: <${tag.name}> outside any <testsuite>: which test failed is unknown`);
    }
    stack.push({ name: tag.name, attrs, line: tagLine, found: 0, failed: false });
  });
  parser.on('closetag', () => {
    const top = stack.pop();
    if (!top) return;
    if (top.name === 'testcase' && top.failed) record(top);
    if (top.name === 'testsuite' || top.name === 'testsuites') checkCounts(top, fail);
  });

  try {
    parser.write(xml).close();
  } catch (err) {
    // saxes reports through the handler; this is for a bug of its own, which must not pass as "no failures".
    fail(`cannot be parsed: ${err instanceof Error ? err.message : String(err)}`);
  }
  // Cut off: a case whose failure began before the end still failed (more tests, never fewer).
  for (const o of stack) if (o.name === 'testcase' && o.failed) record(o);
  if (!sawRoot) fail('no root element');
  return problem === undefined ? { failed } : { failed, problem };
}

/**
 * A suite that counts failures or errors it does not list (Vitest counts unhandled errors, jest-junit
 * a test file that failed to run): some failure belongs to no case we can name.
 */
function checkCounts(o: Open, fail: (why: string) => void): void {
  const count = (k: string) => (/^\s*\d+\s*$/.test(o.attrs[k] ?? '') ? Number(o.attrs[k]) : 0);
  const declared = count('failures') + count('errors');
  if (declared > o.found) {
    const what = o.name === 'testsuite' && o.attrs.name ? `<testsuite name="${o.attrs.name}">` : `<${o.name}>`;
    fail(`line ${o.line}: ${what} counts ${declared} failure(s)/error(s) but lists ${o.found} <failure>/<error> element(s): which tests failed is not all written down`);
  }
}

function caseOf(c: Open, suite: Open | undefined): JUnitCase {
  const candidates: string[] = [];
  const add = (v: string | undefined) => {
    if (v && v.trim() && !candidates.includes(v)) candidates.push(v);
  };
  for (const k of CASE_FILE_ATTRS) add(c.attrs[k]);
  for (const k of SUITE_ATTRS) add(suite?.attrs[k]);
  add(c.attrs.classname);
  add(suite?.attrs.name);
  add(c.attrs.name);
  const out: JUnitCase = { line: c.line, candidates };
  if (c.attrs.name !== undefined) out.name = c.attrs.name;
  if (c.attrs.classname !== undefined) out.classname = c.attrs.classname;
  return out;
}

/** saxes says `3:17: unclosed tag: a` (column 0-based); we say where in words, 1-based. */
function positioned(message: string): string {
  const m = /^(\d+):(\d+): ([\s\S]*)$/.exec(message);
  return m ? `line ${m[1]}, column ${Number(m[2]) + 1}: ${m[3]!.replace(/\.$/, '')}` : message;
}

/**
 * The failed cases' candidate paths, relative to `root` (no placement in the test universe: see
 * placeFailures for that). Kept for callers that only want the list.
 */
export function parseJUnitFailures(xml: string, root: string): JUnitFailures {
  const r = readJUnitReport(xml);
  const files = [...new Set(r.failed.flatMap((c) => c.candidates.map((p) => relativeTo(root, p))))];
  return r.problem === undefined ? { files } : { files, problem: r.problem };
}
