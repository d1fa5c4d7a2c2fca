import type { Block, BlockKind } from '../../mappings/coverage/types.js';
import { decodeMappings, lineStarts, originalPosition, positionOf, type DecodedMappings } from './source-map-lines.js';

/** The blocks of one source file and where each lies in the transformed code. */
export interface BlockTable {
  blocks: Block[];
  /** Per block id (index), its [start, end) offsets in the transformed code; block 0 has none. */
  spans: Array<[number, number] | undefined>;
  /** Transformed-code end offset → function block ids ending there (nested arrows can share an end). */
  byEnd: Map<number, number[]>;
  /** End offsets of functions the transform generated (no source position): not blocks. */
  generated: Set<number>;
}

/** A node of the ESTree-shaped AST the parsers give (acorn, Babel with `estree`). */
export interface AstNode {
  type: string;
  start: number;
  end: number;
  id?: { name?: string } | null;
  [key: string]: unknown;
}

export const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);
const LOOP_TYPES = new Set(['ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement', 'DoWhileStatement']);
const EXITS = new Set(['ReturnStatement', 'ThrowStatement', 'BreakStatement', 'ContinueStatement']);

export function isNode(v: unknown): v is AstNode {
  return typeof v === 'object' && v !== null && typeof (v as AstNode).type === 'string';
}

/** The nodes directly under `node`, with the key that holds each. */
export function children(node: AstNode): Array<[string, AstNode]> {
  const out: Array<[string, AstNode]> = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'type' || key === 'start' || key === 'end') continue;
    if (Array.isArray(value)) {
      for (const v of value) if (isNode(v)) out.push([key, v]);
    } else if (isNode(value)) {
      out.push([key, value]);
    }
  }
  return out;
}

/**
 * TypeScript's getter for a re-export (`export { x } from './m'` compiles to
 * `Object.defineProperty(exports, 'x', { get: function () { return m_1.x; } })`): glue with no code
 * of its own, left out like unmapped glue. tsc maps its two ends to different source lines (the
 * export and the import), sometimes end before start, which would otherwise distrust the table.
 */
const REEXPORT_GETTER = /^function\s*\(\)\s*\{\s*return\s+[\w$]+_\d+\.[\w$]+;?\s*\}$/;

/**
 * End offsets of the classes in the code. V8 reports a class with fields as a function spanning
 * the whole class (`<instance_members_initializer>`, `<static_initializer>`), which is no block:
 * its code (field initialisers) belongs to the enclosing block, which ran whenever the class was
 * evaluated, so such a call is left out like the transform's glue (else the end is unknown and the
 * file's block data for that test is lost).
 */
function classEnds(root: AstNode): number[] {
  const out: number[] = [];
  const visit = (node: AstNode): void => {
    if (node.type === 'ClassDeclaration' || node.type === 'ClassExpression') out.push(node.end);
    for (const [, c] of children(node)) visit(c);
  };
  visit(root);
  return out;
}

/** Whether `node` holds, outside nested functions, something matching `test`. */
function holds(node: AstNode, test: (n: AstNode) => boolean): boolean {
  if (test(node)) return true;
  for (const [, c] of children(node)) {
    if (test(c)) return true;
    if (!FUNCTION_TYPES.has(c.type) && holds(c, test)) return true;
  }
  return false;
}

/** A statement after which the rest of its list may not run (return, throw, break, continue inside). */
const mayExit = (stmt: AstNode): boolean => holds(stmt, (n) => EXITS.has(n.type));

/**
 * A declaration visible outside the block it is written in (`var`, a function declaration): a
 * change to it (a rename) can break code in other blocks of the function, so a block holding one
 * is no block — its lines belong to the enclosing one.
 */
const hoists = (node: AstNode): boolean => holds(node, (n) => (n.type === 'VariableDeclaration' && n.kind === 'var') || n.type === 'FunctionDeclaration');

function nameOfHolder(node: AstNode, key: string): string {
  const idName = (v: unknown): string => (isNode(v) && typeof v.name === 'string' ? (v.name as string) : '');
  if ((node.type === 'MethodDefinition' || node.type === 'Property' || node.type === 'PropertyDefinition') && key === 'value') return idName(node.key);
  if (node.type === 'VariableDeclarator' && key === 'init') return idName(node.id);
  return '';
}

