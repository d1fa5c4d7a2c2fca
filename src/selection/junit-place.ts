import { posix } from 'node:path';
import type { ChangedFile } from '../changes/types.js';
import type { JUnitCase } from './junit.js';

/**
 * Which test file of this checkout a failed JUnit case belongs to.
 *
 * Reports name files in many spellings: relative to the runner's root (Vitest `classname`), absolute
 * in the checkout that ran (jest-junit `file`: `/builds/group/project/test/c.test.ts`, another
 * machine's path), `./spec/x_spec.rb` (RSpec). We take, for each candidate attribute, the longest
 * path suffix that is a test of the universe: `/builds/group/project/test/c.test.ts` →
 * `test/c.test.ts`. Every candidate that places adds its test (a superset is safe).
 *
 * A case that places nowhere is not dropped: the caller runs the full suite and names it. The one
 * exception is a test this change deletes: it cannot run again, and the change says where it went.
 */

export interface PlaceContext {
  /** The test universe (existing test files). */
  universe: ReadonlySet<string>;
  /** The change's files: a failed test renamed by it runs under its new path; deleted, it is gone. */
  changes: readonly ChangedFile[];
}

export type Placement =
  | { kind: 'tests'; tests: string[] }
  /** A test file this change deletes: nothing to run again. */
  | { kind: 'deleted'; path: string }
  | { kind: 'unplaced' };

/** Path suffixes of a candidate, longest first, with no `..` in them. */
export function pathSuffixes(candidate: string): string[] {
  // Windows runners write backslashes; `posix.normalize` folds `a/./b` and `a/x/../b`.
  const normal = posix.normalize(candidate.replace(/\\/g, '/'));
  const parts = normal.split('/').filter((s) => s !== '' && s !== '.');
  const lastUp = parts.lastIndexOf('..');
  const out: string[] = [];
  for (let i = lastUp + 1; i < parts.length; i++) out.push(parts.slice(i).join('/'));
  return out;
}

export function makePlacer(ctx: PlaceContext): (c: JUnitCase) => Placement {
  const renamedTo = new Map<string, string>();
  const deleted = new Set<string>();
  for (const f of ctx.changes) {
    if (f.status === 'renamed' && f.oldPath) renamedTo.set(f.oldPath, f.path);
    if (f.status === 'deleted') deleted.add(f.path);
  }
  return (c) => {
    const tests = new Set<string>();
    for (const cand of c.candidates) {
      const hit = pathSuffixes(cand).find((s) => ctx.universe.has(s));
      if (hit !== undefined) tests.add(hit);
    }
    if (tests.size === 0) {
      // The test was renamed by this change: the report, from before, names the old path.
      for (const cand of c.candidates) {
        for (const s of pathSuffixes(cand)) {
          const to = renamedTo.get(s);
          if (to !== undefined && ctx.universe.has(to)) {
            tests.add(to);
            break;
          }
        }
      }
    }
    if (tests.size > 0) return { kind: 'tests', tests: [...tests].sort() };
    for (const cand of c.candidates) {
      const gone = pathSuffixes(cand).find((s) => deleted.has(s));
      if (gone !== undefined) return { kind: 'deleted', path: gone };
    }
    return { kind: 'unplaced' };
  };
}

/** `"adds 1" (classname "test/a.test.ts") at line 12`, for reasons. */
export function describeCase(c: JUnitCase): string {
  const name = c.name !== undefined ? JSON.stringify(c.name) : 'a test case';
  const cls = c.classname !== undefined && c.classname !== c.name ? ` (classname ${JSON.stringify(c.classname)})` : '';
  return `${name}${cls} at line ${c.line}`;
}
