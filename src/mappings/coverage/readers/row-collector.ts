import type { MapRecord } from '../model.js';
import type { MapMetadata } from '../types.js';

/** Sorted, de-duplicated copy of test ids. */
function sortedUnique(ids: ArrayLike<number>): Uint32Array {
  const a = Uint32Array.from(ids).sort();
  let n = 0;
  for (let i = 0; i < a.length; i++) if (i === 0 || a[i] !== a[n - 1]) a[n++] = a[i];
  return n === a.length ? a : a.slice(0, n);
}

/**
 * Collects a source → tests map whose rows arrive one source at a time (as in a streamed JSON
 * map), with tests already interned as ids: per edge it only pushes a number. MapBuilder does
 * the same for edges in any order but looks each test name up in a Map, which at 5M edges is
 * most of an import's time.
 */
export class RowCollector {
  readonly tests: string[] = [];
  private readonly ids = new Map<string, number>();
  private readonly rows = new Map<string, Uint32Array>();
  private readonly known = new Set<string>();
  private readonly current: number[] = [];

  /** Id of a (normalised) test path, interning it on first sight. */
  testId(path: string): number {
    let id = this.ids.get(path);
    if (id === undefined) {
      id = this.tests.length;
      this.tests.push(path);
      this.ids.set(path, id);
    }
    return id;
  }

  add(testId: number): void {
    this.current.push(testId);
  }

  /** The tests added since the last call belong to `source` (none: known, never executed). */
  endRow(source: string): void {
    if (this.current.length === 0) {
      this.known.add(source);
      return;
    }
    const prev = this.rows.get(source);
    // A repeated key (JSON.parse would keep the last) is unioned: more tests, never fewer.
    this.rows.set(source, sortedUnique(prev ? [...prev, ...this.current] : this.current));
    this.current.length = 0;
  }

  build(metadata: MapMetadata): MapRecord {
    const unused = new Set<string>();
    for (const s of this.known) if (!this.rows.has(s)) unused.add(s);
    return { metadata, tests: this.tests, rows: this.rows, unused };
  }
}
