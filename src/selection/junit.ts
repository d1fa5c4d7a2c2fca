import { readFileSync } from 'node:fs';
import { relativeTo } from '../util/paths.js';

/**
 * Test files with a failure or error in a JUnit XML report. Reporters disagree on where the file
 * is: jest-junit (`addFileAttribute`) and RSpec put a `file` attribute on <testcase>; Vitest puts
 * the path in <testsuite name> and <testcase classname>. We take every candidate attribute of a
 * failing case and its suite; the caller keeps the ones that are test files.
 */
export function failedFilesFromJUnit(xml: string, root: string): string[] {
  const found = new Set<string>();
  const suiteStack: Record<string, string>[] = [];
  // A tag tokenizer is enough: JUnit XML is flat and attribute-only where we look.
  const tag = /<(\/?)(testsuite|testcase|failure|error)\b([^>]*?)(\/?)>/g;
  let current: Record<string, string> | undefined;
  let currentFailed = false;
  const note = (attrs: Record<string, string> | undefined) => {
    if (!attrs) return;
    for (const k of ['file', 'filepath', 'classname', 'name']) {
      const v = attrs[k];
      if (v) found.add(relativeTo(root, v));
    }
  };
  for (const m of xml.matchAll(tag)) {
    const [, close, name, rawAttrs, selfClose] = m;
    if (name === 'testsuite') {
      if (close) suiteStack.pop();
      else if (!selfClose) suiteStack.push(parseAttrs(rawAttrs));
    } else if (name === 'testcase') {
      if (close) {
        if (currentFailed) {
          note(current);
          note(suiteStack[suiteStack.length - 1]);
        }
        current = undefined;
        currentFailed = false;
      } else if (!selfClose) {
        current = parseAttrs(rawAttrs);
        currentFailed = false;
      }
    } else if (!close && current) {
      currentFailed = true;
    }
  }
  return [...found];
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

export function readFailedFiles(path: string, root: string): string[] {
  return failedFilesFromJUnit(readFileSync(path, 'utf8'), root);
}