function trimEmpty(list: AstNode[]): AstNode[] {
  let from = 0;
  let to = list.length;
  while (from < to && list[from]!.type === 'EmptyStatement') from++;
  while (to > from && list[to - 1]!.type === 'EmptyStatement') to--;
  return list.slice(from, to);
}

interface Candidate {
  start: number;
  end: number;
  kind: BlockKind;
  name: string;
  /** Index in the candidate list of the enclosing candidate, -1: the module body. */
  parent: number;
}

/**
 * Function and branch candidates in source order, each with its enclosing candidate. Branch
 * blocks exist only inside functions (module-level code runs for every test that loads the
 * module): `if`/`else` arms, loop bodies, `case` bodies, `catch`/`finally`, `?:` arms and the
 * right of `&&`/`||`/`??`, and the rest of a statement list after a statement that may leave it.
 */
function collect(root: AstNode): Candidate[] {
  const out: Candidate[] = [];
  const add = (node: { start: number; end: number }, kind: BlockKind, name: string, parent: number): number => {
    out.push({ start: node.start, end: node.end, kind, name, parent });
    return out.length - 1;
  };
  /** A branch block, unless it holds a hoisted declaration (then its code stays in `parent`). */
  const branch = (node: AstNode, kind: BlockKind, fn: string, parent: number): number => (hoists(node) ? parent : add(node, kind, fn, parent));

  const visitList = (list: AstNode[], fn: string | undefined, parent: number): void => {
    let p = parent;
    for (let i = 0; i < list.length; i++) {
      visit(list[i]!, fn, p, '');
      if (fn !== undefined && i + 1 < list.length && mayExit(list[i]!)) {
        // Empty statements are glue (Vite's transform writes `};` after a block): not code.
        const rest = trimEmpty(list.slice(i + 1));
        if (rest.length === 0) continue;
        const span = { start: rest[0]!.start, end: rest[rest.length - 1]!.end };
        if (!rest.some(hoists)) p = add(span, 'after', fn, p);
      }
    }
  };

  const visit = (node: AstNode, fn: string | undefined, parent: number, holderName: string): void => {
    if (FUNCTION_TYPES.has(node.type)) {
      const name = node.id?.name ?? holderName;
      const id = add(node, 'function', name, parent);
      for (const [key, c] of children(node)) {
        if (key === 'body' && c.type === 'BlockStatement') visitList(c.body as AstNode[], name, id);
        else visit(c, name, id, '');
      }
      return;
    }
    if (fn === undefined) {
      // Module level: only functions are blocks here.
      for (const [key, c] of children(node)) visit(c, fn, parent, nameOfHolder(node, key));
      return;
    }
    switch (node.type) {
      case 'BlockStatement':
      case 'StaticBlock':
        visitList(node.body as AstNode[], fn, parent);
        return;
      case 'IfStatement': {
        visit(node.test as AstNode, fn, parent, '');
        visitArm(node.consequent as AstNode, 'if', fn, parent);
        if (isNode(node.alternate)) visitArm(node.alternate, 'else', fn, parent);
        return;
      }
      case 'ConditionalExpression':
        visit(node.test as AstNode, fn, parent, '');
        visitArm(node.consequent as AstNode, 'cond', fn, parent);
        visitArm(node.alternate as AstNode, 'cond', fn, parent);
        return;
      case 'LogicalExpression':
        visit(node.left as AstNode, fn, parent, '');
        visitArm(node.right as AstNode, 'cond', fn, parent);
        return;
      case 'SwitchStatement':
        visit(node.discriminant as AstNode, fn, parent, '');
        for (const c of node.cases as AstNode[]) {
          if (isNode(c.test)) visit(c.test, fn, parent, '');
          const body = c.consequent as AstNode[];
          if (body.length === 0) continue;
          // The body only: a case's test is evaluated by the switch, as part of the enclosing code.
          const span = { type: 'CaseBody', start: body[0]!.start, end: body[body.length - 1]!.end, body } as AstNode;
          const id = hoists(span) ? parent : add(span, 'case', fn, parent);
          visitList(body, fn, id);
        }
        return;
      case 'TryStatement':
        visit(node.block as AstNode, fn, parent, '');
        if (isNode(node.handler)) visitArm(node.handler, 'catch', fn, parent);
        if (isNode(node.finalizer)) visitArm(node.finalizer, 'finally', fn, parent);
        return;
      default:
        if (LOOP_TYPES.has(node.type)) {
          for (const [key, c] of children(node)) {
            if (key === 'body') visitArm(c, 'loop', fn, parent);
            else visit(c, fn, parent, '');
          }
          return;
        }
        for (const [key, c] of children(node)) visit(c, fn, parent, nameOfHolder(node, key));
    }
  };

  /** An arm: its own block, then its contents inside it. */
  const visitArm = (node: AstNode, kind: BlockKind, fn: string, parent: number): void => {
    const id = branch(node, kind, fn, parent);
    if (node.type === 'BlockStatement') visitList(node.body as AstNode[], fn, id);
    else if (node.type === 'CatchClause') {
      if (isNode(node.param)) visit(node.param, fn, id, '');
      visitList((node.body as AstNode).body as AstNode[], fn, id);
    } else visit(node, fn, id, '');
  };

  visit(root, undefined, -1, '');
  return out;
}

