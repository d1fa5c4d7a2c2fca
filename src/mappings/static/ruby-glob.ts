/**
 * Ruby `Dir.glob` semantics (no flags, as tff calls it) over a FileIndex.
 *
 * Why not picomatch: Dir.glob differs in ways that change which tests run — `*`, `?` and `[…]`
 * never match a leading `.` and `**​/` never enters dot directories (FileIndex.glob matches dot
 * files); `{a,b}` is textual expansion that allows empty alternatives (`{ee/,}spec`); `**` is only
 * recursive as a whole segment followed by `/` (elsewhere it is `*`); `( ) | ! + @` are literal
 * (picomatch reads extglobs and regex groups). So we compile patterns ourselves.
 *
 * Checked against Ruby 3.1's Dir.glob on random trees and patterns: same files, except where Ruby
 * itself is inconsistent — `**​/*​/{a,b}x` returns nothing there although `**​/*​/ax` and `**​/*​/bx`
 * match (braces after a `*` segment that follows `**​/`). We return the union of the brace
 * alternatives, as documented for Dir.glob: never fewer tests than the expansions select.
 */
import type { FileIndex } from '../../util/files.js';

/** Index of the `}` closing the `{` at `open`, or -1. Escapes are skipped. */
function closingBrace(p: string, open: number): number {
  let depth = 0;
  for (let i = open; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

/** Ruby brace expansion: `{a,b}` → alternatives, nested, empty alternatives allowed. */
export function expandBraces(pattern: string): string[] {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c !== '{') continue;
    const close = closingBrace(pattern, i);
    if (close < 0) return [pattern]; // unbalanced: literal
    const head = pattern.slice(0, i);
    const tail = pattern.slice(close + 1);
    const body = pattern.slice(i + 1, close);
    const alts: string[] = [];
    let depth = 0;
    let start = 0;
    for (let j = 0; j < body.length; j++) {
      const b = body[j];
      if (b === '\\') j++;
      else if (b === '{') depth++;
      else if (b === '}') depth--;
      else if (b === ',' && depth === 0) {
        alts.push(body.slice(start, j));
        start = j + 1;
      }
    }
    alts.push(body.slice(start));
    const out: string[] = [];
    for (const a of alts) for (const e of expandBraces(head + a + tail)) out.push(e);
    return out;
  }
  return [pattern];
}

const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/]/g;
const reEscape = (s: string): string => s.replace(REGEX_SPECIAL, (c) => `\\${c}`);

/** A brace-free glob, compiled. */
export interface CompiledGlob {
  /** No wildcard at all: the unescaped path to check for existence. */
  literal?: string;
  /** Directory prefix before the first wildcard segment ('' or ending in '/'). */
  prefix: string;
  regex?: RegExp;
}

/** Compile one segment (no `/`) of a brace-free pattern; returns [regexSource, hasWildcard]. */
function compileSegment(seg: string): [string, boolean, string] {
  let re = '';
  let lit = '';
  let wild = false;
  let i = 0;
  while (i < seg.length) {
    const c = seg[i]!;
    const atStart = i === 0;
    if (c === '\\' && i + 1 < seg.length) {
      re += reEscape(seg[i + 1]!);
      lit += seg[i + 1];
      i += 2;
      continue;
    }
    if (c === '*') {
      while (seg[i] === '*') i++;
      re += `${atStart ? '(?!\\.)' : ''}[^/]*`;
      wild = true;
      continue;
    }
    if (c === '?') {
      re += `${atStart ? '(?!\\.)' : ''}[^/]`;
      wild = true;
      i++;
      continue;
    }
    if (c === '[') {
      const cls = compileBracket(seg, i);
      if (cls) {
        re += `${atStart ? '(?!\\.)' : ''}(?!/)${cls.re}`;
        wild = true;
        i = cls.end;
        continue;
      }
    }
    re += reEscape(String.fromCodePoint(seg.codePointAt(i)!));
    lit += String.fromCodePoint(seg.codePointAt(i)!);
    i += String.fromCodePoint(seg.codePointAt(i)!).length;
  }
  return [re, wild, lit];
}

