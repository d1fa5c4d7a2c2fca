/**
 * V8's detailed block coverage (`Profiler.takePreciseCoverage` with `detailed: true`) turned into
 * the code that ran: shared by the Vitest worker and the Jest reporter (pure, no Node APIs).
 */

/** One range of V8's coverage: [startOffset, endOffset) of the script, and its count. */
export interface Range {
  startOffset: number;
  endOffset: number;
  count: number;
}

/**
 * The spans of a script whose count is above zero, as flat [start, end) pairs. V8 reports, per
 * function, its own range then nested block ranges whose count differs from the enclosing one
 * (an `if` arm not taken: count 0); a position's count is that of the innermost range holding it.
 * A position no range holds did not run in this window (the module body did not run here).
 */
export function positiveSpans(ranges: readonly Range[]): number[] {
  const sorted = [...ranges].sort((a, b) => a.startOffset - b.startOffset || b.endOffset - a.endOffset);
  const out: number[] = [];
  const emit = (from: number, to: number, count: number): void => {
    if (to <= from || count <= 0) return;
    if (out.length > 0 && out[out.length - 1] === from) out[out.length - 1] = to;
    else out.push(from, to);
  };
  const stack: Range[] = [];
  let cursor = 0;
  for (const r of sorted) {
    while (stack.length > 0 && stack[stack.length - 1]!.endOffset <= r.startOffset) {
      const top = stack.pop()!;
      emit(cursor, top.endOffset, top.count);
      cursor = Math.max(cursor, top.endOffset);
    }
    if (stack.length > 0) emit(cursor, r.startOffset, stack[stack.length - 1]!.count);
    cursor = Math.max(cursor, r.startOffset);
    stack.push(r);
  }
  while (stack.length > 0) {
    const top = stack.pop()!;
    emit(cursor, top.endOffset, top.count);
    cursor = Math.max(cursor, top.endOffset);
  }
  return out;
}

/**
 * The code that ran in a module, from its scripts' ranges as flat [start, end, count] triples (one
 * list per script: a module compiled twice in one window is two scripts, each painted on its
 * own), in offsets of the transformed code: sorted disjoint [start, end) pairs, flat, cut at 0
 * (ranges that begin in a runner's wrapper before the code start before 0).
 */
export function ranSpans(scripts: readonly (readonly number[])[]): number[] {
  const pairs: Array<[number, number]> = [];
  for (const flat of scripts) {
    const ranges: Range[] = [];
    for (let i = 0; i + 2 < flat.length; i += 3) ranges.push({ startOffset: flat[i]!, endOffset: flat[i + 1]!, count: flat[i + 2]! });
    const spans = positiveSpans(ranges);
    for (let i = 0; i < spans.length; i += 2) {
      const from = Math.max(0, spans[i]!);
      if (spans[i + 1]! > from) pairs.push([from, spans[i + 1]!]);
    }
  }
  pairs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [from, to] of pairs) {
    if (out.length > 0 && from <= out[out.length - 1]!) out[out.length - 1] = Math.max(out[out.length - 1]!, to);
    else out.push(from, to);
  }
  return out;
}
