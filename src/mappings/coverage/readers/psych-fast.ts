/**
 * A fast path for the one YAML shape Crystalball writes for examples: Psych's block style
 *
 *   "./spec/models/user_spec.rb[1:1]":
 *   - app/models/user.rb
 *   ./spec/lib/util_spec.rb[1]: []
 *
 * A general YAML parser needs ~1.4 s and ~50 MB per MB of such text; these few line patterns
 * take a fraction. Anything else (anchors, flow style, tags, odd quoting) returns undefined and
 * the caller parses the document with the real YAML parser, so the fast path never guesses.
 */

const KEY = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([A-Za-z0-9._/][^#]*?)):(?: +(\[\]|~|null))? *$/;
const ITEM = /^ {0,2}- +(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([A-Za-z0-9._/][^#]*?)) *$/;

/** A double-quoted YAML scalar's content via JSON (their escapes agree on everything JSON has). */
function unquoteDouble(s: string): string | undefined {
  if (!s.includes('\\')) return s;
  try {
    return JSON.parse(`"${s}"`) as string;
  } catch {
    return undefined;
  }
}

/**
 * Plain scalars that would mean something else in YAML than the text they look like. A plain key
 * ending in blanks (`./a [1 :`) loses them in YAML; such rare text is left to the YAML parser.
 */
function plainIsLiteral(s: string): boolean {
  return !/[ \t]$/.test(s) && !s.includes(': ') && !s.includes(' #') && !s.endsWith(':') && !/^(?:true|false|null|~|[-+]?\d[\d_.eE+-]*)$/i.test(s);
}

function scalar(m: RegExpExecArray): string | undefined {
  if (m[1] !== undefined) return unquoteDouble(m[1]);
  if (m[2] !== undefined) return m[2].replace(/''/g, "'");
  return plainIsLiteral(m[3]) ? m[3] : undefined;
}

/** example id → used files, or undefined when the document is not in the simple shape. */
export function parsePsychExampleDoc(lines: readonly string[]): Array<[string, string[]]> | undefined {
  const out: Array<[string, string[]]> = [];
  let files: string[] | undefined;
  // Indentation of the current list's items: an item indented differently is not a new item in
  // YAML (`- a` then `  - b` is the one scalar "a - b"), so it is left to the YAML parser.
  let indent = -1;
  for (const line of lines) {
    if (line === '' || line.startsWith('#') || /^\s+$/.test(line)) continue;
    if (line.charCodeAt(0) === 0x20 || line.charCodeAt(0) === 0x2d) {
      const m = ITEM.exec(line);
      if (!m || !files) return undefined;
      const at = line.indexOf('-');
      if (indent < 0) indent = at;
      else if (at !== indent) return undefined;
      const v = scalar(m);
      if (v === undefined) return undefined;
      files.push(v);
      continue;
    }
    const m = KEY.exec(line);
    if (!m) return undefined;
    const key = scalar(m);
    if (key === undefined) return undefined;
    files = [];
    indent = -1;
    out.push([key, files]);
    // `key: []` or `key: ~` has no files; no further items may follow it.
    if (m[4] !== undefined) files = undefined;
  }
  return out;
}
