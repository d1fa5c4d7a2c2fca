import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import inspector from 'node:inspector';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { Block } from '../../mappings/coverage/types.js';
import { writeRecording, type TestFileRecord } from '../shared/recording.js';
import { ALL_STARTED, DEFAULT_MAP_PATH, DEFAULT_TIMINGS_PATH, ENV, envSwitch, envValue } from './env.js';
import { executedFromIstanbul, executedFromV8, type IstanbulFileData, type V8CoverageEntry } from './executed-sources.js';
import { majorOf, runningJestVersion } from './jest-version.js';
import { secondsOf, type PerfStatsLike } from './perf-seconds.js';
import { BlockTables, type BlockHit } from './block-tables.js';
import { CodeStore, hitsFromJestV8, type JestV8Entry } from './jest-v8-blocks.js';
import { loadJsParser, loadSourceParser } from './js-parser.js';
import { istanbulBlocks, sourceTable, type IstanbulBlocks, type IstanbulCoverage, type SourceTable } from './istanbul-blocks.js';
import { collectWorkerRecords, type WorkerRecord } from './v8-records.js';
import { collectReads } from './reads-exchange.js';
import { repoRelative, resolveRoot } from './root.js';
import { partialRunReasons, refuseToRecord, type RunScopeConfig } from './run-scope.js';
import { staticDependencies, type StaticContextLike } from './static-deps.js';
import { readSelection } from '../shared/selection.js';
import { jestUniverse, type JestProjectConfigLike } from './universe.js';
import { readChildCoverage, unfollowedWarning, type ChildRecord } from '../shared/child-coverage.js';

/** Options in `reporters: [['testsift/jest/reporter', { … }]]`; the env vars win over them. */
export interface TestsiftReporterOptions {
  /** Record map and timings (or TESTSIFT_RECORD=1). */
  record?: boolean;
  /** Map output, relative to Jest's rootDir (or TESTSIFT_MAP_OUT / TESTSIFT_MAP, relative to the cwd). */
  map?: string;
  /** Timing report output, relative to rootDir (or TESTSIFT_TIMINGS_OUT, relative to the cwd). */
  timings?: string;
  /**
   * Record function-level blocks, in source lines via the transformer's source maps. Default: on
   * Jest 30+, off on Jest 29 (call counts cost more there). TESTSIFT_GRANULARITY=block|file wins.
   */
  blocks?: boolean;
  /**
   * With `blocks`: also the blocks inside functions (if/else arms, loop bodies, code after an early
   * exit), from V8's block counts (or TESTSIFT_BRANCHES=1). Default false: functions only, which
   * costs less (V8's per-file take about halves).
   */
  branches?: boolean;
}

/** The parts of Jest's global config we read (29 and 30). */
interface GlobalConfigLike extends RunScopeConfig {
  rootDir: string;
  collectCoverage?: boolean;
  coverageProvider?: string;
  shard?: { shardIndex: number; shardCount: number } | null;
  workerIdleMemoryLimit?: unknown;
}

interface TestLike {
  path: string;
  context?: StaticContextLike & { config?: { id?: string } };
}

interface TestResultLike {
  testFilePath: string;
  perfStats?: PerfStatsLike;
  coverage?: Record<string, IstanbulFileData>;
  v8Coverage?: V8CoverageEntry[];
  testExecError?: unknown;
}

interface FileOutcome {
  test: string;
  seconds: number;
  /** Files executed according to Jest's own coverage, when it is on (added to the recorder's). */
  executed: string[];
  seen: string[];
  hadCoverage: boolean;
  failedToRun: boolean;
  /** Jest's context of the file, for the static-require fallback when there is no coverage. */
  context: StaticContextLike | undefined;
  /** Block data from Jest's istanbul coverage (babel provider), per absolute source file it executed. */
  istanbul?: Map<string, IstanbulBlocks>;
  /** Block hits from Jest's V8 coverage (v8 provider), as the worker recorder would write them. */
  v8Hits?: BlockHit[];
}