/** Maps transformed-code positions to original lines and columns, checking columns against the text. */
class PositionMap {
  private readonly decoded: DecodedMappings;
  private readonly starts: number[];
  private readonly originalLines: string[];

  constructor(
    private readonly code: string,
    mappings: string,
    original: string,
  ) {
    this.decoded = decodeMappings(mappings);
    this.starts = lineStarts(code);
    this.originalLines = original.split('\n');
  }

  get lineCount(): number {
    return this.originalLines.length - (this.originalLines[this.originalLines.length - 1] === '' ? 1 : 0);
  }

  /**
   * Original line of a transformed offset, and its column when certain: the segment starts right
   * there, or the text from the segment's start to the offset is the same in both versions.
   */
  at(offset: number): { line: number; column?: number } | undefined {
    const { line0, column } = positionOf(this.starts, offset);
    const hit = originalPosition(this.decoded, line0, column);
    if (!hit) return undefined;
    if (hit.exact) return { line: hit.line, column: hit.column };
    const segStart = offset - (column - this.segmentColumn(line0, column));
    const generated = this.code.slice(segStart, offset + 1);
    const text = this.originalLines[hit.line - 1] ?? '';
    const column0 = hit.column + (offset - segStart);
    return text.slice(hit.column, column0 + 1) === generated ? { line: hit.line, column: column0 } : { line: hit.line };
  }

  private segmentColumn(line0: number, column: number): number {
    let best = 0;
    for (const s of this.decoded[line0] ?? []) if (s.column <= column) best = s.column;
    return best;
  }

  /** Nothing but blanks on original `line` before `column`. */
  blankBefore(line: number, column: number): boolean {
    return (this.originalLines[line - 1] ?? '').slice(0, column).trim() === '';
  }

  /** Nothing but blanks on original `line` after `column`. */
  blankAfter(line: number, column: number): boolean {
    return (this.originalLines[line - 1] ?? '').slice(column + 1).trim() === '';
  }
}

/**
 * Build the block table of a source from Vite's transform result: functions and (inside them)
 * branch blocks found by parsing the transformed code, their lines taken from its source map
 * (original source lines, as `git diff` sees them). Undefined — file level — whenever that is
 * not certain: no or multi-source map, a function whose start or end does not map to a line of
 * this source. Non-ASCII code is fine: the parser's offsets, V8's and the source map's columns
 * all count UTF-16 code units (JS string indexes). A branch
 * block that does not map cleanly (or not inside its parent's lines) is left out: its code then
 * counts as its parent's, whose tests are a superset.
 */
