/**
 * JUnit reports from --previous-failures: the failed cases, read with a strict XML parser so a
 * report that is cut off or not well-formed is a problem (the full suite), never "fewer failures".
 */
import { describe, expect, it } from 'vitest';
import { parseJUnitFailures, readJUnitReport } from '../../../src/selection/junit.js';
import { makePlacer, pathSuffixes } from '../../../src/selection/junit-place.js';

const ROOT = '/repo';

describe('parseJUnitFailures', () => {
  it('Vitest-style reports: the suite name and classname of failing cases, no problem', () => {
    const xml = [
      '<?xml version="1.0" encoding="UTF-8" ?>',
      '<testsuites name="vitest tests" tests="3" failures="1" errors="0">',
      '  <testsuite name="test/a.test.ts" failures="1" errors="0">',
      '    <testcase classname="test/a.test.ts" name="returns > 0 &amp; more"><failure message="boom">AssertionError: &lt;testcase&gt;</failure></testcase>',
      '    <testcase classname="test/a.test.ts" name="passes"/>',
      '  </testsuite>',
      '  <testsuite name="test/b.test.ts"><testcase classname="test/b.test.ts" name="ok"></testcase></testsuite>',
      '</testsuites>',
      '',
    ].join('\n');
    const r = parseJUnitFailures(xml, ROOT);
    expect(r.problem).toBeUndefined();
    expect(r.files).toContain('test/a.test.ts');
    expect(r.files).not.toContain('test/b.test.ts');
  });

  it('jest-junit file attributes, errors, and tags inside CDATA or comments are ignored', () => {
    const xml =
      '<testsuites><!-- <testsuite> --><testsuite name="suite"><testcase file="/repo/test/c.test.ts" name="x"><error><![CDATA[<testsuite></testcase>]]></error></testcase></testsuite></testsuites>';
    const r = parseJUnitFailures(xml, ROOT);
    expect(r.problem).toBeUndefined();
    expect([...r.files].sort()).toEqual(['suite', 'test/c.test.ts', 'x']);
  });

  it('an unclosed <testsuite> is a problem naming its line; the failures seen so far are kept', () => {
    const xml = '<testsuites>\n<testsuite name="test/a.test.ts">\n<testcase classname="test/a.test.ts" name="t"><failure/></testcase>\n';
    const r = parseJUnitFailures(xml, ROOT);
    expect(r.problem).toBe('<testsuite> at line 2 is never closed (truncated report?)');
    expect(r.files).toContain('test/a.test.ts');
  });

  it('a case cut off inside its failure still counts as failed', () => {
    const r = parseJUnitFailures('<testsuite name="s">\n<testcase classname="test/d.test.ts" name="t"><failure message="x">trace', ROOT);
    expect(r.problem).toBe('<failure> at line 2 is never closed (truncated report?)');
    expect(r.files).toContain('test/d.test.ts');
  });

  it('mismatched tags, an unterminated CDATA, and documents that are not JUnit are problems with their line', () => {
    expect(parseJUnitFailures('<testsuite>\n<testcase>\n</testsuite>', ROOT).problem).toBe('line 3, column 13: unexpected close tag');
    expect(parseJUnitFailures('<testsuite><testcase><failure><![CDATA[cut', ROOT).problem).toBe('<failure> at line 1 is never closed (truncated report?)');
    expect(parseJUnitFailures('{"not": "xml"}', ROOT).problem).toMatch(/^line 1, column \d+: /);
    expect(parseJUnitFailures('<html>\n<body/></html>', ROOT).problem).toBe('line 1: the root element is <html>, not <testsuites> or <testsuite>');
    expect(parseJUnitFailures('<testsuites/>', ROOT).problem).toBeUndefined();
  });
});

