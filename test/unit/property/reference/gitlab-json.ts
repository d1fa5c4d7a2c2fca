import { addRow, RefError, refNormalize, type RefRows } from './paths.js';

/**
 * Strict reference reading of a GitLab / tff JSON map: JSON.parse (after a BOM, which the
 * streaming reader skips), then the shape: an object whose values are all arrays of strings
 * (direct) or all path tries whose leaves are the number 1 (packed). Throws on anything else.
 */
export function refGitlabJson(text: string, root: string): { format: 'gitlab-json' | 'gitlab-packed'; rows: RefRows } {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new RefError(`JSON: ${(err as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new RefError('top level is not an object');
  const rows: RefRows = new Map();
  let format: 'gitlab-json' | 'gitlab-packed' | undefined;
  for (const [key, value] of Object.entries(data)) {
    const shape = Array.isArray(value) ? 'gitlab-json' : typeof value === 'object' && value !== null ? 'gitlab-packed' : undefined;
    if (!shape || (format && shape !== format)) throw new RefError(`value of ${key} has the wrong shape`);
    format = shape;
    const tests: string[] = [];
    if (Array.isArray(value)) {
      for (const t of value) {
        if (typeof t !== 'string') throw new RefError(`non-string test in ${key}`);
        tests.push(t);
      }
    } else {
      const walk = (node: Record<string, unknown>, prefix: string | undefined): void => {
        for (const [seg, v] of Object.entries(node)) {
          const path = prefix === undefined ? seg : `${prefix}/${seg}`;
          if (v === 1) tests.push(path);
          else if (typeof v === 'object' && v !== null && !Array.isArray(v)) walk(v as Record<string, unknown>, path);
          else throw new RefError(`bad trie value at ${path}`);
        }
      };
      walk(value as Record<string, unknown>, undefined);
    }
    addRow(
      rows,
      refNormalize(root, key),
      tests.map((t) => refNormalize(root, t)),
    );
  }
  return { format: format ?? 'gitlab-json', rows };
}
