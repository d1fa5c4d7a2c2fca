/**
 * Read a YAML file written by people (tests.yml, a verify-mapping cases file) keeping node
 * positions, so every error can say `file:line:column` and what was expected.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { LineCounter, parseDocument, isMap, isScalar, isSeq, type Document, type Node, type Pair } from 'yaml';
import type { InputError, SourceLocation } from '../errors.js';
import { toPosix } from '../util/paths.js';

export type ErrorFactory = (loc: SourceLocation, problem: string) => InputError;

export interface YamlSource {
  /** Display name used in messages and MappingRule.file (repo-relative when inside the root). */
  file: string;
  doc: Document.Parsed;
  /** 1-based line and column of a node (or of the file start). */
  at(node: Node | null | undefined, key?: string): SourceLocation;
}

/** How a file is named in messages: relative to the root when inside it, else as given. */
export function displayName(path: string, root: string): string {
  const abs = resolve(root, path);
  const rel = relative(root, abs);
  if (rel && !rel.startsWith('..') && !isAbsolute(rel)) return toPosix(rel);
  return path;
}

export function readYamlSource(path: string, root: string, makeError: ErrorFactory): YamlSource {
  const abs = resolve(root, path);
  const file = displayName(path, root);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory, expected a YAML file' : `cannot read: ${(err as Error).message}`;
    throw makeError({ file }, why);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (node: Node | null | undefined, key?: string): SourceLocation => {
    const offset = node?.range?.[0];
    if (offset === undefined) return { file, key };
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col, key };
  };
  const first = doc.errors[0];
  if (first) {
    const { line, col } = lineCounter.linePos(first.pos[0]);
    throw makeError({ file, line, column: col }, `invalid YAML: ${first.message.split('\n')[0]}`);
  }
  return { file, doc, at };
}

/** Describe a node's type for "expected X, got Y" messages. */
export function kindOf(node: unknown): string {
  if (node === null || node === undefined) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'null';
    if (typeof v === 'string') return `the string '${v}'`;
    return `${typeof v} ${String(v)}`;
  }
  return 'an unsupported YAML node';
}

export function pairKey(pair: Pair): string | undefined {
  return isScalar(pair.key) ? String(pair.key.value) : undefined;
}

/** The value node stored under `key` in a map node, with the pair (for the key's position). */
export function getPair(map: unknown, key: string): Pair<unknown, unknown> | undefined {
  if (!isMap(map)) return undefined;
  return map.items.find((p) => pairKey(p as Pair) === key) as Pair<unknown, unknown> | undefined;
}