/**
 * `testsift/jest/reporter`: records, per test file, the repo files it executed and read and its
 * duration; writes the map and timing report at the end of the run (atomically;
 * `.shard-i-of-n` partial files under `--shard`). What a file executed comes from the recorder
 * that `testsift/jest/setup` starts in each worker (V8 function counts, see v8-recorder.cts), so
 * Jest's coverage is not needed; when the user has it on, what it saw is added, and block data
 * comes from it (istanbul-blocks.ts for the babel provider, jest-v8-blocks.ts for v8). Records only when
 * asked to: TESTSIFT_RECORD=1 or `{ record: true }` (a set TESTSIFT_RECORD wins, so `0` turns
 * it off). Paths are relative to the git top level (see root.ts).
 */
export default class TestsiftJestReporter {
  private readonly recording: boolean;
  private readonly root: string;
  private readonly mapPath: string;
  private readonly timingsPath: string;
  private readonly coverageOn: boolean;
  private readonly blocks: boolean;
  private readonly branches: boolean;
  private readonly shard: { index: number; count: number } | undefined;
  private readonly readsDir: string | undefined;
  /** Where test files' child processes write their V8 coverage (shared/child-spawns.ts). */
  private readonly childDir: string | undefined;
  /** The run's own NODE_V8_COVERAGE (c8 around Jest), before a test file in band replaces it. */
  private readonly userCoverageDir = process.env.NODE_V8_COVERAGE;
  private readonly jestV8: boolean = false;
  private readonly globalConfig: GlobalConfigLike;
  private readonly started = new Map<string, number>();
  private readonly outcomes = new Map<string, FileOutcome>();
  /** Source file → its parsed block table (or why not), for block data from istanbul coverage. */
  private readonly sourceTables = new Map<string, SourceTable | { reason: string }>();
  private sourceParser: ((code: string, file: string) => unknown) | null | undefined;
  /** Code of Jest's V8 takes, written into the exchange folder for the block tables. */
  private codeStore: CodeStore | undefined;
  private jestMajor: number | null | undefined;
  private lastError: Error | undefined;
  /** Test files in the run (onRunStart), to tell the workers when the last has been handed out. */
  private totalFiles: number | undefined;
  private allStarted = false;

  constructor(globalConfig: GlobalConfigLike, options: TestsiftReporterOptions = {}) {
    const env = process.env;
    this.globalConfig = globalConfig;
    this.recording = envSwitch(env, ENV.record) ?? options.record === true;
    this.root = resolveRoot(globalConfig.rootDir);
    this.mapPath = outputPath(envValue(env, ENV.mapOut) ?? envValue(env, ENV.mapOutAlias), options.map, globalConfig.rootDir, join(this.root, DEFAULT_MAP_PATH));
    this.timingsPath = outputPath(envValue(env, ENV.timingsOut), options.timings, globalConfig.rootDir, join(this.root, DEFAULT_TIMINGS_PATH));
    this.coverageOn = globalConfig.collectCoverage === true;
    const granularity = envValue(env, ENV.granularity);
    // Block data by default on Jest 30+ (binary coverage, a take per 16 files); Jest 29 needs call
    // counts (docs/performance.md), so it records file level unless asked.
    this.blocks = granularity ? granularity === 'block' : (options.blocks ?? (this.jestMajorVersion() ?? 0) >= 30);
    this.branches = this.blocks && (envSwitch(env, ENV.branches) ?? options.branches ?? false);
    const s = globalConfig.shard;
    this.shard = s && s.shardCount > 1 ? { index: s.shardIndex, count: s.shardCount } : undefined;
    if (!this.recording) return;
    // Setup files run in worker processes, which Jest starts after reporters exist and which
    // inherit this process's env: that is how they learn where to put their reads.
    const readsDir = mkdtempSync(join(tmpdir(), 'testsift-jest-reads-'));
    this.readsDir = readsDir;
    process.once('exit', () => rmSync(readsDir, { recursive: true, force: true }));
    env[ENV.readsDir] = readsDir;
    const childDir = mkdtempSync(join(tmpdir(), 'testsift-children-'));
    this.childDir = childDir;
    process.once('exit', () => rmSync(childDir, { recursive: true, force: true }));
    env[ENV.childDir] = childDir;
    env[ENV.readsRoot] = this.root;
    env[ENV.recordBlocks] = this.blocks ? '1' : '0';
    env[ENV.recordBranches] = this.branches ? '1' : '0';
    // Jest's v8 provider owns V8's coverage state (a take resets its counters): use its data then.
    this.jestV8 = this.coverageOn && globalConfig.coverageProvider === 'v8';
    env[ENV.recordV8] = this.jestV8 ? '0' : '1';
    // Jest restarts a worker over its memory limit with a signal between test files: no exit
    // handler runs, and its pending batch would stay at file level. A take per file there.
    if (globalConfig.workerIdleMemoryLimit !== undefined && globalConfig.workerIdleMemoryLimit !== null) env[ENV.batchFiles] = '1';
  }

