/**
 * tests.yml test templates: the subset of Ruby's `format` that tff templates use — `%{name}` and
 * `%<name>s` (named captures), `%s` (numbered captures, in order) and `%%` (a literal %).
 *
 * Problems tff would only hit at match time (a KeyError, "too few arguments", a stray `%`) are
 * reported when the file is loaded, so a broken rule never silently selects nothing.
 */

export type TemplatePart = { literal: string } | { name: string } | { positional: number };

export interface Template {
  text: string;
  parts: TemplatePart[];
  /** Named slots used. */
  names: string[];
  /** How many `%s` slots. */
  positional: number;
  /** The literal parts contain glob syntax: the result is a glob over existing files. */
  glob: boolean;
}

export class TemplateError extends Error {}

// The glob side of templates (tff's rule and Ruby Dir.glob's escapes); the glob matcher itself
// is mappings/static/ruby-glob.ts.
const GLOB_CHARS = /[*?[{]/;

/** tff's test: a template is a glob if it contains any of `* { [ ?`. */
export function hasGlobSyntax(text: string): boolean {
  return GLOB_CHARS.test(text);
}

/** Escape text so a glob pattern matches it literally. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]{}\\]/g, (c) => `\\${c}`);
}

export function parseTemplate(text: string): Template {
  const parts: TemplatePart[] = [];
  const names: string[] = [];
  let positional = 0;
  let lit = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c !== '%') {
      lit += c;
      i++;
      continue;
    }
    const rest = text.slice(i);
    let m: RegExpExecArray | null;
    if (rest.startsWith('%%')) {
      lit += '%';
      i += 2;
    } else if (rest.startsWith('%s')) {
      if (lit) parts.push({ literal: lit });
      lit = '';
      parts.push({ positional: positional++ });
      i += 2;
    } else if ((m = /^%\{([^}]*)\}/.exec(rest)) || (m = /^%<([^>]*)>s/.exec(rest))) {
      if (lit) parts.push({ literal: lit });
      lit = '';
      parts.push({ name: m[1]! });
      names.push(m[1]!);
      i += m[0].length;
    } else {
      const what = rest.slice(0, 3);
      throw new TemplateError(`unsupported format directive '${what}' in test template '${text}' (use %{name}, %s, or %% for a literal %)`);
    }
  }
  if (lit) parts.push({ literal: lit });
  if (names.length > 0 && positional > 0) {
    throw new TemplateError(`test template '${text}' mixes named (%{name}) and numbered (%s) captures`);
  }
  const glob = parts.some((p) => 'literal' in p && hasGlobSyntax(p.literal));
  return { text, parts, names: [...new Set(names)], positional, glob };
}

/**
 * Check a template against the source it is paired with, the way Ruby's `format` would fail when
 * the rule fires. Returns nothing; throws TemplateError naming the problem.
 */
export function checkTemplateAgainstSource(t: Template, sourceNames: readonly string[], groupCount: number, source: string): void {
  if (sourceNames.length > 0) {
    if (t.positional > 0) {
      throw new TemplateError(`test template '${t.text}' uses %s but source '${source}' has named groups (named and numbered captures cannot be mixed)`);
    }
    for (const n of t.names) {
      if (!sourceNames.includes(n)) {
        throw new TemplateError(`test template '${t.text}' uses %{${n}} but source '${source}' has no group named '${n}'`);
      }
    }
  } else {
    if (t.names.length > 0) {
      throw new TemplateError(
        `test template '${t.text}' uses %{${t.names[0]}} but source '${source}' has no named groups` + (groupCount > 0 ? ' (it has numbered groups: use %s)' : ''),
      );
    }
    if (t.positional > groupCount) {
      throw new TemplateError(`test template '${t.text}' has ${t.positional} %s but source '${source}' has only ${groupCount} capture group(s)`);
    }
  }
}

/**
 * Fill a template. For a glob template, captured text is escaped so a changed path like
 * `src/[id].ts` stays literal (tff would glob it; we do not copy that quirk).
 */
export function renderTemplate(t: Template, named: ReadonlyMap<string, string>, positional: readonly string[]): string {
  let s = '';
  for (const p of t.parts) {
    if ('literal' in p) s += p.literal;
    else {
      const v = 'name' in p ? (named.get(p.name) ?? '') : (positional[p.positional] ?? '');
      s += t.glob ? escapeGlob(v) : v;
    }
  }
  return s;
}
