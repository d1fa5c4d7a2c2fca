/**
 * --previous-failures with a report that is missing (a warning: the artifact may legitimately be
 * absent), unreadable or malformed (the full suite: tests may have failed and we cannot say which).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runJson } from '../../helpers/cli.js';
import { makeChangedScenario, type Scenario } from '../../helpers/scenario.js';

let s: Scenario;
afterEach(() => s?.repo.cleanup());

const detect = (report: string) => runJson(['detect', '--base', 'main', '--previous-failures', report], s.repo.root);

describe('--previous-failures reports that cannot be trusted', () => {
  it('a missing report is a warning naming it; selection stays selective', async () => {
    s = await makeChangedScenario();
    const { json, stderr } = await detect('junit.xml');
    expect(json.mode).toBe('selective');
    expect(json.tests).toEqual(['test/legacy.test.ts']);
    const warning = `previous failures: ${join(s.repo.root, 'junit.xml')} not found, so no previously failed tests are added (fine if there was no previous run)`;
    expect(json.warnings).toContain(warning);
    expect(stderr).toContain(`testsift: warning: ${warning}`);
  });

  it('a truncated report (unclosed <testsuite>) means the full suite, naming the file and line', async () => {
    s = await makeChangedScenario();
    writeFileSync(
      join(s.repo.root, 'junit.xml'),
      '<?xml version="1.0"?>\n<testsuites>\n<testsuite name="test/count.test.ts">\n<testcase classname="test/count.test.ts" name="a"><failure/></testcase>\n',
    );
    const { json, stderr } = await detect('junit.xml');
    expect(json.mode).toBe('full');
    const reason = `previous failures: ${join(s.repo.root, 'junit.xml')} is not a well-formed JUnit report (<testsuite> at line 3 is never closed (truncated report?)): which tests failed before is unknown, so the full suite runs`;
    expect(json.reasons).toEqual([reason]);
    expect(stderr).toContain(`testsift: full suite: ${reason}`);
    // What it did show is still selected.
    expect(json.selection.map((x: { test: string }) => x.test)).toContain('test/count.test.ts');
  });

  it('a file with no <testsuite> at all means the full suite', async () => {
    s = await makeChangedScenario();
    writeFileSync(join(s.repo.root, 'junit.xml'), '');
    const { json } = await detect('junit.xml');
    expect(json.mode).toBe('full');
    expect(json.reasons[0]).toContain('junit.xml is not a well-formed JUnit report (empty file (the run that wrote it may have been killed))');
  });

  it('an unreadable report (a directory) means the full suite', async () => {
    s = await makeChangedScenario();
    mkdirSync(join(s.repo.root, 'junit.xml'));
    const { json } = await detect('junit.xml');
    expect(json.mode).toBe('full');
    expect(json.reasons[0]).toBe(
      `previous failures: cannot read ${join(s.repo.root, 'junit.xml')} (it is a directory): which tests failed before is unknown, so the full suite runs`,
    );
  });

  it('a well-formed report with failures stays selective and adds them', async () => {
    s = await makeChangedScenario();
    writeFileSync(
      join(s.repo.root, 'junit.xml'),
      '<testsuites><testsuite name="test/count.test.ts"><testcase classname="test/count.test.ts" name="a"><failure/></testcase></testsuite></testsuites>\n',
    );
    const { json } = await detect('junit.xml');
    expect(json.mode).toBe('selective');
    expect(json.warnings).toEqual([]);
    expect(json.tests).toEqual(['test/count.test.ts', 'test/legacy.test.ts']);
  });

  it('an unescaped quote in an attribute means the full suite naming the file and line, not a failure dropped', async () => {
    s = await makeChangedScenario();
    writeFileSync(
      join(s.repo.root, 'junit.xml'),
      [
        '<testsuites>',
        '<testsuite name="test/count.test.ts">',
        '<testcase classname="test/count.test.ts" name="a"><failure message="expected 5" screen"/></testcase>',
        '</testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
    const { json } = await detect('junit.xml');
    expect(json.mode).toBe('full');
    expect(json.reasons).toHaveLength(1);
    const prefix = `previous failures: ${join(s.repo.root, 'junit.xml')} is not a well-formed JUnit report (line 3, column `;
    expect(json.reasons[0].startsWith(prefix)).toBe(true);
  });

  it("a failed case with another checkout's absolute path is placed by its longest suffix that is a test (selective)", async () => {
    s = await makeChangedScenario();
    writeFileSync(
      join(s.repo.root, 'junit.xml'),
      '<testsuites><testsuite name="count"><testcase file="/builds/group/project/test/count.test.ts" classname="count" name="a"><failure/></testcase></testsuite></testsuites>\n',
    );
    const { json } = await detect('junit.xml');
    expect(json.mode).toBe('selective');
    expect(json.tests).toEqual(['test/count.test.ts', 'test/legacy.test.ts']);
  });

  it('a failed case that names no test of the universe means the full suite naming the case', async () => {
    s = await makeChangedScenario();
    writeFileSync(
      join(s.repo.root, 'junit.xml'),
      '<testsuites>\n<testsuite name="cart">\n<testcase classname="cart totals" name="adds cents"><failure/></testcase>\n</testsuite>\n</testsuites>\n',
    );
    const { json } = await detect('junit.xml');
    expect(json.mode).toBe('full');
    expect(json.reasons).toEqual([
      `previous failures: ${join(s.repo.root, 'junit.xml')}: failed test case "adds cents" (classname "cart totals") at line 3 names no test file of the test universe ` +
        '(looked at its file, classname and name, and their path suffixes; jest-junit needs addFileAttribute: true): which test to run again is unknown, so the full suite runs',
    ]);
  });

  it('a report whose root counts failures but lists no test case means the full suite', async () => {
    s = await makeChangedScenario();
    writeFileSync(join(s.repo.root, 'junit.xml'), '<testsuites tests="4" failures="1" errors="0">\n</testsuites>\n');
    const { json } = await detect('junit.xml');
    expect(json.mode).toBe('full');
    expect(json.reasons[0]).toContain('(line 1: <testsuites> counts 1 failure(s)/error(s) but lists 0 <failure>/<error> element(s)');
  });

  it('several reports: each is read, failures of all of them run', async () => {
    s = await makeChangedScenario();
    writeFileSync(join(s.repo.root, 'a.xml'), '<testsuite name="test/count.test.ts"><testcase classname="test/count.test.ts" name="a"><failure/></testcase></testsuite>');
    writeFileSync(join(s.repo.root, 'b.xml'), '<testsuite name="x"><testcase file="test/money.test.ts" name="b"><error/></testcase></testsuite>');
    const { json } = await runJson(['detect', '--base', 'main', '--previous-failures', 'a.xml', '--previous-failures', 'b.xml'], s.repo.root);
    expect(json.mode).toBe('selective');
    expect(json.tests).toEqual(['test/count.test.ts', 'test/legacy.test.ts', 'test/money.test.ts']);
  });
});
