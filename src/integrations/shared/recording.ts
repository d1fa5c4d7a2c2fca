import { basename, dirname, extname, join } from 'node:path';
import type { Block, TestUniverse } from '../../mappings/coverage/types.js';
import { MapBuilder, writeCoverageMap } from '../../mappings/coverage/index.js';
import { writeTimingReport } from '../../sharding/index.js';
import { normalizeRelative } from '../../util/paths.js';
import { testsiftVersion } from '../../util/version.js';
import { linkBuildOutput } from './build-output.js';
import { headCommit } from './git.js';

/** What a runner integration learned about one test file in one run. Paths repo-relative POSIX. */
export interface TestFileRecord {
  test: string;
  /** Source files the test file executed (outside node_modules). */
  executed: string[];
  /** Files under the root it read with fs at run time. */
  read: string[];
  /**
   * Tracked sources of build output it executed (untracked files, through their source maps:
   * build-output.ts fills it in): edges at file level, whatever block data the sources have.
   */
  viaSourceMaps?: string[];
  /** Block-level data, per source file, when recorded. */
  blocks?: Array<{ source: string; blocks: Block[]; executed: number[] }>;
  /** Full per-file cost in seconds (environment + prepare + collect + setup + tests). */
  seconds: number;
  /**
   * Only its time is known (the recorder did not run for it): it goes to the timing report but
   * not into the map, where a test never recorded is always selected.
   */
  timingOnly?: boolean;
}

/** This job's part of a sharded run (`--shard=index/count`, 1-based). */
export interface ShardRef {
  index: number;
  count: number;
}

export interface WriteRecordingOptions {
  /** Repository root the record paths are relative to (used for `git rev-parse HEAD`). */
  root: string;
  mapPath: string;
  timingsPath: string;
  runner: string;
  runnerVersion?: string;
  /** Known source files the recorder could see (for "known, never executed"). */
  known?: string[];
  /**
   * `source`: the recorder's block lines are lines of the source files as git sees them (mapped
   * through the transform's source map). Without it detect does not narrow by this map's blocks
   * unless the runner is vitest (see mappings/coverage/block-lines.ts).
   */
  blockLines?: 'source';
  /** When set, write the partial files of this shard instead (see {@link shardPartialPath}). */
  shard?: ShardRef;
  /** Commit to record; default: `git rev-parse HEAD` in `root` (absent outside a repository). */
  commit?: string;
  /** Recording time; default now. */
  timestamp?: Date;
  /** The runner's test universe (its include/exclude or testMatch/roots), for detect without `tests:`. */
  universe?: TestUniverse;
  /** Where the recording's notes go (build output linked to its sources); default stderr. */
  log?: (message: string) => void;
  /** Where its warnings go (build output of unknown origin); default stderr. */
  warn?: (message: string) => void;
}

export interface WrittenRecording {
  mapPath: string;
  timingsPath: string;
  tests: number;
  edges: number;
}

/**
 * Name of a shard's partial file: `.testsift/map.json` → `.testsift/map.shard-2-of-4.json`.
 * Every job of a sharded run writes its own file (no two jobs race on one path), and
 * `testsift map merge` / `timings merge` combine them into the complete artifact.
 */
export function shardPartialPath(path: string, shard: ShardRef): string {
  const ext = extname(path);
  const stem = basename(path, ext);
  return join(dirname(path), `${stem}.shard-${shard.index}-of-${shard.count}${ext}`);
}

/**
 * A path we are willing to put in a map: repo-relative, inside the root, not a dependency.
 * Anything else is dropped here as well as in the recorders, so one rule holds for every runner.
 */
function mappable(path: string): string | undefined {
  const p = normalizeRelative(path);
  if (!p || p.startsWith('../') || p === '..' || p.startsWith('/') || /^[A-Za-z]:/.test(p)) return undefined;
  if (p.split('/').includes('node_modules')) return undefined;
  return p;
}

