// The `function` pseudo-granularity of the scorer: the stored map with its blocks cut down to
// functions (and the module body), i.e. what a function-level recording of the same run gives, so
// one stored branch-level map scores function and branch level side by side (issue 11's target:
// branch level takes a third off the function-level selection). Read and written with testsift's
// own map reader/writer (dist), so the derived map goes through the same format checks.
import { join } from 'node:path';
import { testsiftRoot } from './lib.mjs';

/** Keeps block 0 and the functions; a function's parent becomes its nearest kept ancestor. */
export function functionLevelRecord(record) {
  if (!record.blocks) return record;
  const blocks = new Map();
  for (const [source, entry] of record.blocks) {
    const byId = new Map(entry.blocks.map((b) => [b.id, b]));
    // A block without `kind` is a function (maps from before branch blocks have only those).
    const kept = (b) => b.id === 0 || b.kind === undefined || b.kind === 'function';
    const keptIds = new Set(entry.blocks.filter(kept).map((b) => b.id));
    const out = [];
    for (const b of entry.blocks) {
      if (!keptIds.has(b.id)) continue;
      const c = { ...b };
      let parent = b.parent;
      // Bounded walk up to the nearest kept ancestor (a function inside an `if` arm → the function around it).
      for (let i = 0; parent !== undefined && !keptIds.has(parent) && i <= byId.size; i++) parent = byId.get(parent)?.parent;
      if (parent === undefined || !keptIds.has(parent)) delete c.parent;
      else c.parent = parent;
      out.push(c);
    }
    const executed = new Map();
    for (const [test, ids] of entry.executed)
      executed.set(
        test,
        ids.filter((id) => keptIds.has(id)),
      );
    blocks.set(source, { blocks: out, executed });
  }
  return { ...record, blocks };
}

/** Writes the function-level form of the native map at `mapPath` to `outPath`. */
export async function writeFunctionLevelMap(mapPath, outPath) {
  const { readMapRecord, writeCoverageMap } = await import(join(testsiftRoot, 'dist/index.js'));
  await writeCoverageMap(outPath, functionLevelRecord(await readMapRecord(mapPath)));
}

/** Whether any block of the map at `mapPath` is inside a function (a branch block). */
export async function hasBranchBlocks(mapPath) {
  const { readMapRecord } = await import(join(testsiftRoot, 'dist/index.js'));
  const record = await readMapRecord(mapPath);
  for (const entry of record.blocks?.values() ?? []) if (entry.blocks.some((b) => b.kind !== undefined && b.kind !== 'function')) return true;
  return false;
}
