import type { LineRange } from './types.js';

/*
 * Old-side line ranges from `git diff -U0` patches. Patch output cannot be NUL-separated, so the
 * file names in `--- a/…` / `+++ b/…` headers are parsed as git writes them: with
 * core.quotePath=true (GitRunner forces it) a name with a special or non-ASCII byte is a C-style
 * quoted string of ASCII escapes, decoded here back to the UTF-8 bytes.
 */

const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/** Decode a path as git prints it in patch headers (optionally C-quoted). */
export function unquoteGitPath(text: string): string {
  if (!text.startsWith('"')) return text;
  if (!text.endsWith('"') || text.length < 2) throw new Error(`malformed quoted path in git output: ${text}`);
  const bytes: number[] = [];
  const body = text.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'));
      continue;
    }
    const next = body[++i];
    if (next === undefined) throw new Error(`malformed quoted path in git output: ${text}`);
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else if (next in SIMPLE_ESCAPES) {
      bytes.push(SIMPLE_ESCAPES[next]!);
    } else {
      throw new Error(`unknown escape \\${next} in git path: ${text}`);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The path of a `--- a/x` / `+++ b/x` header line, or null for /dev/null. */
function headerPath(rest: string, prefix: string): string | null {
  // Git appends a TAB to unquoted names that contain a space (for patch(1)); quoted names never.
  const raw = rest.endsWith('\t') ? rest.slice(0, -1) : rest;
  if (raw === '/dev/null') return null;
  const path = unquoteGitPath(raw);
  if (!path.startsWith(prefix)) throw new Error(`unexpected path prefix in git patch header: ${rest}`);
  return path.slice(prefix.length);
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** A changed range of the old file from one hunk header's old side. */
function oldRange(start: number, count: number): LineRange {
  return count === 0 ? { start, end: start, insertion: true } : { start, end: start + count - 1 };
}

/**
 * How a piece of code nests brackets: the depth it ends at and the lowest depth it reaches
 * (relative to its start), skipping string literals and comments as far as one hunk shows them.
 * Two texts with the same profile leave the code around them nested as it was.
 */
export function bracketProfile(lines: readonly string[]): { net: number; min: number; labels: number } {
  let depth = 0;
  let min = 0;
  let labels = 0;
  let inBlockComment = false;
  for (const line of lines) {
    let quote: string | undefined;
    // A `case x:` / `default:` label moves which statements a switch value runs.
    if (/^\s*(case\b|default\s*:)/.test(line)) labels++;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (inBlockComment) {
        if (ch === '*' && line[i + 1] === '/') {
          inBlockComment = false;
          i++;
        }
        continue;
      }
      if (quote) {
        if (ch === '\\') i++;
        else if (ch === quote) quote = undefined;
        continue;
      }
      if (ch === '/' && line[i + 1] === '/') break;
      if (ch === '/' && line[i + 1] === '*') {
        inBlockComment = true;
        i++;
      } else if (ch === '"' || ch === "'" || ch === '`') quote = ch;
      else if (ch === '{' || ch === '(' || ch === '[') depth++;
      else if (ch === '}' || ch === ')' || ch === ']') min = Math.min(min, --depth);
    }
  }
  return { net: depth, min, labels };
}

function shapeOf(removed: readonly string[], added: readonly string[]): 'kept' | 'changed' {
  const a = bracketProfile(removed);
  const b = bracketProfile(added);
  return a.net === b.net && a.min === b.min && a.labels === b.labels ? 'kept' : 'changed';
}

/**
 * Parse a `git diff -U0 --src-prefix=a/ --dst-prefix=b/` patch into old-side ranges, keyed by the
 * new path (`+++ b/…`). Blocks with either side /dev/null (deleted, added, type change) or no hunks
 * (binary, mode-only, pure rename) get no entry: the caller then treats the whole file as changed.
 * Hunk bodies are skipped by their line counts, so a content line such as `--- x` is never read as
 * a header.
 */
export function parseOldRanges(patch: string): Map<string, LineRange[]> {
  const ranges = new Map<string, LineRange[]>();
  const lines = patch.split('\n');
  let oldSide: string | null = null;
  let current: string | null = null;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i++]!;
    if (line.startsWith('diff ')) {
      oldSide = current = null;
    } else if (line.startsWith('--- ')) {
      oldSide = headerPath(line.slice(4), 'a/');
    } else if (line.startsWith('+++ ')) {
      // A block with no old side is a creation (an added file, or the new half of a type change
      // such as file → symlink): its "-0,0" hunk says nothing about the old file's lines.
      current = oldSide === null ? null : headerPath(line.slice(4), 'b/');
    } else if (line.startsWith('@@ ')) {
      const m = HUNK.exec(line);
      if (!m) throw new Error(`malformed hunk header in git diff: ${line}`);
      const oldCount = m[2] === undefined ? 1 : Number(m[2]);
      const newCount = m[4] === undefined ? 1 : Number(m[4]);
      // Read the hunk body by its counts: oldCount '-' lines, newCount '+' lines, and
      // '\ No newline' markers (so a content line such as `--- x` is never read as a header).
      const removed: string[] = [];
      const added: string[] = [];
      let body = oldCount + newCount;
      while (body > 0 && i < lines.length) {
        const b = lines[i++]!;
        if (b.startsWith('\\')) continue;
        body--;
        if (b.startsWith('-')) removed.push(b.slice(1));
        else if (b.startsWith('+')) added.push(b.slice(1));
      }
      while (i < lines.length && lines[i]!.startsWith('\\')) i++;
      if (current !== null) {
        let list = ranges.get(current);
        if (!list) ranges.set(current, (list = []));
        list.push({ ...oldRange(Number(m[1]), oldCount), shape: shapeOf(removed, added) });
      }
    }
  }
  return ranges;
}
