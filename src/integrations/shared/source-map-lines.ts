/**
 * Just enough of the source map v3 format to answer "which original line does this generated
 * position come from" for a single-source map: our own VLQ decoder (no dependency needed).
 */
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

/** One segment: generated column → (source index, original line and column, 0-based). */
interface Segment {
  column: number;
  source: number;
  line: number;
  originalColumn: number;
}

/** Per generated line (0-based), its segments in column order. */
export type DecodedMappings = Segment[][];

function decodeVlq(text: string, pos: { i: number }): number {
  let result = 0;
  let shift = 0;
  for (;;) {
    const digit = B64_INDEX.get(text[pos.i++]!);
    if (digit === undefined) throw new Error('invalid VLQ digit');
    result += (digit & 31) << shift;
    if ((digit & 32) === 0) break;
    shift += 5;
  }
  return result & 1 ? -(result >>> 1) : result >>> 1;
}

export function decodeMappings(mappings: string): DecodedMappings {
  const lines: DecodedMappings = [];
  let source = 0;
  let line = 0;
  let column = 0;
  for (const lineText of mappings.split(';')) {
    const segs: Segment[] = [];
    let genColumn = 0;
    if (lineText) {
      for (const segText of lineText.split(',')) {
        if (!segText) continue;
        const pos = { i: 0 };
        genColumn += decodeVlq(segText, pos);
        if (pos.i >= segText.length) continue; // a segment without a source: unmapped
        source += decodeVlq(segText, pos);
        line += decodeVlq(segText, pos);
        column += decodeVlq(segText, pos);
        segs.push({ column: genColumn, source, line, originalColumn: column });
      }
    }
    segs.sort((a, b) => a.column - b.column);
    lines.push(segs);
  }
  return lines;
}

/**
 * Original 1-based line of generated (line0, column), from the nearest segment at or before the
 * column on the same generated line; undefined when the line has none before it or it maps into
 * another source (the caller then gives up on block data for the file).
 */
export function originalLine(decoded: DecodedMappings, line0: number, column: number, source = 0): number | undefined {
  const segs = decoded[line0];
  if (!segs || segs.length === 0) return undefined;
  let hit: Segment | undefined;
  for (const s of segs) {
    if (s.column > column) break;
    hit = s;
  }
  if (!hit || hit.source !== source) return undefined;
  return hit.line + 1;
}

/**
 * Original 1-based line and 0-based column of generated (line0, column), as {@link originalLine};
 * `exact` when a segment starts right at that column (else the column is the segment's, which
 * may lie before the position).
 */
export function originalPosition(decoded: DecodedMappings, line0: number, column: number, source = 0): { line: number; column: number; exact: boolean } | undefined {
  const segs = decoded[line0];
  if (!segs || segs.length === 0) return undefined;
  let hit: Segment | undefined;
  for (const s of segs) {
    if (s.column > column) break;
    hit = s;
  }
  if (!hit || hit.source !== source) return undefined;
  return { line: hit.line + 1, column: hit.originalColumn, exact: hit.column === column };
}

/** Offsets of line starts, for offset → (line, column). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

export function positionOf(starts: readonly number[], offset: number): { line0: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line0: lo, column: offset - starts[lo]! };
}