describe('readJUnitReport: what a hand tokenizer got wrong', () => {
  it('an unescaped quote in an attribute is not well-formed: a problem naming the line, not one failure fewer', () => {
    const xml = [
      '<testsuites>',
      '<testsuite name="test/a.test.ts">',
      '<testcase classname="test/a.test.ts" name="x"><failure message="expected 5" screen"/></testcase>',
      '</testsuite>',
      '</testsuites>',
    ].join('\n');
    const r = readJUnitReport(xml);
    expect(r.problem).toMatch(/^line 3, column \d+: /);
  });

  it('an empty file or a blank one is a problem: a killed run writes nothing, not "no failures"', () => {
    expect(readJUnitReport('').problem).toBe('empty file (the run that wrote it may have been killed)');
    expect(readJUnitReport('\uFEFF \n').problem).toBe('empty file (the run that wrote it may have been killed)');
  });

  it('a suite that counts failures it does not list is a problem; one that counts none is fine', () => {
    expect(readJUnitReport('<testsuites tests="3" failures="1" errors="0"></testsuites>').problem).toBe(
      'line 1: <testsuites> counts 1 failure(s)/error(s) but lists 0 <failure>/<error> element(s): which tests failed is not all written down',
    );
    expect(readJUnitReport('<testsuites>\n<testsuite name="test/a.test.ts" errors="2"><testcase name="t"><error/></testcase></testsuite></testsuites>').problem).toMatch(
      /^line 2: <testsuite name="test\/a.test.ts"> counts 2 /,
    );
    expect(readJUnitReport('<testsuites tests="0" failures="0" errors="0"></testsuites>')).toEqual({ failed: [] });
  });

  it('a failure directly in a suite (a file that failed to load) is a failed case of that suite', () => {
    const r = readJUnitReport('<testsuite name="test/boot.test.ts"><error message="cannot import"/></testsuite>');
    expect(r.problem).toBeUndefined();
    expect(r.failed.map((c) => c.candidates)).toEqual([['test/boot.test.ts']]);
  });

  it('entities a DTD would define are not guessed: undefined entity is a problem', () => {
    expect(readJUnitReport('<testsuite><testcase name="&nbsp;"><failure/></testcase></testsuite>').problem).toMatch(/undefined entity/);
  });
});

describe('placing a failed case in the test universe', () => {
  const universe = new Set(['test/c.test.ts', 'test/a.test.ts', 'packages/x/test/c.test.ts', 'test/new.test.ts']);
  const place = makePlacer({
    universe,
    changes: [
      { path: 'test/new.test.ts', oldPath: 'test/old.test.ts', status: 'renamed' },
      { path: 'test/gone.test.ts', status: 'deleted' },
    ],
  });
  const at = (...candidates: string[]) => place({ line: 1, candidates });

  it('suffixes are longest first, without `..`, and fold Windows separators', () => {
    expect(pathSuffixes('/builds/g/p/test/c.test.ts')).toEqual(['builds/g/p/test/c.test.ts', 'g/p/test/c.test.ts', 'p/test/c.test.ts', 'test/c.test.ts', 'c.test.ts']);
    expect(pathSuffixes('../x/./test/a.ts')).toEqual(['x/test/a.ts', 'test/a.ts', 'a.ts']);
    expect(pathSuffixes('C:\\b\\test\\a.ts')).toEqual(['C:/b/test/a.ts', 'b/test/a.ts', 'test/a.ts', 'a.ts']);
  });

  it('an absolute path from another checkout is placed by its longest suffix that is a test', () => {
    expect(at('/builds/group/project/test/c.test.ts')).toEqual({ kind: 'tests', tests: ['test/c.test.ts'] });
    expect(at('/builds/group/project/packages/x/test/c.test.ts')).toEqual({ kind: 'tests', tests: ['packages/x/test/c.test.ts'] });
    expect(at('./test/a.test.ts', 'a title')).toEqual({ kind: 'tests', tests: ['test/a.test.ts'] });
  });

  it('a test the change renamed runs under its new path; one it deleted is gone; anything else is unplaced', () => {
    expect(at('/ci/p/test/old.test.ts')).toEqual({ kind: 'tests', tests: ['test/new.test.ts'] });
    expect(at('test/gone.test.ts')).toEqual({ kind: 'deleted', path: 'test/gone.test.ts' });
    expect(at('describe block', 'it works')).toEqual({ kind: 'unplaced' });
    expect(at()).toEqual({ kind: 'unplaced' });
  });
});
