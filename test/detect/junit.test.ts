/**
 * JUnit reports from --previous-failures: the failed files, and a structure check so a report cut
 * off mid-write is not read as "fewer failures".
 */
import { describe, expect, it } from 'vitest';
import { parseJUnitFailures } from '../../src/selection/junit.js';

const ROOT = '/repo';

describe('parseJUnitFailures', () => {
  it('Vitest-style reports: the suite name and classname of failing cases, no problem', () => {
    const xml = [
      '<?xml version="1.0" encoding="UTF-8" ?>',
      '<testsuites name="vitest tests">',
      '  <testsuite name="test/a.test.ts">',
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
    expect(parseJUnitFailures(xml, ROOT)).toEqual({ files: ['test/c.test.ts', 'x', 'suite'] });
  });

  it('an unclosed <testsuite> is a problem naming its line; the failures seen so far are kept', () => {
    const xml = '<testsuites>\n<testsuite name="test/a.test.ts">\n<testcase classname="test/a.test.ts" name="t"><failure/></testcase>\n';
    const r = parseJUnitFailures(xml, ROOT);
    expect(r.problem).toBe('<testsuite> at line 2 is never closed (truncated report?)');
    expect(r.files).toContain('test/a.test.ts');
  });

  it('a case cut off inside its failure still counts as failed', () => {
    const r = parseJUnitFailures('<testsuite name="s">\n<testcase classname="test/d.test.ts" name="t"><failure message="x">trace', ROOT);
    expect(r.problem).toBe('<testcase> at line 2 is never closed (truncated report?)');
    expect(r.files).toContain('test/d.test.ts');
  });

  it('mismatched tags, an unterminated CDATA, and documents without a suite are problems', () => {
    expect(parseJUnitFailures('<testsuite>\n<testcase>\n</testsuite>', ROOT).problem).toBe('</testsuite> at line 3 closes <testcase> of line 2');
    expect(parseJUnitFailures('<testsuite><testcase><failure><![CDATA[cut', ROOT).problem).toBe('unterminated CDATA section at line 1');
    expect(parseJUnitFailures('', ROOT).problem).toBe('no <testsuite> or <testsuites> element');
    expect(parseJUnitFailures('{"not": "xml"}', ROOT).problem).toBe('no <testsuite> or <testsuites> element');
    expect(parseJUnitFailures('<testsuites/>', ROOT).problem).toBeUndefined();
  });
});
