import type { Block } from '../../mappings/coverage/types.js';

interface Loc {
  start?: { line?: number };
  end?: { line?: number };
}

/** Istanbul per-file data with the location tables block recording needs. */
export interface IstanbulBlockData {
  s?: Record<string, number>;
  f?: Record<string, number>;
  fnMap?: Record<string, { name?: string; loc?: Loc; decl?: Loc }>;
  statementMap?: Record<string, Loc>;
}

/**
 * Function-level blocks of one file from the istanbul data of one test file: block 0 is the module
 * body (always executed: the file was loaded), block k is the k-th entry of `fnMap` (the whole
 * function, header to closing brace, in source lines), executed when its call counter is above
 * zero. The table depends only on the source, so every test file yields the same one for a file,
 * as the map builder requires. Undefined when the data has no usable function table.
 */
export function blocksFromIstanbul(data: IstanbulBlockData | undefined): { blocks: Block[]; executed: number[] } | undefined {
  if (!data?.fnMap || !data.f) return undefined;
  const keys = Object.keys(data.fnMap).sort((a, b) => Number(a) - Number(b));
  let lastLine = 1;
  for (const loc of Object.values(data.statementMap ?? {})) lastLine = Math.max(lastLine, loc.end?.line ?? 1);
  const blocks: Block[] = [];
  const executed = [0];
  for (const [i, key] of keys.entries()) {
    const fn = data.fnMap[key]!;
    const start = fn.loc?.start?.line ?? fn.decl?.start?.line;
    const end = fn.loc?.end?.line ?? fn.decl?.end?.line;
    if (start === undefined || end === undefined) return undefined;
    lastLine = Math.max(lastLine, end);
    blocks.push({ id: i + 1, name: fn.name ?? '', start, end });
    if ((data.f[key] ?? 0) > 0) executed.push(i + 1);
  }
  return { blocks: [{ id: 0, name: '', start: 1, end: lastLine }, ...blocks], executed };
}
