import type { DetectResult } from '../detect.js';
import type { Reason } from '../selection/types.js';

/** Why a changed file selected no test. */
export type NoTestsKind = 'ignored' | 'unmapped' | 'none';

export interface ChangedFileTests {
  path: string;
  /** `modified`, `renamed from x`, `changed since the map was recorded`, … */
  label: string;
  /** Each test with every reason (rule, map row) that names this file. */
  tests: Array<{ test: string; because: Reason[] }>;
  /** Set when `tests` is empty. */
  noTests?: NoTestsKind;
}

export interface SelectionByFile {
  files: ChangedFileTests[];
  /** Tests selected for no changed file: previous failures, tests the map never recorded. */
  other: Array<{ test: string; because: Reason }>;
}

/**
 * The selection inverted for people: changed file → tests, in the order of the change (then
 * the files changed since the map was recorded). Shared by explain, markdown and the HTML report.
 */
export function selectionByFile(r: DetectResult): SelectionByFile {
  const byFile = new Map<string, Map<string, Reason[]>>();
  const other: SelectionByFile['other'] = [];
  // Reasons that name the test itself, not a changed file (the strategy says which it gives).
  const aboutTest = new Set(r.strategies.filter((s) => s.reasonsName === 'test').map((s) => s.name));
  for (const s of r.selection) {
    for (const b of s.because) {
      if (aboutTest.has(b.strategy)) {
        other.push({ test: s.test, because: b });
        continue;
      }
      let tests = byFile.get(b.file);
      if (!tests) byFile.set(b.file, (tests = new Map()));
      let whys = tests.get(s.test);
      if (!whys) tests.set(s.test, (whys = []));
      whys.push(b);
    }
  }
  const ignored = new Set(r.ignored);
  const unmapped = new Set(r.unmapped);
  const changed = new Set(r.changes.map((c) => c.path));
  const files: ChangedFileTests[] = [
    ...r.changes.map((c) => ({ path: c.path, label: c.oldPath ? `renamed from ${c.oldPath}` : c.status })),
    // A stale file that is also changed is listed once, as changed.
    ...r.staleFiles.filter((p) => !changed.has(p)).map((p) => ({ path: p, label: 'changed since the map was recorded' })),
  ].map((f) => {
    const tests = [...(byFile.get(f.path) ?? [])].map(([test, because]) => ({ test, because }));
    const noTests: NoTestsKind | undefined = tests.length > 0 ? undefined : ignored.has(f.path) ? 'ignored' : unmapped.has(f.path) ? 'unmapped' : 'none';
    return noTests ? { ...f, tests, noTests } : { ...f, tests };
  });
  return { files, other };
}
