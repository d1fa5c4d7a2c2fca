import type { ChangedFile } from '../../changes/types.js';
import type { CoverageMap } from '../../mappings/coverage/types.js';
import type { CandidateGroup, Reason, Strategy, StrategyContext, StrategyResult } from '../types.js';
import { placeText, selectByBlocks } from './blocks.js';

/** Files block data could mean something for: code. A data file read by tests has no blocks. */
const CODE = /\.(?:[cm]?[jt]sx?|vue|svelte|astro)$/;

/**
 * The dynamic map: tests that executed (or read) a changed file, looked up under its new and its
 * old path (a renamed or deleted file is in the map under the name it had). Unless granularity is
 * `file`, a change inside a function (or a branch of one) selects only the tests that executed
 * that block (strategies/blocks.ts); where block data cannot answer, the file's whole row does,
 * and the reason is given once (warnings) and per file (explain).
 */
export const coverageMapStrategy: Strategy<'coverage-map'> = {
  name: 'coverage-map',
  direct: false,
  reasonsName: 'changed-file',
  describe: (r) =>
    // Block level names the place: `src/calc.ts:14-16 (div, if branch)`.
    r.detail && !r.detail.startsWith('map row')
      ? `coverage map: it executed ${r.detail}`
      : `coverage map: it executed or read this file${r.detail && r.detail !== 'map row' ? ` [${r.detail}]` : ''}`,
  select(ctx: StrategyContext): StrategyResult<'coverage-map'> {
    const map = ctx.map;
    if (!map) return { groups: [], explained: [] };
    const groups: CandidateGroup<'coverage-map'>[] = [];
    const explained: string[] = [];
    const fileLevel: Array<{ file: string; why: string }> = [];
    let anyBlocks = false;
    const blockLevel = ctx.granularity !== 'file';
    for (const f of ctx.changes.files) {
      const lookups = f.oldPath && f.oldPath !== f.path ? [f.path, f.oldPath] : [f.path];
      let known = false;
      for (const p of lookups) {
        if (!map.isKnown(p)) continue;
        known = true;
        const detail = p === f.path ? 'map row' : `map row ${p}`;
        // Ranges describe the diff base's version, so only the old-path row (or an in-place
        // edit) can use them, and only when the map saw that same version (not a stale file).
        if (blockLevel && f.status !== 'deleted' && p === (f.oldPath ?? f.path)) {
          const data = map.blocksFor(p);
          if (data) anyBlocks = true;
          let why = whyFileLevel(ctx, f, p, data !== undefined);
          if (!why && data) {
            // Names only here: a file without block data keeps its row as a bitset.
            const tests = map.testsFor(p);
            if (tests.length === 0) continue; // known, never executed: nothing to narrow
            const r = selectByBlocks(tests, data, f.oldRanges!);
            if (!('fallback' in r)) {
              for (const place of r.placements) {
                if (place.block.id === 0) {
                  // Module level: the file's row answers, explained as any file-level row.
                  fileLevel.push({ file: f.path, why: `module level: ${placeText(p, place)}, every test that loaded it` });
                  continue;
                }
                if (place.tests.length > 0) groups.push({ reason: { strategy: 'coverage-map', file: f.path, detail: placeText(p, place) }, tests: place.tests });
              }
              if (r.placements.some((x) => x.block.id === 0)) {
                const group = rowGroup(map, p, { strategy: 'coverage-map', file: f.path, detail });
                if (group) groups.push(group);
              }
              if (r.tests.length === 0)
                fileLevel.push({
                  file: f.path,
                  why: `block level: no recorded test executed ${r.placements.map((x) => placeText(p, x)).join(', ')} (${tests.length} ran the file)`,
                });
              continue;
            }
            why = r.fallback;
          }
          if (why) {
            // The reason stays `map row` (the row answered); why not block level goes to the notes.
            const group = rowGroup(map, p, { strategy: 'coverage-map', file: f.path, detail });
            if (group) {
              groups.push(group);
              fileLevel.push({ file: f.path, why: `file level: ${why}` });
            }
            continue;
          }
        }
        const group = rowGroup(map, p, { strategy: 'coverage-map', file: f.path, detail });
        if (group) groups.push(group);
      }
      if (known) explained.push(f.path);
    }
    return { groups, explained, ...notes(ctx, map, fileLevel, anyBlocks) };
  },
};

/** Why block data cannot narrow this file (undefined: it can, when the map has it). */
function whyFileLevel(ctx: StrategyContext, f: ChangedFile, p: string, hasData: boolean): string | undefined {
  // Its recorded lines describe another version than the diff's old side.
  if (ctx.staleFiles.has(p)) return 'changed since the map was recorded';
  if (!hasData) return CODE.test(p) ? 'no block data recorded for it' : undefined;
  if (ctx.changes.source !== 'git') return 'the changes came from a list of files (no changed lines known)';
  if (!f.oldRanges) return 'no changed lines are known (a rename, mode or binary change)';
  return undefined;
}

/**
 * The warning (once) and the per-file notes for explain. A map with no block data at all (a
 * foreign format, an older or `blocks: false` recording) answers at file level without a word
 * unless `--granularity block` asked for blocks: a format that cannot carry them would otherwise
 * warn on every run. A map that has block data says, per file, why a file got none.
 */
function notes(
  ctx: StrategyContext,
  map: CoverageMap,
  fileLevel: Array<{ file: string; why: string }>,
  anyBlocks: boolean,
): Pick<StrategyResult<'coverage-map'>, 'warnings' | 'fileNotes'> {
  if (ctx.granularity === 'file') return {};
  if (!anyBlocks && map.metadata.granularity !== 'block') {
    if (ctx.granularity !== 'block') return {};
    return {
      warnings: [
        '--granularity block: the coverage map has no block data, so it answers at file level (record it with the Vitest plugin, which keeps block data by default)',
      ],
    };
  }
  const fileNotes = fileLevel.map(({ file, why }) => ({ file, note: why }));
  const fallbacks = fileLevel.filter((x) => x.why.startsWith('file level: '));
  if (fallbacks.length === 0) return { fileNotes };
  const shown = fallbacks.slice(0, 5).map((x) => `${x.file} (${x.why.slice('file level: '.length)})`);
  const more = fallbacks.length > 5 ? `; … (${fallbacks.length - 5} more, see --format explain)` : '';
  return { warnings: [`file level for ${fallbacks.length} changed file(s) where block data could not answer: ${shown.join('; ')}${more}`], fileNotes };
}

/** A map row as a group of integer ids (no names decoded). */
function rowGroup(map: CoverageMap, path: string, reason: Reason<'coverage-map'>): CandidateGroup<'coverage-map'> | undefined {
  const bits = map.testBitsFor(path);
  if (!bits || bits.every((w) => w === 0)) return undefined;
  // The map itself is the table: one table per map, so its rows share one bitset.
  return { reason, bits, table: map };
}
