import { posix } from 'node:path';

/**
 * The strict reading of a path in a foreign map, written independently of src: absolute paths
 * are made relative to the root, leading `./` dropped; a path with a NUL or an unpaired surrogate,
 * or one that is empty once normalised, names no file (the reading fails).
 */
export function refNormalize(root: string, p: string): string {
  if (p.includes('\0')) throw new RefError(`NUL in ${JSON.stringify(p)}`);
  if (!isWellFormed(p)) throw new RefError(`unpaired surrogate in ${JSON.stringify(p)}`);
  let out = p.startsWith('/') ? posix.relative(root, p) : p;
  while (out.startsWith('./')) out = out.slice(2);
  if (out === '') throw new RefError(`empty path ${JSON.stringify(p)}`);
  return out;
}

function isWellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}

/** The reference refuses the input (what a strict reader must refuse too, with a typed error). */
export class RefError extends Error {}

/** source → tests; a source with an empty set is known but executed by no test. */
export type RefRows = Map<string, Set<string>>;

export function addRow(rows: RefRows, source: string, tests: Iterable<string>): void {
  let set = rows.get(source);
  if (!set) rows.set(source, (set = new Set()));
  for (const t of tests) set.add(t);
}

/** A decoded record (src's MapRecord) as RefRows, for comparison. */
export function rowsOfRecord(record: { tests: string[]; rows: Map<string, Uint32Array>; unused: Set<string> }): RefRows {
  const out: RefRows = new Map();
  for (const [s, ids] of record.rows)
    addRow(
      out,
      s,
      Array.from(ids, (id) => record.tests[id]),
    );
  for (const s of record.unused) addRow(out, s, []);
  return out;
}

/** Plain sorted form, for toEqual with readable diffs. */
export function plain(rows: RefRows): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of [...rows.keys()].sort()) out[s] = [...rows.get(s)!].sort();
  return out;
}

/** Every source of `expected` is in `got` with at least its tests (never fewer), and no other source. */
export function coversExactly(got: RefRows, expected: RefRows): string | undefined {
  for (const [s, tests] of expected) {
    const g = got.get(s);
    if (!g) return `source ${JSON.stringify(s)} missing`;
    for (const t of tests) if (!g.has(t)) return `test ${JSON.stringify(t)} missing from ${JSON.stringify(s)}`;
  }
  for (const s of got.keys()) if (!expected.has(s)) return `extra source ${JSON.stringify(s)}`;
  return undefined;
}
