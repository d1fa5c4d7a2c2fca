/**
 * Block data from Jest's own istanbul coverage (`coverageProvider: 'babel'`, Jest's default, with
 * `--coverage`): babel-plugin-istanbul instruments the code, so the V8 recorder sees instrumented
 * code whose functions do not map back to the source; Jest hands the reporter each test file's
 * counters instead (`testResult.coverage`: `statementMap`/`s`, `fnMap`/`f`, `branchMap`/`b`).
 *
 * The blocks are those of the V8 path (shared/block-table.ts: functions, and inside them if/else
 * arms, loop bodies, cases, catch/finally, `?:` and `&&`/`||`/`??` arms, code after an early exit;
 * same kinds, parents and `ownsStart`/`ownsEnd`), found by parsing the source file as written,
 * whose positions are istanbul's when babel-jest compiled it. Which blocks a test ran comes from
 * the counters:
 *   - a function ran when its `fnMap` entry (matched by the exact span of its body) counts > 0; a
 *     function without an entry counts as run;
 *   - any other block ran when a counter (statement, function, branch arm) starting inside it is
 *     above zero; when all are zero it did not run only if its first code carries a counter (else
 *     something uncounted — `let x;`, a class — may have run and thrown before any counter: run);
 *     a block with no counter at all counts as run.
 * Fail safe: no block data for the file (file level) when the counters are not positions of this
 * text — coverage of transformed code (`inputSourceMap`: ts-jest and other transformers hand
 * babel-plugin-istanbul compiled code), a location past the end of a line or of the file, or one
 * where the parsed source has no node starting or ending —, when the source has `istanbul ignore`
 * hints (uncounted code), or when it does not parse.
 */
import type { Block } from '../../mappings/coverage/types.js';
import { buildBlockTable, type BlockTable } from '../shared/block-table.js';
import { lineStarts } from '../shared/source-map-lines.js';

interface Position {
  line?: number;
  column?: number;
}

/** An istanbul location; an absent arm (an `if` without `else`) has empty start and end. */
export interface IstanbulLocation {
  start?: Position;
  end?: Position;
}

/** One file's istanbul coverage as Jest hands it over (only the fields read here). */
export interface IstanbulCoverage {
  statementMap?: Record<string, IstanbulLocation>;
  s?: Record<string, number>;
  fnMap?: Record<string, { name?: string; loc?: IstanbulLocation; decl?: IstanbulLocation }>;
  f?: Record<string, number>;
  branchMap?: Record<string, { type?: string; loc?: IstanbulLocation; locations?: IstanbulLocation[] }>;
  b?: Record<string, number[]>;
  inputSourceMap?: unknown;
}

export type IstanbulBlocks = { blocks: Block[]; executed: number[] } | { reason: string };

/** The parsed source: its block table and the spans of its nodes. */
export interface SourceTable {
  table: BlockTable;
  source: string;
  starts: number[];
  /** Offsets where some node starts, and where some node ends. */
  nodeStarts: Set<number>;
  nodeEnds: Set<number>;
  /** Function block id → [start, end) of its body. */
  bodies: Map<number, [number, number]>;
}

interface AstNode {
  type: string;
  start: number;
  end: number;
  body?: unknown;
  [key: string]: unknown;
}

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

function isNode(v: unknown): v is AstNode {
  return typeof v === 'object' && v !== null && typeof (v as AstNode).type === 'string' && typeof (v as AstNode).start === 'number';
}

/** An identity source map: every line to itself (the table is built from the source itself). */
function identityMap(lines: number): { mappings: string; sources: string[] } {
  return { mappings: Array.from({ length: lines }, (_, i) => (i === 0 ? 'AAAA' : 'AACA')).join(';'), sources: ['source'] };
}

/**
 * Parse the source and build its block table (the rules of shared/block-table.ts, on the text
 * itself). A reason instead when it does not parse or has hints that make istanbul skip code.
 */
export function sourceTable(source: string, parse: (code: string) => unknown): SourceTable | { reason: string } {
  if (/\b(istanbul|c8|v8)\s+ignore\b/.test(source)) return { reason: 'it has coverage ignore hints, so some of its code has no counters' };
  let ast: unknown;
  try {
    ast = parse(source);
  } catch (err) {
    return { reason: `it does not parse (${(err as Error).message.split('\n')[0]})` };
  }
  if (!isNode(ast)) return { reason: 'it does not parse' };
  const lines = source.split('\n').length;
  const table = buildBlockTable(source, identityMap(lines), source, () => ast);
  if (!table) return { reason: 'its block table could not be built' };
  const nodeStarts = new Set<number>();
  const nodeEnds = new Set<number>();
  const fnBodies = new Map<string, [number, number]>();
  const visit = (node: AstNode): void => {
    nodeStarts.add(node.start);
    nodeEnds.add(node.end);
    if (FUNCTION_TYPES.has(node.type) && isNode(node.body)) fnBodies.set(`${node.start}:${node.end}`, [node.body.start, node.body.end]);
    for (const [key, value] of Object.entries(node)) {
      if (key === 'loc' || key === 'range' || key === 'extra') continue;
      if (Array.isArray(value)) {
        for (const v of value) if (isNode(v)) visit(v);
      } else if (isNode(value)) visit(value);
    }
  };
  visit(ast);
  const bodies = new Map<number, [number, number]>();
  for (let id = 1; id < table.blocks.length; id++) {
    if ((table.blocks[id]!.kind ?? 'function') !== 'function') continue;
    const span = table.spans[id];
    const body = span && fnBodies.get(`${span[0]}:${span[1]}`);
    if (body) bodies.set(id, body);
  }
  return { table, source, starts: lineStarts(source), nodeStarts, nodeEnds, bodies };
}

