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
 * Coverage of transformed code (ts-jest and other transformers hand babel-plugin-istanbul compiled
 * code and its source map, `inputSourceMap`): each counter's start is mapped to the source
 * through that map, and kept only when a segment starts exactly there and it lands where some
 * code of the source starts; a counter of code the compiler made up (no exact mapping) is left
 * out, which the first-code rule above makes safe (a block then has no counter at its start).
 * Fail safe: no block data for the file (file level) when the counters are not positions of this
 * text — a location past the end of a line or of the file, one where the parsed source has no
 * node starting or ending, a mapped counter landing where no code starts, an input map of several
 * sources, of another file or holding other text —, when the source has coverage ignore hints
 * (uncounted code), or when it does not parse.
 */
import { basename } from 'node:path';
import type { Block } from '../../mappings/coverage/types.js';
import { buildBlockTable, children, FUNCTION_TYPES, isNode, type AstNode, type BlockTable } from '../shared/block-table.js';
import { decodeMappings, lineStarts, originalPosition, type DecodedMappings } from '../shared/source-map-lines.js';

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
  /**
   * Offset → the function blocks it names: a function's start, its name's, and for a method or
   * property its holder's and key's (where istanbul puts a function's `decl`).
   */
  anchors: Map<number, number[]>;
}

/** An identity source map: every line to itself (the table is built from the source itself). */
function identityMap(lines: number): { mappings: string; sources: string[] } {
  return { mappings: Array.from({ length: lines }, (_, i) => (i === 0 ? 'AAAA' : 'AACA')).join(';'), sources: ['source'] };
}

/**
 * Parse the source and build its block table (the rules of shared/block-table.ts, on the text
 * itself). A reason instead when it does not parse or has hints that make istanbul skip code.
 */