  onRunStart(results?: { numTotalTestSuites?: number }): void {
    if (this.recording && typeof results?.numTotalTestSuites === 'number') this.totalFiles = results.numTotalTestSuites;
  }

  onTestFileStart(test: TestLike): void {
    if (!this.recording) return;
    this.started.set(keyOf(test), Date.now());
    if (!this.allStarted && this.readsDir && this.totalFiles !== undefined && this.started.size >= this.totalFiles) {
      // Jest emits this before it hands the file to a worker: every worker's batch is then taken
      // at its current file's teardown, not left to its exit (see v8-recorder.cts, closeBatched()).
      this.allStarted = true;
      try {
        writeFileSync(join(this.readsDir, ALL_STARTED), '');
      } catch {
        /* the exit handler still takes the batch */
      }
    }
  }

  /** Jest 29 name of the same hook (the dispatcher calls only one of the two). */
  onTestStart(test: TestLike): void {
    this.onTestFileStart(test);
  }

  onTestFileResult(test: TestLike, result: TestResultLike): void {
    if (!this.recording) return;
    const key = keyOf(test);
    const fromV8 = result.v8Coverage !== undefined;
    const { executed, seen } = fromV8 ? executedFromV8(result.v8Coverage) : executedFromIstanbul(result.coverage);
    // Read now, not kept: a run's coverage objects are large.
    const istanbul = this.blocks && !fromV8 && result.coverage ? this.istanbulBlocksOf(result, executed) : undefined;
    const v8Hits = this.blocks && fromV8 ? this.jestV8Hits(result) : undefined;
    this.outcomes.set(key, {
      test: result.testFilePath || test.path,
      seconds: secondsOf(result.perfStats, this.started.get(key), Date.now()),
      executed,
      seen,
      hadCoverage: fromV8 || result.coverage !== undefined,
      failedToRun: result.testExecError !== undefined && result.testExecError !== null,
      context: test.context,
      ...(istanbul ? { istanbul } : {}),
      ...(v8Hits ? { v8Hits } : {}),
    });
  }

  /** Block hits of a test file from Jest's V8 take (see jest-v8-blocks.ts); none on failure. */
  /** The running Jest's major version (null when it cannot be told), looked up once. */
  private jestMajorVersion(): number | null {
    return (this.jestMajor ??= majorOf(runningJestVersion(this.root)) ?? null);
  }

  private jestV8Hits(result: TestResultLike): BlockHit[] | undefined {
    if (!this.readsDir) return undefined;
    try {
      this.codeStore ??= new CodeStore(this.readsDir);
      // Jest 30 runs a module without a wrapper before it; Jest 29 gives its wrapper's length.
      const major = this.jestMajorVersion();
      const header = major !== null && major >= 30 ? 0 : undefined;
      return hitsFromJestV8(result.v8Coverage as JestV8Entry[] | undefined, result.testFilePath, this.codeStore, this.branches, header);
    } catch {
      return undefined;
    }
  }

