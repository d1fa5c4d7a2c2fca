import type { Block } from '../../mappings/coverage/types.js';
import { decodeMappings, lineStarts, originalLine, positionOf } from '../shared/source-map-lines.js';

/** The blocks of one source file and how to find them from V8 function end offsets. */
export interface BlockTable {
  blocks: Block[];
  /** Transformed-code end offset → block ids ending there (nested arrows can share an end). */
  byEnd: Map<number, number[]>;
  /** End offsets of functions the transform generated (no source position): not blocks. */
  generated: Set<number>;
}

interface AstNode {
  type: string;
  start: number;
  end: number;
  id?: { name?: string } | null;
  [key: string]: unknown;
}

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

function isNode(v: unknown): v is AstNode {
  return typeof v === 'object' && v !== null && typeof (v as AstNode).type === 'string';
}

/** Every function node with a name: its own, or the key of the method/property/variable holding it. */
function collectFunctions(root: AstNode): Array<{ start: number; end: number; name: string }> {
  const out: Array<{ start: number; end: number; name: string }> = [];
  const visit = (node: AstNode, holderName: string): void => {
    if (FUNCTION_TYPES.has(node.type)) out.push({ start: node.start, end: node.end, name: node.id?.name ?? holderName });
    for (const [key, value] of Object.entries(node)) {
      if (key === 'type' || key === 'start' || key === 'end') continue;
      const name = nameOfHolder(node, key);
      if (Array.isArray(value)) {
        for (const v of value) if (isNode(v)) visit(v, name);
      } else if (isNode(value)) {
        visit(value, name);
      }
    }
  };
  visit(root, '');
  return out;
}

function nameOfHolder(node: AstNode, key: string): string {
  const idName = (v: unknown): string => (isNode(v) && typeof v.name === 'string' ? (v.name as string) : '');
  if ((node.type === 'MethodDefinition' || node.type === 'Property' || node.type === 'PropertyDefinition') && key === 'value') return idName(node.key);
  if (node.type === 'VariableDeclarator' && key === 'init') return idName(node.id);
  return '';
}

/**
 * Build the block table of a source from Vite's transform result: functions found by parsing
 * the transformed code, their lines taken from its source map (original source lines, as
 * `git diff` sees them). Undefined — file level — whenever that is not certain: no or
 * multi-source map, non-ASCII code (parser and V8 offsets might count differently), a
 * function whose start or end does not map to a line of this source.
 */
export function buildBlockTable(
  code: string,
  map: { mappings?: string; sources?: unknown[] } | null | undefined,
  originalLineCount: number,
  parse: (code: string) => unknown,
): BlockTable | undefined {
  if (!map || typeof map.mappings !== 'string' || !Array.isArray(map.sources) || map.sources.length !== 1) return undefined;
  if (/[^\x00-\x7f]/.test(code)) return undefined;
  let ast: unknown;
  try {
    ast = parse(code);
  } catch {
    return undefined;
  }
  if (!isNode(ast)) return undefined;
  const decoded = decodeMappings(map.mappings);
  const starts = lineStarts(code);
  const fns = collectFunctions(ast).sort((a, b) => a.start - b.start || b.end - a.end);
  const blocks: Block[] = [{ id: 0, name: '', start: 1, end: Math.max(1, originalLineCount) }];
  const byEnd = new Map<number, number[]>();
  const generated = new Set<number>();
  for (const fn of fns) {
    const s = positionOf(starts, fn.start);
    const e = positionOf(starts, fn.end - 1);
    const startLine = originalLine(decoded, s.line0, s.column);
    const endLine = originalLine(decoded, e.line0, e.column);
    if (startLine === undefined && endLine === undefined) {
      // Glue the transform added (e.g. Vite's export getters): it has no place in the source.
      // Leaving it out is safe: a change inside a user function nested in it would fall to the
      // enclosing block, whose tests are a superset.
      generated.add(fn.end);
      continue;
    }
    if (startLine === undefined || endLine === undefined || endLine < startLine || endLine > originalLineCount) return undefined;
    const id = blocks.length;
    blocks.push({ id, name: fn.name, start: startLine, end: endLine });
    const list = byEnd.get(fn.end);
    if (list) list.push(id);
    else byEnd.set(fn.end, [id]);
  }
  return { blocks, byEnd, generated };
}

/**
 * Block ids a test executed, from V8's called-function end offsets; undefined (no block data
 * for this test: it counts as having run everything in the file) when any called function is
 * not in the table.
 */
export function executedBlocks(table: BlockTable, body: boolean, ends: readonly number[]): number[] | undefined {
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
  return [...ids].sort((a, b) => a - b);
}