export function buildBlockTable(
  code: string,
  map: { mappings?: string; sources?: unknown[] } | null | undefined,
  original: string,
  parse: (code: string) => unknown,
): BlockTable | undefined {
  if (!map || typeof map.mappings !== 'string' || !Array.isArray(map.sources) || map.sources.length !== 1) return undefined;
  let ast: unknown;
  try {
    ast = parse(code);
  } catch {
    return undefined;
  }
  if (!isNode(ast)) return undefined;
  const pos = new PositionMap(code, map.mappings, original);
  const lineCount = pos.lineCount;
  const candidates = collect(ast);
  const blocks: Block[] = [{ id: 0, name: '', start: 1, end: Math.max(1, lineCount) }];
  const spans: BlockTable['spans'] = [undefined];
  const byEnd = new Map<number, number[]>();
  const generated = new Set<number>(classEnds(ast));
  /** Candidate index → block id, or the block id its code falls to when it is not a block. */
  const idOf: number[] = [];
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i]!;
    const parentId = c.parent < 0 ? 0 : idOf[c.parent]!;
    const s = pos.at(c.start);
    const e = pos.at(c.end - 1);
    if (c.kind === 'function') {
      if ((s === undefined && e === undefined) || (c.name === 'get' && REEXPORT_GETTER.test(code.slice(c.start, c.end)))) {
        // Glue the transform added (e.g. Vite's export getters): it has no place in the source.
        // Leaving it out is safe: a change inside a user function nested in it would fall to the
        // enclosing block, whose tests are a superset.
        generated.add(c.end);
        idOf.push(parentId);
        continue;
      }
      if (s === undefined || e === undefined || e.line < s.line || e.line > lineCount) return undefined;
      const outer = blocks[parentId]!;
      if (s.line < outer.start || e.line > outer.end) return undefined; // not nested as the code is: uncertain
    }
    const parent = blocks[parentId]!;
    if (s === undefined || e === undefined || e.line < s.line || s.line < parent.start || e.line > parent.end) {
      idOf.push(parentId); // a branch block without a clean place: its code is its parent's
      continue;
    }
    const id = blocks.length;
    const block: Block = { id, name: c.name, start: s.line, end: e.line, kind: c.kind };
    if (parentId !== 0) block.parent = parentId;
    // Only a statement list owns lines at its edges: code added on such a line stays in the list.
    // A braced block's edge lines hold its braces (code written before `{` or after `}` belongs
    // to the enclosing code), a function's first line is its header (name and parameters belong
    // to the enclosing code), and a braceless arm is one statement (a second one on its line
    // would run whatever the condition).
    if (c.kind === 'after' || c.kind === 'case') {
      if (s.column !== undefined && pos.blankBefore(s.line, s.column)) block.ownsStart = true;
      if (e.column !== undefined && pos.blankAfter(e.line, e.column)) block.ownsEnd = true;
    }
    blocks.push(block);
    spans.push([c.start, c.end]);
    if (c.kind === 'function') {
      const list = byEnd.get(c.end);
      if (list) list.push(id);
      else byEnd.set(c.end, [id]);
    }
    idOf.push(id);
  }
  return { blocks, spans, byEnd, generated };
}

/**
 * Block ids a test executed: block 0 when the module body ran; a function when V8 reports it
 * called (its end offset among `ends`); a block inside a function when the code at its first
 * position ran (`hits`: flat sorted [start, end) pairs of code whose innermost V8 range counted
 * above zero). Its first position, not any position: V8 leaves gaps between the ranges it
 * reports (the blanks and punctuation between `?:` arms count as the enclosing code), so a
 * block's last `;` may look run when the block never was. Undefined (no block data for this
 * test: it counts as having run everything in the file) when a called function is not in the
 * table — the offsets do not line up with the code the table was built from.
 */
export function executedBlocks(table: BlockTable, body: boolean, ends: readonly number[], hits: readonly number[]): number[] | undefined {
  const ids = new Set<number>();
  if (body) ids.add(0);
  for (const end of ends) {
    const hit = table.byEnd.get(end);
    if (!hit) {
      if (table.generated.has(end)) continue;
      return undefined;
    }
    for (const id of hit) ids.add(id);
  }
  for (let id = 1; id < table.blocks.length; id++) {
    if ((table.blocks[id]!.kind ?? 'function') === 'function') continue;
    if (ranAt(hits, table.spans[id]![0])) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

/** Whether `offset` lies in one of the sorted disjoint [start, end) pairs of `hits`. */
function ranAt(hits: readonly number[], offset: number): boolean {
  let lo = 0;
  let hi = hits.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (hits[mid * 2 + 1]! <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo < hits.length / 2 && hits[lo * 2]! <= offset;
}