  /**
   * Block data of the sources a test file executed, from its istanbul coverage (see
   * istanbul-blocks.ts). Computed as each result arrives, so the coverage objects are not kept.
   */
  private istanbulBlocksOf(result: TestResultLike, executed: string[]): Map<string, IstanbulBlocks> {
    const out = new Map<string, IstanbulBlocks>();
    const byFile = new Map<string, IstanbulCoverage>();
    for (const [k, v] of Object.entries(result.coverage ?? {})) {
      const data = ((v as { data?: unknown }).data ?? v) as IstanbulCoverage & { path?: string };
      byFile.set(data.path ?? k, data);
    }
    for (const file of executed) {
      const fc = byFile.get(file);
      if (!fc || file === result.testFilePath) continue;
      try {
        const table = this.sourceTableOf(file);
        out.set(file, 'reason' in table ? table : istanbulBlocks(fc, table, file));
      } catch (err) {
        out.set(file, { reason: `its coverage could not be read (${(err as Error).message})` });
      }
    }
    return out;
  }

  private sourceTableOf(file: string): SourceTable | { reason: string } {
    let t = this.sourceTables.get(file);
    if (!t) {
      if (this.sourceParser === undefined) this.sourceParser = loadSourceParser(this.globalConfig.rootDir) ?? null;
      const parse = this.sourceParser;
      if (!parse) t = { reason: 'no JavaScript parser found (@babel/parser, which Jest depends on)' };
      else {
        let text: string | undefined;
        try {
          text = readFileSync(file, 'utf8');
        } catch (err) {
          t = { reason: `cannot read it: ${(err as Error).message}` };
        }
        if (text !== undefined) t = sourceTable(text, (code) => parse(code, file), this.branches);
      }
      this.sourceTables.set(file, t!);
    }
    return t!;
  }

  onTestResult(test: TestLike, result: TestResultLike): void {
    this.onTestFileResult(test, result);
  }