export function sourceTable(source: string, parse: (code: string) => unknown, branches = true): SourceTable | { reason: string } {
  if (/\b(istanbul|c8|v8)\s+ignore\b/.test(source)) return { reason: 'it has coverage ignore hints, so some of its code has no counters' };
  let ast: unknown;
  try {
    ast = parse(source);
  } catch (err) {
    return { reason: `it does not parse (${(err as Error).message.split('\n')[0]})` };
  }
  if (!isNode(ast)) return { reason: 'it does not parse' };
  const lines = source.split('\n').length;
  const built = buildBlockTable(source, identityMap(lines), source, () => ast);
  if (!built) return { reason: 'its block table could not be built' };
  const table = branches ? built : functionsOnly(built);
  const nodeStarts = new Set<number>();
  const nodeEnds = new Set<number>();
  const fnBodies = new Map<string, [number, number]>();
  const fnAnchors = new Map<string, number[]>();
  const visit = (node: AstNode): void => {
    nodeStarts.add(node.start);
    nodeEnds.add(node.end);
    if (FUNCTION_TYPES.has(node.type) && isNode(node.body)) {
      const key = `${node.start}:${node.end}`;
      fnBodies.set(key, [node.body.start, node.body.end]);
      fnAnchors.set(key, [...(fnAnchors.get(key) ?? []), node.start, ...(isNode(node.id) ? [node.id.start] : [])]);
    }
    if (isNode(node.value) && FUNCTION_TYPES.has(node.value.type)) {
      const key = `${node.value.start}:${node.value.end}`;
      fnAnchors.set(key, [...(fnAnchors.get(key) ?? []), node.start, ...(isNode(node.key) ? [node.key.start] : [])]);
    }
    for (const [, child] of children(node)) visit(child);
  };
  visit(ast);
  const bodies = new Map<number, [number, number]>();
  const anchors = new Map<number, number[]>();
  for (let id = 1; id < table.blocks.length; id++) {
    if ((table.blocks[id]!.kind ?? 'function') !== 'function') continue;
    const span = table.spans[id];
    if (!span) continue;
    const body = fnBodies.get(`${span[0]}:${span[1]}`);
    if (body) bodies.set(id, body);
    for (const at of new Set(fnAnchors.get(`${span[0]}:${span[1]}`) ?? [])) anchors.set(at, [...(anchors.get(at) ?? []), id]);
  }
  return { table, source, starts: lineStarts(source), nodeStarts, nodeEnds, bodies, anchors };
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
export function istanbulBlocks(fc: IstanbulCoverage, t: SourceTable, file?: string): IstanbulBlocks {
  let mapped: ((p: Position | undefined) => number | undefined) | undefined;
  if (fc.inputSourceMap !== undefined && fc.inputSourceMap !== null) {
    const m = inputMap(fc.inputSourceMap, t, file);
    if (typeof m === 'string') return { reason: m };
    mapped = m;
  }
  /** [offset, count] of every counter. */
  const counters: Array<[number, number]> = [];
  /** Function block id → its count (the largest, when several entries name it). */
  const fnCounts = new Map<number, number>();
  const byBody = new Map([...t.bodies].map(([id, [from, to]]) => [`${from}:${to}`, id]));
  const where = (loc: IstanbulLocation | undefined): string => `${loc?.start?.line}:${loc?.start?.column}-${loc?.end?.line}:${loc?.end?.column}`;
  /**
   * Where a counter starts in the source. Coverage of the source itself: the location must be a
   * span of its code. Through the input source map: its start must map exactly (a segment starts
   * there) onto the start of some code; a start that does not map (code the compiler made up) is
   * left out — then the block it may belong to counts as run unless its first code carries
   * another counter (LEAD_IN).
   */
  const startOf = (loc: IstanbulLocation | undefined, what: string): number | string | undefined => {
    if (mapped) {
      const at = mapped(loc?.start);
      if (at === undefined) return undefined;
      return t.nodeStarts.has(at) ? at : `a ${what} of Jest's coverage (${where(loc)}) maps to a place in the source where no code starts`;
    }
    const start = offsetOf(t, loc?.start);
    const end = offsetOf(t, loc?.end);
    if (start === undefined || end === undefined || end < start) return `a ${what} of Jest's coverage (${where(loc)}) does not lie in the source`;
    if (!t.nodeStarts.has(start) || !t.nodeEnds.has(end)) return `a ${what} of Jest's coverage (${where(loc)}) is no span of the source's code`;
    return start;
  };
  for (const [k, loc] of Object.entries(fc.statementMap ?? {})) {
    const at = startOf(loc, 'statement');
    if (typeof at === 'string') return { reason: at };
    if (at !== undefined) counters.push([at, fc.s?.[k] ?? 0]);
  }
  for (const [k, fn] of Object.entries(fc.fnMap ?? {})) {
    const count = fc.f?.[k] ?? 0;
    let ids: number[] | undefined;
    if (mapped) {
      // The body's start rarely maps exactly; the name (or the function's first token) does.
      const at = startOf(fn?.decl, 'function');
      if (typeof at === 'string') return { reason: at };
      if (at === undefined) continue;
      counters.push([at, count]);
      ids = t.anchors.get(at);
    } else {
      const at = startOf(fn?.loc, 'function');
      if (typeof at === 'string') return { reason: at };
      if (at === undefined) continue;
      counters.push([at, count]);
      const id = byBody.get(`${at}:${offsetOf(t, fn?.loc?.end)}`);
      ids = id === undefined ? undefined : [id];
    }
    // An entry that could name several functions names none (they then count as run).
    if (ids?.length === 1) fnCounts.set(ids[0]!, Math.max(fnCounts.get(ids[0]!) ?? 0, count));
  }
  for (const [k, br] of Object.entries(fc.branchMap ?? {})) {
    const arms = br?.locations ?? [];
    for (let i = 0; i < arms.length; i++) {
      if (isEmpty(arms[i])) continue;
      const at = startOf(arms[i], 'branch');
      if (typeof at === 'string') return { reason: at };
      if (at !== undefined) counters.push([at, fc.b?.[k]?.[i] ?? 0]);
    }
  }
  counters.sort((a, b) => a[0] - b[0]);
  const { blocks, spans } = t.table;
  const executed = [0];
  for (let id = 1; id < blocks.length; id++) {
    const b = blocks[id]!;
    const [from, to] = spans[id]!;
    const inside = countersIn(counters, from, to);
    if ((b.kind ?? 'function') === 'function') {
      // Its own count; a counter inside it above zero also says it ran (it was called). Not one
      // at its first position: that may be the enclosing code's (`const f = () => …` counts its
      // declarator there).
      const count = fnCounts.get(id);
      if (count === undefined || count > 0 || inside.some(([at, n]) => n > 0 && at > from)) executed.push(id);
      continue;
    }
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

/**
 * The input source map (the transformer's, from the code babel-plugin-istanbul instrumented back
 * to the source) as a position mapper, or why it cannot be used: one source, this file, and (when
 * it carries the text) the text as it is now.
 */
function inputMap(raw: unknown, t: SourceTable, file: string | undefined): ((p: Position | undefined) => number | undefined) | string {
  const map = raw as { mappings?: unknown; sources?: unknown; sourcesContent?: unknown };
  if (typeof map !== 'object' || typeof map.mappings !== 'string' || !Array.isArray(map.sources))
    return "the transformer's source map in Jest's coverage is not one we can read";
  if (map.sources.length !== 1) return `the transformer's source map has ${map.sources.length} sources, not 1`;
  const named = map.sources[0];
  if (file && typeof named === 'string' && named !== '' && basename(named.replace(/[?#].*$/, '')) !== basename(file)) {
    return `the transformer's source map is of another file (${named})`;
  }
  const content = Array.isArray(map.sourcesContent) ? map.sourcesContent[0] : undefined;
  if (typeof content === 'string' && content !== t.source) return 'it changed after Jest compiled it (the source map holds other text)';
  let decoded: DecodedMappings;
  try {
    decoded = decodeMappings(map.mappings);
  } catch {
    return "the transformer's source map does not decode";
  }
  return (p) => {
    const line = p?.line;
    const column = p?.column;
    if (!Number.isInteger(line) || !Number.isInteger(column) || line! < 1 || column! < 0) return undefined;
    const hit = originalPosition(decoded, line! - 1, column!);
    if (!hit || !hit.exact) return undefined;
    return offsetOf(t, { line: hit.line, column: hit.column });
  };
}

/**
 * The table without the blocks inside functions (TESTSIFT_BRANCHES off: functions only, as the V8
 * path records): a function inside a dropped branch block hangs from the nearest kept ancestor.
 */
function functionsOnly(table: BlockTable): BlockTable {
  const renumber = new Map<number, number>();
  const blocks: Block[] = [];
  const spans: BlockTable['spans'] = [];
  for (const b of table.blocks) {
    if (b.id !== 0 && (b.kind ?? 'function') !== 'function') continue;
    renumber.set(b.id, blocks.length);
    spans.push(table.spans[b.id]);
    blocks.push({ ...b, id: blocks.length });
  }
  for (const b of blocks) {
    if (b.parent === undefined) continue;
    let at: number | undefined = b.parent;
    while (at !== undefined && !renumber.has(at)) at = table.blocks[at]?.parent;
    const kept = at === undefined ? 0 : renumber.get(at)!;
    if (kept === 0) delete b.parent;
    else b.parent = kept;
  }
  return { blocks, spans, byEnd: new Map(), generated: new Set() };
}
