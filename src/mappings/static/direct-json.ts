/**
 * tff's `--json` "direct" map: `{"app/a.rb": ["spec/a_spec.rb", …]}`, looked up by exact path.
 * Kept beside the static engine because `testsift tff` is its only user; the coverage-map
 * readers handle the same format (and GitLab's packed form) for `detect`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MapError } from '../../errors.js';

const SHAPE = 'json file should contain a json object, with array of test files as the values';

export type DirectMap = ReadonlyMap<string, readonly string[]>;

export function readDirectJson(path: string, root: string): DirectMap {
  let text: string;
  try {
    text = readFileSync(resolve(root, path), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new MapError({ file: path }, code === 'ENOENT' ? 'file not found' : `cannot read: ${(err as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new MapError({ file: path }, `invalid JSON: ${(err as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new MapError({ file: path }, `${SHAPE}; got ${Array.isArray(data) ? 'an array' : typeof data}`);
  }
  const map = new Map<string, string[]>();
  for (const [key, value] of Object.entries(data)) {
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
      throw new MapError({ file: path, key: JSON.stringify(key) }, `${SHAPE}; this value is not an array of strings`);
    }
    map.set(key, value as string[]);
  }
  return map;
}