  async onRunComplete(contexts?: Iterable<{ config?: JestProjectConfigLike }>, results?: { wasInterrupted?: boolean }): Promise<void> {
    if (!this.recording) return;
    try {
      // In band, the recorder (v8-recorder.cts) runs in this process and the last test files'
      // block data is still in its pending batch (a worker takes it as it exits).
      (inspector as unknown as Record<symbol, { flush?: (atExit: boolean) => void } | undefined>)[Symbol.for('testsift.jest.v8')]?.flush?.(false);
      // A cut-short run (--bail, Ctrl-C) would replace a complete map with a partial one.
      const refusal = results?.wasInterrupted ? 'an interrupted run (--bail or a signal)' : refuseToRecord(this.globalConfig);
      if (refusal) {
        process.stderr.write(`testsift: ${refusal} is active: not writing the map or timings\n`);
        return;
      }
      const reads = this.readsDir ? collectReads(this.readsDir) : new Map<string, Set<string>>();
      const workerRecords = this.readsDir ? collectWorkerRecords(this.readsDir) : new Map<string, WorkerRecord>();
      // Project code outside Jest's module registry (a test environment or resolver in the repo)
      // is compiled once per worker and may run for every test file, including those a worker
      // ran before V8 first saw it: every recorded test file gets it.
      const outside = new Set([...workerRecords.values()].flatMap((r) => r.outside ?? []));
      // Children may outlive their test file: their coverage is read only now.
      const children = this.childDir ? readChildCoverage(this.childDir, this.userCoverageDir) : new Map<string, ChildRecord>();
      // In band (-i), the setup file pointed this process's NODE_V8_COVERAGE at a test's folder.
      if (this.userCoverageDir === undefined) delete process.env.NODE_V8_COVERAGE;
      else process.env.NODE_V8_COVERAGE = this.userCoverageDir;
      const unfollowed: Array<{ test: string; commands: string[] }> = [];
      const tables = this.blocks && this.readsDir ? new BlockTables(this.readsDir, loadJsParser(this.globalConfig.rootDir)) : undefined;
      const records: TestFileRecord[] = [];
      const known = new Set<string>();
      const rel = (abs: string): string | undefined => repoRelative(this.root, abs);
      const fallbacks: string[] = [];
      const unrecorded: string[] = [];
      const closedEarly: string[] = [];
      const fromIstanbul = this.istanbulTables();
      for (const o of this.outcomes.values()) {
        const test = rel(o.test);
        if (!test) continue;
        const kids = children.get(o.test);
        if (kids && kids.unfollowed.length > 0) {
          // It started a Node program whose run left no coverage: what it depends on is unknown.
          unfollowed.push({ test, commands: kids.unfollowed });
          records.push({ test, executed: [], read: [], seconds: o.seconds, timingOnly: true });
          continue;
        }
        let rec: WorkerRecord | undefined = workerRecords.get(o.test);
        const unhooked = rec?.closedBy === 'afterAll';
        if (unhooked) {
          // The recorder could not hook Jest's runtime (a Jest it does not know): it cannot tell
          // what the file loaded, so the record is not used.
          closedEarly.push(test);
          rec = undefined;
        }
        const executedAbs = new Set<string>([...o.executed, ...(kids?.executed ?? [])]);
        for (const f of rec?.executed ?? []) executedAbs.add(f);
        if (rec) for (const f of outside) executedAbs.add(f);
        if (o.failedToRun || (!rec && !o.hadCoverage)) {
          if (!o.failedToRun) {
            // Its tests ran but nothing recorded them (the setup file is not in this project's
            // setupFilesAfterEnv): left out of the map, so detect always selects it.
            if (!unhooked) unrecorded.push(test);
            records.push({ test, executed: [], read: [], seconds: o.seconds, timingOnly: true });
            continue;
          }
          // It crashed (at import, say): what it would have loaded stands in too, so a change to
          // what it requires still selects it.
          fallbacks.push(test);
          for (const f of staticDependencies(o.context, o.test, this.root)) executedAbs.add(f);
        }
        // Its own edge only when it crashed (as its static requires have always listed it).
        if (!o.failedToRun) executedAbs.delete(o.test);
        const executed = [...executedAbs]
          .map(rel)
          .filter((p): p is string => p !== undefined)
          .sort();
        const read = [...(reads.get(o.test) ?? [])].map(rel).filter((p): p is string => p !== undefined && p !== test);
        for (const f of [...o.seen.map(rel), ...executed, ...read]) if (f) known.add(f);
        let blocks: TestFileRecord['blocks'];
        if (tables && rec?.blocks) blocks = this.blocksOf(rec.test, rec.blocks, tables, rel, fromIstanbul.instrumented);
        if (tables && o.v8Hits && o.v8Hits.length > 0) blocks = [...(blocks ?? []), ...this.blocksOf(o.test, o.v8Hits, tables, rel, fromIstanbul.instrumented)];
        for (const [file, data] of o.istanbul ?? []) {
          const source = rel(file);
          if (!source || !('blocks' in data) || fromIstanbul.dropped.has(file) || file === o.test) continue;
          (blocks ??= []).push({ source, blocks: data.blocks, executed: data.executed });
        }
        // Blocks say what ran in this worker only: a source a child also ran has no block data (⇒ run).
        if (blocks && kids && kids.executed.size > 0) {
          const childRan = new Set([...kids.executed].map(rel));
          blocks = blocks.filter((b) => !childRan.has(b.source));
        }
        // Transformer work belongs to no test: ts-jest's start-up would land on each worker's first file.
        const seconds = Math.max(0, o.seconds - (rec?.transformMs ?? 0) / 1000);
        records.push({ test, executed, read, seconds, ...(blocks && blocks.length > 0 ? { blocks } : {}) });
      }
      if (unfollowed.length > 0) process.stderr.write(`testsift: ${unfollowedWarning(unfollowed)}\n`);
      if (fallbacks.length > 0) {
        process.stderr.write(
          `testsift: ${fallbacks.length} test file(s) failed to run; mapped by what they loaded, their static requires and reads: ${fallbacks.join(', ')}\n`,
        );
      }
      const dropped = new Map([...(tables?.dropped ?? []), ...fromIstanbul.dropped]);
      if (this.blocks) {
        for (const [file, reason] of [...dropped].sort(([a], [b]) => (a < b ? -1 : 1))) {
          process.stderr.write(`testsift: no block data for ${rel(file) ?? file} (file level): ${reason}\n`);
        }
      }
      if (closedEarly.length > 0) {
        process.stderr.write(
          `testsift: the recorder could not hook this Jest's runtime (is this Jest version supported?); ` +
            `${closedEarly.length} test file(s) mapped by Jest's coverage where it is on, else left out of the map (always selected)\n`,
        );
      }
      // A recording run that records nothing must not end green with a map that knows nothing.
      const nothing = records.length > 0 && records.every((r) => r.timingOnly);
      if (unrecorded.length > 0) {
        const message =
          `the recorder did not run for ${unrecorded.length} test file(s) whose tests ran: ` +
          `add testsift/jest/setup to setupFilesAfterEnv (withTestsift() does)${nothing ? '' : `; left out of the map, so they are always selected: ${unrecorded.join(', ')}`}`;
        if (nothing) throw new Error(message);
        process.stderr.write(`testsift: ${message}\n`);
      }
      if (nothing) throw new Error('no test file could be recorded: not writing the map');
      const partial = partialRunReasons(this.globalConfig, selectionIsSelective());
      if (partial.length > 0) {
        process.stderr.write(
          `testsift: recorded a partial run (${partial.join(', ')}): the map covers only the files that ran. ` +
            'Record full runs, or merge this map into the previous one (testsift map merge OLD NEW --output OLD)\n',
        );
      }
      if (records.length === 0) {
        // Jest failed before any test file ran (a transformer that does not load, say): an empty
        // map would replace a good one with one that knows nothing.
        throw new Error('no test file ran: not writing the map or timings');
      }
      records.sort((a, b) => (a.test < b.test ? -1 : a.test > b.test ? 1 : 0));
      const written = await writeRecording(records, {
        root: this.root,
        mapPath: this.mapPath,
        timingsPath: this.timingsPath,
        runner: 'jest',
        ...optional('runnerVersion', runningJestVersion(this.root)),
        known: [...known].sort(),
        ...(this.shard ? { shard: this.shard } : {}),
        universe: projectUniverse(contexts, this.root),
        // Block tables are built from the code Jest ran and mapped to the source's own lines
        // through the transformer's source map; a file whose map cannot be trusted has none.
        blockLines: 'source',
      });
      process.stderr.write(`testsift: recorded ${written.tests} test files, ${written.edges} edges → ${written.mapPath}, ${written.timingsPath}\n`);
    } catch (err) {
      this.lastError = err instanceof Error ? err : new Error(String(err));
      process.stderr.write(`testsift: recording failed: ${this.lastError.message}\n`);
    } finally {
      // Watch mode runs again with this reporter: start the next run clean, keep the folder.
      this.outcomes.clear();
      this.started.clear();
      this.sourceTables.clear();
      this.codeStore = undefined;
      if (this.readsDir) clearFolder(this.readsDir);
      if (this.childDir) rmSync(this.childDir, { recursive: true, force: true });
    }
  }