/** `[...]` at `open` → a JS class; undefined if unterminated (then `[` is literal). */
function compileBracket(seg: string, open: number): { re: string; end: number } | undefined {
  let i = open + 1;
  let neg = false;
  if (seg[i] === '!' || seg[i] === '^') {
    neg = true;
    i++;
  }
  let body = '';
  while (i < seg.length) {
    let c = seg[i]!;
    // Ruby closes the class at the first `]`, even right after `[`: `[]` matches nothing.
    if (c === ']') return { re: body === '' ? (neg ? '[^/]' : '[^\\s\\S]') : `[${neg ? '^' : ''}${body}]`, end: i + 1 };
    let escaped = false;
    if (c === '\\' && i + 1 < seg.length) {
      i++;
      c = seg[i]!;
      escaped = true;
    }
    // An unescaped '-' between two members is a range; everything else is a literal member.
    const range = c === '-' && !escaped && body !== '' && seg[i + 1] !== undefined && seg[i + 1] !== ']';
    body += range ? '-' : c.replace(/[\\\]^-]/, (x) => `\\${x}`);
    i++;
  }
  return undefined;
}

/** Compile a brace-free Ruby glob. */
export function compileGlob(pattern: string): CompiledGlob {
  const segs = pattern.split('/');
  let re = '';
  let prefix = '';
  let literal = '';
  let wildSeen = false;
  for (let k = 0; k < segs.length; k++) {
    const seg = segs[k]!;
    const last = k === segs.length - 1;
    if (seg === '**' && !last) {
      // Zero or more directories, none of them hidden.
      re += '(?:(?!\\.)[^/]+/)*';
      wildSeen = true;
      continue;
    }
    const [segRe, wild, lit] = compileSegment(seg);
    re += segRe + (last ? '' : '/');
    if (!wildSeen && !wild && !last) prefix += `${lit}/`;
    if (wild) wildSeen = true;
    literal += lit + (last ? '' : '/');
  }
  if (!wildSeen) return { literal, prefix };
  return { prefix, regex: new RegExp(`^${re}$`, 'u') };
}

/** Sorted view of an index's files (FileIndex.all() is sorted for ours; don't rely on it). */
const sortedCache = new WeakMap<FileIndex, readonly string[]>();
const globCache = new WeakMap<FileIndex, Map<string, string[]>>();

function sortedFiles(files: FileIndex): readonly string[] {
  let s = sortedCache.get(files);
  if (!s) {
    const all = files.all();
    let ok = true;
    for (let i = 1; i < all.length && ok; i++) if (all[i - 1]! > all[i]!) ok = false;
    s = ok ? all : [...all].sort();
    sortedCache.set(files, s);
  }
  return s;
}

/** Files under `prefix` (a contiguous run of the sorted list). */
function filesUnder(files: FileIndex, prefix: string): readonly string[] {
  const all = sortedFiles(files);
  if (prefix === '') return all;
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (all[mid]! < prefix) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < all.length && all[end]!.startsWith(prefix)) end++;
  return all.slice(lo, end);
}

/** Existing files matching a Ruby glob (braces, `**​/`, `*`, `?`, `[…]`), sorted, cached per index. */
export function rubyGlob(files: FileIndex, pattern: string): string[] {
  let cache = globCache.get(files);
  if (!cache) globCache.set(files, (cache = new Map()));
  const hit = cache.get(pattern);
  if (hit) return hit;
  const found = new Set<string>();
  for (const alt of expandBraces(pattern)) {
    // `a//b` and `./a` name the same files for Dir.glob; the index holds the plain spelling.
    const g = compileGlob(
      alt
        .replace(/\/{2,}/g, '/')
        .replace(/^(?:\.\/)+/, '')
        .replace(/\/(?:\.\/)+/g, '/'),
    );
    if (g.literal !== undefined) {
      if (files.exists(g.literal)) found.add(g.literal);
      continue;
    }
    for (const f of filesUnder(files, g.prefix)) if (g.regex!.test(f)) found.add(f);
  }
  const result = [...found].sort();
  cache.set(pattern, result);
  return result;
}
