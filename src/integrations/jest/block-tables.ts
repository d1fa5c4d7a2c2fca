import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Block } from '../../mappings/coverage/types.js';
import { buildBlockTable, executedBlocks, type BlockTable } from '../shared/block-table.js';
import { ranSpans } from '../shared/v8-spans.js';
import type { ParseFn } from './js-parser.js';

/** What the worker recorder (v8-recorder.cts) reports for one module of one test file. */
export interface BlockHit {
  file: string;
  body: boolean;
  ends: number[];
  code: string;
  map?: string;
  identity?: boolean;
  /** V8's block ranges per script (detailed recording): present, the table keeps branch blocks. */
  ranges?: number[][];
}

export type TableResult = { table: BlockTable } | { reason: string };

interface RawMap {
  mappings?: string;
  sources?: unknown[];
}

const INLINE_MAP = /\/\/[#@] ?sourceMappingURL=data:application\/json[^,]*?(;base64)?,([^\s]+)\s*$/;

/** The transformer's source map: Jest's cached map file, else one inlined in the code. */
function sourceMapOf(hit: BlockHit, code: string): RawMap | undefined {
  if (hit.map) {
    try {
      return JSON.parse(readFileSync(hit.map, 'utf8')) as RawMap;
    } catch {
      // gone from Jest's cache: try the code
    }
  }
  const m = INLINE_MAP.exec(code.slice(-Math.min(code.length, 4_000_000)));
  if (!m) return undefined;
  try {
    const text = m[1] ? Buffer.from(m[2]!, 'base64').toString('utf8') : decodeURIComponent(m[2]!);
    return JSON.parse(text) as RawMap;
  } catch {
    return undefined;
  }
}

/** A map that sends every line to itself, for code a transform left as it was. */
function identityMap(lines: number): RawMap {
  return { mappings: Array.from({ length: lines }, (_, i) => (i === 0 ? 'AAAA' : 'AACA')).join(';'), sources: ['identity'] };
}

function lineCount(text: string): number {
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

/**
 * A named function's lines must hold its name in the source. When they do not, the map put the
 * function somewhere else (or the transform made it up): the table cannot be trusted.
 */
function misplaced(blocks: Block[], sourceLines: string[]): Block | undefined {
  for (const b of blocks) {
    // A branch block carries the name of its function, which its own lines need not hold.
    if (b.id === 0 || (b.kind ?? 'function') !== 'function' || !b.name || !IDENT.test(b.name)) continue;
    const text = sourceLines.slice(b.start - 1, b.end).join('\n');
    if (!new RegExp(`(^|[^\\w$])${b.name.replace(/\$/g, '\\$')}([^\\w$]|$)`).test(text)) return b;
  }
  return undefined;
}

/**
 * Block table of one source from the code Jest ran and the transformer's source map: functions
 * found by parsing the code, their lines mapped back into the source file (as `git diff` sees
 * it). A reason instead whenever the lines cannot be trusted — no map, a map of several sources
 * or of another file, a function that maps outside the file or onto lines that do not hold its
 * name — and the file then has no block data (file level: never narrower than the truth).
 * `branches` (the worker recorded V8's block counts): the blocks inside functions are kept too
 * (if/else arms, loop bodies, code after an early exit: the rules of shared/block-table.ts).
 */
export function tableFor(hit: BlockHit, exchangeDir: string, parse: ParseFn | undefined, branches = false): TableResult {
  if (!parse) return { reason: 'no JavaScript parser found (@babel/parser, which Jest depends on)' };
  let code: string;
  let source: string;
  try {
    code = readFileSync(join(exchangeDir, `code-${hit.code}.js`), 'utf8');
    source = readFileSync(hit.file, 'utf8');
  } catch (err) {
    return { reason: `cannot read it: ${(err as Error).message}` };
  }
  let map = hit.identity ? identityMap(lineCount(code)) : sourceMapOf(hit, code);
  if (!map) return { reason: 'the transformer left no source map, so its lines are not the source lines' };
  if (!Array.isArray(map.sources) || map.sources.length !== 1) return { reason: `its source map has ${map.sources?.length ?? 0} sources, not 1` };
  const named = map.sources[0];
  if (!hit.identity && typeof named === 'string' && named !== '' && basename(named.replace(/[?#].*$/, '')) !== basename(hit.file)) {
    return { reason: `its source map is of another file (${named})` };
  }
  map = { mappings: map.mappings, sources: map.sources };
  const table = buildBlockTable(code, map, source, parse);
  if (!table) return { reason: 'a function in the compiled code maps outside the source file (or the code does not parse)' };
  const sourceLines = source.split('\n');
  const fitted = withoutAccessorGlue(table, sourceLines, branches);
  const wrong = misplaced(fitted.blocks, sourceLines);
  if (wrong) return { reason: `the source map puts function ${wrong.name} at lines ${wrong.start}-${wrong.end}, which do not hold it` };
  return { table: fitted };
}

/**
 * Functions the compiler made up but mapped onto a source line: re-exports compile to
 * `Object.defineProperty(exports, 'x', { get: function () { … } })` on the `export … from` line,
 * and Babel maps its helpers (`_interopRequireDefault`, …) onto the import line. When such a
 * function's name is not on its lines, it is treated like unmapped glue: left out of the table (a
 * call to it is ignored, a change on its line falls to the enclosing block, ultimately the module
 * body: file level). Only accessors and `_`-prefixed names qualify; any other function whose
 * lines lack its name means the map cannot be trusted (see misplaced()).
 */
function withoutAccessorGlue(table: BlockTable, sourceLines: string[], branches: boolean): BlockTable {
  const drop = new Set<number>();
  // Parents come before their children in the table, so a dropped parent is known here.
  for (const b of table.blocks) {
    if (b.id === 0) continue;
    if ((b.kind ?? 'function') !== 'function') {
      // Without V8's block counts (function counts only) a branch block could never be seen to
      // run: keep the functions and the module body, which the counts speak for. With them, a
      // branch of dropped glue (Babel's `obj && obj.__esModule ? obj : …`) goes with its glue:
      // hung from the module body it could claim module-level lines.
      if (!branches || (b.parent !== undefined && drop.has(b.parent))) drop.add(b.id);
    } else if ((b.name === 'get' || b.name === 'set' || b.name.startsWith('_')) && misplaced([b], sourceLines)) drop.add(b.id);
  }
  if (drop.size === 0) return table;
  const renumber = new Map<number, number>();
  const blocks: Block[] = [];
  const spans: BlockTable['spans'] = [];
  for (const b of table.blocks) {
    if (drop.has(b.id)) continue;
    renumber.set(b.id, blocks.length);
    spans.push(table.spans[b.id]);
    blocks.push({ ...b, id: blocks.length });
  }
  // A kept block whose parent was dropped hangs from the nearest kept ancestor.
  const keptAncestor = (id: number | undefined): number | undefined => {
    let at = id;
    while (at !== undefined && drop.has(at)) at = table.blocks[at]?.parent;
    return at === undefined ? undefined : renumber.get(at);
  };
  for (const b of blocks) if (b.parent !== undefined) b.parent = keptAncestor(b.parent) ?? 0;
  const byEnd = new Map<number, number[]>();
  const generated = new Set(table.generated);
  for (const [end, ids] of table.byEnd) {
    const kept = ids.filter((id) => !drop.has(id)).map((id) => renumber.get(id)!);
    if (kept.length > 0) byEnd.set(end, kept);
    else generated.add(end);
  }
  return { blocks, spans, byEnd, generated };
}

/** Per-run cache of tables, keyed by file and transformed code, with the reasons for drops. */
export class BlockTables {
  private readonly tables = new Map<string, TableResult>();
  /** Source file → why its block data was dropped (first reason seen). */
  readonly dropped = new Map<string, string>();

  constructor(
    private readonly exchangeDir: string,
    private readonly parse: ParseFn | undefined,
  ) {}

  /** Blocks and executed ids of one hit; undefined leaves the test at file level for the file. */
  blocksOf(hit: BlockHit): { blocks: Block[]; executed: number[] } | undefined {
    const branches = Array.isArray(hit.ranges);
    const key = `${hit.file}\u0000${hit.code}\u0000${branches ? 'branches' : 'functions'}`;
    let result = this.tables.get(key);
    if (!result) {
      result = tableFor(hit, this.exchangeDir, this.parse, branches);
      this.tables.set(key, result);
    }
    if ('reason' in result) {
      if (!this.dropped.has(hit.file)) this.dropped.set(hit.file, result.reason);
      return undefined;
    }
    // A module whose body ran before this file's window (loaded by an earlier setup) cannot say
    // what this file ran in it: file level.
    if (!hit.body) return undefined;
    const executed = executedBlocks(result.table, true, hit.ends, branches ? ranSpans(hit.ranges!) : []);
    return executed ? { blocks: result.table.blocks, executed } : undefined;
  }
}