/** Offset in the source of an istanbul position (1-based line, 0-based column), if it lies in the text. */
function offsetOf(t: SourceTable, p: Position | undefined): number | undefined {
  const line = p?.line;
  const column = p?.column;
  if (!Number.isInteger(line) || !Number.isInteger(column) || line! < 1 || column! < 0 || line! > t.starts.length) return undefined;
  const from = t.starts[line! - 1]!;
  const lineEnd = line! < t.starts.length ? t.starts[line!]! - 1 : t.source.length;
  return from + column! <= lineEnd ? from + column! : undefined;
}

const isEmpty = (loc: IstanbulLocation | undefined): boolean => !loc || (loc.start?.line === undefined && loc.end?.line === undefined);

/**
 * What may come before the first counter of a block that ran (blanks and comments removed):
 * braces, a `catch (e)` header, and the head of a declaration (`const x: T =`: istanbul counts a
 * declarator at its initialiser, and the counter runs before anything after the `=`).
 */
const LEAD_IN = /^(catch(\([\w$:]*\))?)?\{*((const|let|var)[^;{}()`'"=]*=)?$/;

/**
 * Blocks of one source and the ids a test executed, from that test file's istanbul coverage of
 * it (see the file comment). The table is the same for every test file (it comes from the source
 * text), so block ids agree across records.
 */
export function istanbulBlocks(fc: IstanbulCoverage, t: SourceTable): IstanbulBlocks {
  if (fc.inputSourceMap !== undefined && fc.inputSourceMap !== null) {
    return { reason: "Jest's coverage of it is in the lines of the transformed code (the transformer handed babel-plugin-istanbul compiled code)" };
  }
  /** [offset, count] of every counter. */
  const counters: Array<[number, number]> = [];
  const check = (loc: IstanbulLocation | undefined, what: string): string | [number, number] => {
    const start = offsetOf(t, loc?.start);
    const end = offsetOf(t, loc?.end);
    const where = `${loc?.start?.line}:${loc?.start?.column}-${loc?.end?.line}:${loc?.end?.column}`;
    if (start === undefined || end === undefined || end < start) return `a ${what} of Jest's coverage (${where}) does not lie in the source`;
    if (!t.nodeStarts.has(start) || !t.nodeEnds.has(end)) return `a ${what} of Jest's coverage (${where}) is no span of the source's code`;
    return [start, end];
  };
  for (const [k, loc] of Object.entries(fc.statementMap ?? {})) {
    const span = check(loc, 'statement');
    if (typeof span === 'string') return { reason: span };
    counters.push([span[0], fc.s?.[k] ?? 0]);
  }
  const fnCounts = new Map<string, number>();
  for (const [k, fn] of Object.entries(fc.fnMap ?? {})) {
    const span = check(fn?.loc, 'function');
    if (typeof span === 'string') return { reason: span };
    const count = fc.f?.[k] ?? 0;
    counters.push([span[0], count]);
    const key = `${span[0]}:${span[1]}`;
    // Two entries on one body cannot be told apart: the function counts as run if either ran.
    fnCounts.set(key, Math.max(fnCounts.get(key) ?? 0, count));
  }
  for (const [k, br] of Object.entries(fc.branchMap ?? {})) {
    const arms = br?.locations ?? [];
    for (let i = 0; i < arms.length; i++) {
      if (isEmpty(arms[i])) continue;
      const span = check(arms[i], 'branch');
      if (typeof span === 'string') return { reason: span };
      counters.push([span[0], fc.b?.[k]?.[i] ?? 0]);
    }
  }
  counters.sort((a, b) => a[0] - b[0]);
  const { blocks, spans } = t.table;
  const executed = [0];
  for (let id = 1; id < blocks.length; id++) {
    const b = blocks[id]!;
    if ((b.kind ?? 'function') === 'function') {
      const body = t.bodies.get(id);
      const count = body ? fnCounts.get(`${body[0]}:${body[1]}`) : undefined;
      if (count === undefined || count > 0) executed.push(id);
      continue;
    }
    const [from, to] = spans[id]!;
    const inside = countersIn(counters, from, to);
    if (inside.length === 0 || inside.some(([, n]) => n > 0)) {
      executed.push(id);
      continue;
    }
    const lead = t.source
      .slice(from, inside[0]![0])
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/[^\n]*/g, '')
      .replace(/\s+/g, '');
    if (!LEAD_IN.test(lead)) executed.push(id);
  }
  return { blocks, executed };
}

/** The counters (sorted by offset) that start in [from, to). */
function countersIn(counters: ReadonlyArray<[number, number]>, from: number, to: number): Array<[number, number]> {
  let lo = 0;
  let hi = counters.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (counters[mid]![0] < from) lo = mid + 1;
    else hi = mid;
  }
  const out: Array<[number, number]> = [];
  for (let i = lo; i < counters.length && counters[i]![0] < to; i++) out.push(counters[i]!);
  return out;
}
