import { MapBuilder, type MapRecord } from './model.js';
import type { MapMetadata } from './types.js';
import { mergeRecordings } from './recordings.js';
import { blockLinesUntrusted } from './block-lines.js';

export interface MergeResult {
  record: MapRecord;
  /** Things a person should know (an undated input, conflicting roots, dropped block data), one sentence each. */
  warnings: string[];
}

function time(meta: MapMetadata): number {
  const t = meta.timestamp === undefined ? NaN : Date.parse(meta.timestamp);
  return Number.isFinite(t) ? t : -Infinity;
}

/**
 * Merge partial maps (e.g. of parallel CI jobs) into one: the union of edges and known files.
 * Root, runner and the like come from the newest map (a different value elsewhere is warned about
 * by name). Commits are never lost (see {@link mergeRecordings}): inputs of one commit give a map of
 * that commit; inputs of several give a map that keeps, per test, the commit(s) it was recorded
 * at, so `detect` checks staleness from each; an input without a commit among inputs with one
 * gives a map with no commit (detect then runs the full suite), with a warning. The timestamp is
 * the oldest input's, so the map-age check sees the oldest part.
 * Block data survives for a file only when every input with tests for that file recorded the
 * same block table; otherwise the file drops to file level, which selects more, never fewer.
 * A test that, in any input, executed the file without block data ends up without block data
 * for it (file level for that test, so it is selected for any change in the file) even when
 * another input has block ids for it.
 */
export function mergeMapRecords(inputs: readonly MapRecord[], names: readonly string[]): MergeResult {
  let records = inputs;
  if (records.length === 0) throw new Error('mergeMapRecords: no records');
  // One input: nothing to merge (and re-interning millions of edges would only cost time).
  if (records.length === 1) {
    const only = records[0];
    return { record: { ...only, metadata: { ...only.metadata, granularity: only.blocks?.size ? 'block' : 'file' } }, warnings: [] };
  }
  const warnings: string[] = [];
  let newest = 0;
  for (let i = 1; i < records.length; i++) if (time(records[i].metadata) > time(records[newest].metadata)) newest = i;
  const winner = records[newest].metadata;
  for (let i = 0; i < records.length; i++) {
    const m = records[i].metadata;
    if (i === newest) continue;
    // Conflicting metadata: the newer wins, but never silently (a map of another checkout or
    // another runner is more often a mistake in the CI job than a deliberate union).
    for (const key of ['root', 'runner'] as const) {
      if (m[key] !== undefined && winner[key] !== undefined && m[key] !== winner[key]) {
        warnings.push(
          `maps recorded with different ${key}s: ${names[i]} (${key} ${m[key]}) and ${names[newest]} (${key} ${winner[key]}); keeping the metadata of the newer, ${names[newest]}`,
        );
      }
    }
  }

  // Block lines of one input that may not be source lines (a Jest map without the marker) must
  // not ride into the merged map under another input's marker: that input's files drop to file
  // level, and every block left is a source-lines block.
  const untrusted = records.flatMap((r, i) => (r.blocks?.size && blockLinesUntrusted(r.metadata) ? [names[i]] : []));
  const wouldLookTrusted = untrusted.length < records.filter((r) => r.blocks?.size).length || !blockLinesUntrusted({ ...winner, blockLines: undefined });
  if (untrusted.length > 0 && wouldLookTrusted) {
    warnings.push(`block data of ${untrusted.join(', ')} is not marked as source lines: its files fall back to file level in the merged map`);
    records = records.map((r) => (r.blocks?.size && blockLinesUntrusted(r.metadata) ? { ...r, blocks: undefined } : r));
  }
  const builder = new MapBuilder({ ...winner });
  for (const r of records) builder.addRecord(r);
  const merged = builder.build();
  const dated = mergeRecordings(records, names, merged);
  warnings.push(...dated.warnings);
  // Keys keep their place (a merge of one commit writes the same header as before).
  const meta: MapMetadata = { ...merged.metadata, ...dated.metadata };
  for (const key of ['commit', 'timestamp', 'recordings'] as const) if (dated.metadata[key] === undefined) delete meta[key];
  merged.metadata = meta;
  merged.recordingTests = dated.recordingTests;

  const blockSources = new Set(records.flatMap((r) => (r.blocks ? [...r.blocks.keys()] : [])));
  if (blockSources.size > 0) {
    const conflicts: string[] = [];
    let fileLevel = 0;
    for (const source of blockSources) {
      const tables = new Set<string>();
      let withoutBlocks = false;
      for (const r of records) {
        const b = r.blocks?.get(source);
        if (b) tables.add(JSON.stringify(b.blocks));
        else if (r.rows.has(source)) withoutBlocks = true;
      }
      if (tables.size > 1) conflicts.push(source);
      else if (withoutBlocks) fileLevel++;
      else continue;
      merged.blocks?.delete(source);
    }
    if (conflicts.length > 0) {
      const shown = conflicts.slice(0, 5).join(', ') + (conflicts.length > 5 ? `, … (${conflicts.length} in all)` : '');
      warnings.push(`block tables differ between the inputs for ${shown}: those files fall back to file level`);
    }
    if (fileLevel > 0) {
      warnings.push(`${fileLevel} file(s) have block data in one input but only file-level data in another: they fall back to file level`);
    }
    if (merged.blocks?.size === 0) merged.blocks = undefined;
  }
  merged.metadata = { ...merged.metadata, granularity: merged.blocks ? 'block' : 'file' };
  // Every input's blocks are trusted, or none are (then none is marked, the runner is not
  // vitest, and detect says so).
  if (merged.blocks && (untrusted.length === 0 || wouldLookTrusted)) merged.metadata.blockLines = 'source';
  else delete merged.metadata.blockLines;
  return { record: merged, warnings };
}
