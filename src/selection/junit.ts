import { relativeTo } from '../util/paths.js';

/** What a JUnit XML report says: the failed test files, and whether it could be read whole. */
export interface JUnitFailures {
  /** Candidate paths of failed or errored cases (the caller keeps the ones that are test files). */
  files: string[];
  /**
   * Why the report is not a well-formed JUnit document (truncated, no <testsuite>, mismatched
   * tags), or undefined. A report with a problem may have lost failures: its `files` are a
   * lower bound, not the answer.
   */
  problem?: string;
}

const STRUCTURAL = new Set(['testsuites', 'testsuite', 'testcase']);

/**
 * Test files with a failure or error in a JUnit XML report. Reporters disagree on where the file
 * is: jest-junit (`addFileAttribute`) and RSpec put a `file` attribute on <testcase>; Vitest puts
 * the path in <testsuite name> and <testcase classname>. We take every candidate attribute of a
 * failing case and its suite; the caller keeps the ones that are test files.
 *
 * A tag tokenizer is enough: JUnit XML is flat and attribute-only where we look. It also checks
 * that <testsuites>/<testsuite>/<testcase> open and close in order, because a report cut off by
 * a killed job looks just like a report with fewer failures.
 */
export function parseJUnitFailures(xml: string, root: string): JUnitFailures {
  const found = new Set<string>();
  // Comments and CDATA (stack traces, captured output) may contain anything that looks like a tag.
  const text = xml.replace(/<!--[\s\S]*?-->/g, (m) => blankOut(m)).replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, (m) => blankOut(m));
  const lineAt = (offset: number): number => text.slice(0, offset).split('\n').length;
  let problem: string | undefined;
  const unterminated = /<!--|<!\[CDATA\[/.exec(text);
  if (unterminated) problem = `unterminated ${unterminated[0] === '<!--' ? 'comment' : 'CDATA section'} at line ${lineAt(unterminated.index)}`;

  const open: { name: string; offset: number; attrs: Record<string, string> }[] = [];
  // Quoted attribute values may contain '>' (a test named "returns > 0").
  const tag = /<(\/?)(testsuites|testsuite|testcase|failure|error)\b((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g;
  let sawSuite = false;
  let currentFailed = false;
  const note = (attrs: Record<string, string> | undefined) => {
    if (!attrs) return;
    for (const k of ['file', 'filepath', 'classname', 'name']) {
      const v = attrs[k];
      if (v) found.add(relativeTo(root, v));
    }
  };
  const innermost = (name: string) => [...open].reverse().find((e) => e.name === name);
  for (const m of text.matchAll(tag)) {
    const [, close, name, rawAttrs, selfClose] = m;
    if (name === 'testsuites' || name === 'testsuite') sawSuite = true;
    if (!STRUCTURAL.has(name)) {
      // <failure>/<error> inside an open case marks it failed (open or self-closed alike).
      if (!close && open[open.length - 1]?.name === 'testcase') currentFailed = true;
      continue;
    }
    if (close) {
      const top = open.pop();
      if (top?.name !== name) {
        problem ??= `</${name}> at line ${lineAt(m.index)} closes ${top ? `<${top.name}> of line ${lineAt(top.offset)}` : 'nothing'}`;
        if (top) open.push(top);
        continue;
      }
      if (name === 'testcase' && currentFailed) {
        note(top.attrs);
        note(innermost('testsuite')?.attrs);
      }
      if (name === 'testcase') currentFailed = false;
    } else if (!selfClose) {
      open.push({ name, offset: m.index, attrs: parseAttrs(rawAttrs) });
      if (name === 'testcase') currentFailed = false;
    }
  }
  if (open.length > 0) {
    const last = open[open.length - 1];
    // A case cut off after its failure began still failed: keep it (more tests, never fewer).
    if (last.name === 'testcase' && currentFailed) {
      note(last.attrs);
      note(innermost('testsuite')?.attrs);
    }
    problem ??= `<${last.name}> at line ${lineAt(last.offset)} is never closed (truncated report?)`;
  }
  if (!sawSuite) problem ??= 'no <testsuite> or <testsuites> element';
  return problem === undefined ? { files: [...found] } : { files: [...found], problem };
}

/** The failed files alone (no structure check): for callers that only want the list. */
export function failedFilesFromJUnit(xml: string, root: string): string[] {
  return parseJUnitFailures(xml, root).files;
}

/** Same length, newlines kept, so offsets and line numbers stay right after removing a section. */
function blankOut(s: string): string {
  return s.replace(/[^\n]/g, ' ');
}

function parseAttrs(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of raw.matchAll(/([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) out[m[1]] = decodeEntities(m[3] ?? m[4] ?? '');
  return out;
}

function decodeEntities(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#(\d+)|#x([0-9a-fA-F]+));/g, (_, name: string, dec?: string, hex?: string) => {
    if (dec) return String.fromCodePoint(Number(dec));
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    return ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[name];
  });
}
