import { SaxesParser } from 'saxes';
import { InputError } from '../../errors.js';

/**
 * What a JUnit XML report says about the test files that ran: for every `<testcase>` (and every
 * `<testsuite>`, which is all a file that failed to load may leave) the names that can identify
 * its file, most specific first. The runners disagree on where the file goes:
 * - Vitest: `<testsuite name="test/a.test.ts">`, `<testcase classname="test/a.test.ts">` (and `file` on request);
 * - rspec_junit_formatter: `<testcase file="./spec/models/user_spec.rb">`;
 * - jest-junit: `file` / `filepath` attributes when configured, else the suite name template;
 * - pytest: `<testcase classname="tests.unit.test_a.TestX">` (a module path; see candidates()).
 *
 * Parsed with saxes, a strict streaming parser: a report cut short or malformed (a job killed
 * while writing it) is an InputError naming the file, line and column, never a partial answer —
 * `shard verify` must not call a test missing because its report was half read. Streaming, with
 * an explicit stack, so nesting depth costs no call stack.
 */
export interface JUnitEntry {
  /** File attributes (`file`, `filepath`, …) of the element, then of its suite: paths. */
  files: string[];
  /** Other candidate names (suite name, classname), most specific first: maybe paths. */
  names: string[];
  /** 'testcase' or 'testsuite'. */
  kind: 'testcase' | 'testsuite';
}

const FILE_ATTRS = ['file', 'filepath', 'filename', 'path'];

export function junitEntries(file: string, text: string): JUnitEntry[] {
  const parser = new SaxesParser({ position: true });
  const entries: JUnitEntry[] = [];
  // Attributes of the open <testsuite> elements, innermost last.
  const suites: Array<Record<string, string>> = [];
  let sawRoot = false;
  let rootName = '';
  parser.on('error', (err) => {
    throw new InputError({ file, line: parser.line, column: parser.column + 1 }, `malformed JUnit XML: ${err.message.replace(/^[^:]*:\d+:\d+: /, '')}`, { cause: err });
  });
  parser.on('opentag', (tag) => {
    const attrs = tag.attributes as Record<string, string>;
    if (!sawRoot) {
      sawRoot = true;
      rootName = tag.name;
    }
    if (tag.name === 'testsuite') {
      suites.push(attrs);
      entries.push({ kind: 'testsuite', files: pick(attrs, FILE_ATTRS), names: pick(attrs, ['name']) });
    } else if (tag.name === 'testcase') {
      const suite = suites[suites.length - 1] ?? {};
      entries.push({
        kind: 'testcase',
        files: [...pick(attrs, FILE_ATTRS), ...pick(suite, FILE_ATTRS)],
        names: [...pick(attrs, ['classname']), ...pick(suite, ['name'])],
      });
    }
  });
  parser.on('closetag', (tag) => {
    if (tag.name === 'testsuite') suites.pop();
  });
  parser.write(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).close();
  if (rootName !== 'testsuites' && rootName !== 'testsuite') {
    throw new InputError({ file, line: 1 }, `not a JUnit XML report: the root element is <${rootName}>, expected <testsuites> or <testsuite>`);
  }
  return entries;
}

function pick(attrs: Record<string, string>, names: readonly string[]): string[] {
  const out: string[] = [];
  for (const n of names) {
    const v = attrs[n];
    if (typeof v === 'string' && v.trim() !== '') out.push(v.trim());
  }
  return out;
}
