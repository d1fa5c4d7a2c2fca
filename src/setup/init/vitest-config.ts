import { stripCommentLines } from '../project.js';

/*
 * Adding `testsift()` to a Vitest config by a careful textual edit: only the shapes recognised
 * for sure are edited (one `defineConfig({ … })`, at most one `plugins: [`); anything else is
 * left alone and the snippet printed, because a wrong edit to a config breaks every test run.
 */

export const VITEST_IMPORT = "import testsift from 'testsift/vitest';";

export const VITEST_SNIPPET = `import testsift from 'testsift/vitest';
// …
export default defineConfig({
  plugins: [testsift()],
  // …
});`;

export const NEW_VITEST_CONFIG = `import { defineConfig } from 'vitest/config';
import testsift from 'testsift/vitest';

// testsift records which source files each test runs (TESTSIFT_RECORD=1) and runs a selection
// (TESTSIFT_SELECT); without those variables set it changes nothing.
export default defineConfig({
  plugins: [testsift()],
});
`;

export type VitestEdit = { kind: 'present' } | { kind: 'edited'; text: string } | { kind: 'unrecognised'; reason: string };

export function addVitestPlugin(text: string): VitestEdit {
  const code = stripCommentLines(text);
  if (/['"]testsift\/vitest['"]/.test(code)) return { kind: 'present' };
  if (/(?<![\w$.'"/-])testsift(?![\w$'"/-])/.test(code)) return { kind: 'unrecognised', reason: 'the name testsift is already used in it' };

  const defines = matchesOutsideComments(text, /\bdefineConfig\s*\(\s*\{/g);
  if (defines.length !== 1) {
    return { kind: 'unrecognised', reason: defines.length === 0 ? 'no defineConfig({ … }) call (a function or another shape)' : 'more than one defineConfig({ … })' };
  }
  const define = defines[0]!;
  const plugins = matchesOutsideComments(text, /(?<![\w$])plugins\s*:\s*\[/g);
  if (plugins.length > 1) return { kind: 'unrecognised', reason: 'more than one plugins: [ … ] (projects?)' };
  if (plugins.length === 1 && plugins[0]!.index < define.index) return { kind: 'unrecognised', reason: 'plugins: [ … ] outside defineConfig({ … })' };

  let edited: string;
  if (plugins.length === 1) {
    const at = plugins[0]!.index + plugins[0]![0].length;
    const rest = text.slice(at);
    const multiLine = /^[ \t]*\r?\n([ \t]*)/.exec(rest);
    if (/^\s*\]/.test(rest)) edited = `${text.slice(0, at)}testsift()${rest.replace(/^\s*/, '')}`;
    else if (multiLine) edited = `${text.slice(0, at)}\n${multiLine[1]}testsift(),${rest}`;
    else edited = `${text.slice(0, at)}testsift(), ${rest.replace(/^[ \t]*/, '')}`;
  } else {
    const at = define.index + define[0].length;
    const rest = text.slice(at);
    const next = /^[ \t]*\r?\n([ \t]*)/.exec(rest);
    if (/^\s*\}/.test(rest)) edited = `${text.slice(0, at)} plugins: [testsift()] ${rest.replace(/^\s*/, '')}`;
    else if (next) edited = `${text.slice(0, at)}\n${next[1]}plugins: [testsift()],${rest}`;
    else edited = `${text.slice(0, at)} plugins: [testsift()], ${rest.replace(/^[ \t]*/, '')}`;
  }
  return addImport(edited);
}

/** After the last top-level import, or first in the file; a CommonJS config is not touched. */
function addImport(text: string): VitestEdit {
  const imports = matchesOutsideComments(text, /^import\b[^;'"]*?(?:['"][^'"\n]+['"])[ \t]*;?[ \t]*$/gm);
  if (imports.length === 0) {
    if (/\brequire\s*\(|\bmodule\.exports\b/.test(stripCommentLines(text)))
      return { kind: 'unrecognised', reason: 'a CommonJS config (testsift/vitest is an ES module)' };
    return { kind: 'edited', text: `${VITEST_IMPORT}\n${text}` };
  }
  const last = imports[imports.length - 1]!;
  const at = last.index + last[0].length;
  // In the file's own style (quotes, semicolons), so its formatter check still passes.
  const style = last[0].trimEnd();
  const quote = /"[^"\n]+"\s*;?$/.test(style) ? '"' : "'";
  const line = `import testsift from ${quote}testsift/vitest${quote}${style.endsWith(';') ? ';' : ''}`;
  return { kind: 'edited', text: `${text.slice(0, at)}\n${line}${text.slice(at)}` };
}

function matchesOutsideComments(text: string, re: RegExp): RegExpExecArray[] {
  return [...text.matchAll(re)].filter((m) => !inCommentLine(text, m.index));
}

function inCommentLine(text: string, index: number): boolean {
  const lineStart = text.lastIndexOf('\n', index - 1) + 1;
  const line = text.slice(lineStart, index).trimStart();
  return line.startsWith('//') || line.startsWith('*') || line.startsWith('/*');
}