/**
 * Write the map and timing report of one run (or one shard of it), each atomically.
 * Edges are test → every file it executed or read; a record's seconds go to the timing report
 * (a test file seen twice, e.g. in two projects, costs the sum). Block data is kept only for
 * files whose block table is consistent across records (MapBuilder drops conflicting ones).
 */
export async function writeRecording(given: TestFileRecord[], opts: WriteRecordingOptions): Promise<WrittenRecording> {
  // Executed build output (untracked files) becomes edges to its tracked sources, or, of unknown
  // origin, leaves its tests out of the map (always selected): never an edge no diff can reach.
  const linked = linkBuildOutput(given, opts.root);
  const stderr = (m: string): void => void process.stderr.write(`testsift: ${m}\n`);
  for (const m of linked.messages) (m.warning ? (opts.warn ?? stderr) : (opts.log ?? stderr))(m.text);
  const records = linked.records;
  const hasBlocks = records.some((r) => r.blocks && r.blocks.length > 0);
  const commit = opts.commit ?? headCommit(opts.root);
  const version = testsiftVersion();
  const builder = new MapBuilder({
    format: 'native',
    ...(commit ? { commit } : {}),
    timestamp: (opts.timestamp ?? new Date()).toISOString(),
    root: opts.root,
    runner: opts.runner,
    ...(opts.runnerVersion ? { runnerVersion: opts.runnerVersion } : {}),
    granularity: hasBlocks ? 'block' : 'file',
    ...(hasBlocks && opts.blockLines ? { blockLines: opts.blockLines } : {}),
    ...(version ? { testsiftVersion: version } : {}),
    ...(opts.universe ? { universe: opts.universe } : {}),
  });
  const timings = new Map<string, number>();
  let edges = 0;
  for (const r of records) {
    const test = mappable(r.test);
    if (!test) continue;
    const seconds = Number.isFinite(r.seconds) && r.seconds > 0 ? r.seconds : 0;
    timings.set(test, (timings.get(test) ?? 0) + seconds);
    if (r.timingOnly) continue;
    builder.testId(test);
    const withBlocks = new Set<string>();
    for (const b of r.blocks ?? []) {
      const source = mappable(b.source);
      if (!source) continue;
      withBlocks.add(source);
      builder.setBlocks(source, b.blocks);
      builder.addExecutedBlocks(source, test, b.executed);
    }
    const direct = new Set([...r.executed, ...r.read]);
    for (const f of direct) {
      const source = mappable(f);
      if (!source) continue;
      builder.addEdge(source, test);
      edges++;
      // The same test file may be recorded twice (two projects): if one record has no block data
      // for a file, another record's block ids must not stand for both.
      if (hasBlocks && !withBlocks.has(source)) builder.addFileLevel(source, test);
    }
    for (const f of r.viaSourceMaps ?? []) {
      const source = mappable(f);
      if (!source) continue;
      if (!direct.has(f)) {
        builder.addEdge(source, test);
        edges++;
      }
      // Through build output, whose lines are not the source's: file level, even when this test
      // has block data for the source from importing it directly as well.
      if (hasBlocks) builder.addFileLevel(source, test);
    }
  }
  for (const k of opts.known ?? []) {
    const source = mappable(k);
    if (source) builder.addKnown(source);
  }
  const mapPath = opts.shard ? shardPartialPath(opts.mapPath, opts.shard) : opts.mapPath;
  const timingsPath = opts.shard ? shardPartialPath(opts.timingsPath, opts.shard) : opts.timingsPath;
  // Round to milliseconds: finer digits are noise and only make the artifact churn.
  const rounded = new Map([...timings].map(([k, v]) => [k, Math.round(v * 1000) / 1000]));
  await writeCoverageMap(mapPath, builder.build());
  await writeTimingReport(timingsPath, rounded);
  return { mapPath, timingsPath, tests: timings.size, edges };
}