  /**
   * Block data of one test file: per source, the blocks it ran, when every run of the file in
   * this test could be matched to the source's table (else the file stays at file level).
   */
  private blocksOf(
    test: string,
    hits: readonly BlockHit[],
    tables: BlockTables,
    rel: (abs: string) => string | undefined,
    instrumented: ReadonlySet<string>,
  ): NonNullable<TestFileRecord['blocks']> {
    const bySource = new Map<string, { blocks: Block[]; executed: Set<number> } | null>();
    for (const hit of hits) {
      // Code babel-plugin-istanbul instrumented: the V8 view is of the instrumented code, its block data comes from istanbul's counters.
      if (hit.file === test || instrumented.has(hit.file)) continue;
      const got = tables.blocksOf(hit);
      const prev = bySource.get(hit.file);
      if (!got || prev === null || (prev && JSON.stringify(prev.blocks) !== JSON.stringify(got.blocks))) {
        bySource.set(hit.file, null);
        continue;
      }
      if (prev) for (const id of got.executed) prev.executed.add(id);
      else bySource.set(hit.file, { blocks: got.blocks, executed: new Set(got.executed) });
    }
    const out: NonNullable<TestFileRecord['blocks']> = [];
    for (const [file, b] of bySource) {
      const source = rel(file);
      if (b && source) out.push({ source, blocks: b.blocks, executed: [...b.executed].sort((x, y) => x - y) });
    }
    return out;
  }

  /**
   * The sources Jest's istanbul coverage covered in this run (their V8 block hits are of
   * instrumented code: not used), and those whose istanbul block data some test file could not
   * give (file level for every test: one table per source, or none). A source whose tables
   * differ between test files (it changed during the run) is dropped too.
   */
  private istanbulTables(): { instrumented: Set<string>; dropped: Map<string, string> } {
    const instrumented = new Set<string>();
    const dropped = new Map<string, string>();
    if (!this.coverageOn || this.jestV8) return { instrumented, dropped };
    const tables = new Map<string, Block[]>();
    for (const o of this.outcomes.values()) {
      for (const f of o.seen) instrumented.add(f);
      for (const [file, data] of o.istanbul ?? []) {
        if (dropped.has(file)) continue;
        if ('reason' in data) {
          dropped.set(file, data.reason);
          continue;
        }
        // One parse per source per run: the same table object, unless compared as text.
        const prev = tables.get(file);
        if (prev === undefined) tables.set(file, data.blocks);
        else if (prev !== data.blocks && JSON.stringify(prev) !== JSON.stringify(data.blocks)) {
          dropped.set(file, 'its blocks differ between test files (did it change during the run?)');
        }
      }
    }
    return { instrumented, dropped };
  }

  /** Jest turns this into a failed run: a recording job that wrote nothing must not look green. */
  getLastError(): Error | undefined {
    return this.lastError;
  }
}

/**
 * Whether TESTSIFT_SELECT narrows this run. An unusable selection runs everything (the filter
 * says so), so it does not; a path mismatch the filter widened still counts, which only adds
 * the "partial run" note.
 */
function selectionIsSelective(): boolean {
  const raw = envValue(process.env, ENV.select);
  if (!raw) return false;
  return readSelection(raw, { cwd: process.cwd() }).mode === 'selective';
}

/** Something else may have removed the folder (a tmp cleaner): the map is written by then. */
function clearFolder(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) rmSync(join(dir, name), { force: true });
}

function keyOf(test: TestLike): string {
  return `${test.context?.config?.id ?? ''}\u0000${test.path}`;
}

function outputPath(fromEnv: string | undefined, fromOption: string | undefined, rootDir: string, fallback: string): string {
  if (fromEnv) return isAbsolute(fromEnv) ? fromEnv : resolve(process.cwd(), fromEnv);
  if (fromOption) return isAbsolute(fromOption) ? fromOption : resolve(rootDir, fromOption);
  return fallback;
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: string });
}

/** Every project's testMatch/testRegex/roots, from the contexts Jest passes (none: no universe). */
function projectUniverse(contexts: Iterable<{ config?: JestProjectConfigLike }> | undefined, root: string): ReturnType<typeof jestUniverse> {
  const configs: JestProjectConfigLike[] = [];
  for (const c of contexts ?? []) if (c?.config) configs.push(c.config);
  return jestUniverse(configs, root);
}
