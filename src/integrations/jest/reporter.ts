import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { Block } from '../../mappings/coverage/types.js';
import { writeRecording, shardPartialPath, type TestFileRecord } from '../shared/recording.js';
import { writeTimingReport } from '../../sharding/index.js';
import { DEFAULT_MAP_PATH, DEFAULT_TIMINGS_PATH, ENV, envSwitch, envValue } from './env.js';
import { executedFromIstanbul, executedFromV8, type IstanbulFileData, type V8CoverageEntry } from './executed-sources.js';
import { runningJestVersion } from './jest-version.js';
import { secondsOf, type PerfStatsLike } from './perf-seconds.js';
import { blocksFromIstanbul } from './istanbul-blocks.js';
import { collectReads } from './reads-exchange.js';
import { repoRelative, resolveRoot } from './root.js';
import { partialRunReasons, refuseToRecord, type RunScopeConfig } from './run-scope.js';
import { staticDependencies, type StaticContextLike } from './static-deps.js';
import { readSelection } from '../shared/selection.js';

/** Options in `reporters: [['testsift/jest/reporter', { … }]]`; the env vars win over them. */
export interface TestsiftReporterOptions {
  /** Record map and timings (or TESTSIFT_RECORD=1). */
  record?: boolean;
  /** Map output, relative to Jest's rootDir (or TESTSIFT_MAP_OUT / TESTSIFT_MAP, relative to the cwd). */
  map?: string;
  /** Timing report output, relative to rootDir (or TESTSIFT_TIMINGS_OUT, relative to the cwd). */
  timings?: string;
  /** Also record function-level blocks (or TESTSIFT_GRANULARITY=block); istanbul (babel) coverage only. */
  blocks?: boolean;
}

/** The parts of Jest's global config we read (29 and 30). */
interface GlobalConfigLike extends RunScopeConfig {
  rootDir: string;
  collectCoverage?: boolean;
  coverageProvider?: string;
  shard?: { shardIndex: number; shardCount: number } | null;
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
  executed: string[];
  /** Absolute source path → block table and executed block ids, when recording blocks. */
  blocks: Array<{ source: string; blocks: Block[]; executed: number[] }>;
  seen: string[];
  hadCoverage: boolean;
  failedToRun: boolean;
  /** Jest's context of the file, for the static-require fallback when there is no coverage. */
  context: StaticContextLike | undefined;
}

/**
 * `testsift/jest/reporter`: records, per test file, the repo files it executed (from the coverage
 * Jest already hands reporters: istanbul `testResult.coverage`, or `v8Coverage`) and read (from
 * `testsift/jest/setup`), and its duration; writes the map and timing report at the end of the
 * run (atomically; `.shard-i-of-n` partial files under `--shard`). Records only when asked to:
 * TESTSIFT_RECORD=1 or `{ record: true }` (a set TESTSIFT_RECORD wins, so `0` turns it off).
 * Paths are relative to the git top level (see root.ts).
 */
export default class TestsiftJestReporter {
  private readonly recording: boolean;
  private readonly root: string;
  private readonly mapPath: string;
  private readonly timingsPath: string;
  private readonly coverageOn: boolean;
  private readonly blocks: boolean;
  private readonly shard: { index: number; count: number } | undefined;
  private readonly readsDir: string | undefined;
  private readonly globalConfig: GlobalConfigLike;
  private readonly started = new Map<string, number>();
  private readonly outcomes = new Map<string, FileOutcome>();
  private lastError: Error | undefined;

  constructor(globalConfig: GlobalConfigLike, options: TestsiftReporterOptions = {}) {
    const env = process.env;
    this.globalConfig = globalConfig;
    this.recording = envSwitch(env, ENV.record) ?? options.record === true;
    this.root = resolveRoot(globalConfig.rootDir);
    this.mapPath = outputPath(envValue(env, ENV.mapOut) ?? envValue(env, ENV.mapOutAlias), options.map, globalConfig.rootDir, join(this.root, DEFAULT_MAP_PATH));
    this.timingsPath = outputPath(envValue(env, ENV.timingsOut), options.timings, globalConfig.rootDir, join(this.root, DEFAULT_TIMINGS_PATH));
    this.coverageOn = globalConfig.collectCoverage === true;
    const granularity = envValue(env, ENV.granularity);
    this.blocks = granularity ? granularity === 'block' : options.blocks === true;
    const s = globalConfig.shard;
    this.shard = s && s.shardCount > 1 ? { index: s.shardIndex, count: s.shardCount } : undefined;
    if (!this.recording) return;
    if (!this.coverageOn) {
      process.stderr.write(
        'testsift: Jest coverage is off, so the test→source map cannot be recorded (timings are). ' +
          'Run with --coverage, set collectCoverage: true, or wrap the config in withTestsift() from testsift/jest.\n',
      );
    }
    // Setup files run in worker processes, which Jest starts after reporters exist and which
    // inherit this process's env: that is how they learn where to put their reads.
    const readsDir = mkdtempSync(join(tmpdir(), 'testsift-jest-reads-'));
    this.readsDir = readsDir;
    process.once('exit', () => rmSync(readsDir, { recursive: true, force: true }));
    env[ENV.readsDir] = readsDir;
    env[ENV.readsRoot] = this.root;
  }

  onTestFileStart(test: TestLike): void {
    if (this.recording) this.started.set(keyOf(test), Date.now());
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
    const blocks: FileOutcome['blocks'] = [];
    if (this.blocks && !fromV8) {
      for (const file of executed) {
        const b = blocksFromIstanbul(result.coverage?.[file]);
        if (b) blocks.push({ source: file, ...b });
      }
    }
    this.outcomes.set(key, {
      test: result.testFilePath || test.path,
      seconds: secondsOf(result.perfStats, this.started.get(key), Date.now()),
      executed,
      blocks,
      seen,
      hadCoverage: fromV8 || result.coverage !== undefined,
      failedToRun: result.testExecError !== undefined && result.testExecError !== null,
      context: test.context,
    });
  }

  onTestResult(test: TestLike, result: TestResultLike): void {
    this.onTestFileResult(test, result);
  }

  async onRunComplete(_contexts?: unknown, results?: { wasInterrupted?: boolean }): Promise<void> {
    if (!this.recording) return;
    try {
      // A cut-short run (--bail, Ctrl-C) would replace a complete map with a partial one.
      const refusal = results?.wasInterrupted ? 'an interrupted run (--bail or a signal)' : refuseToRecord(this.globalConfig);
      if (refusal) {
        process.stderr.write(`testsift: ${refusal} is active: not writing the map or timings\n`);
        return;
      }
      const reads = this.readsDir ? collectReads(this.readsDir) : new Map<string, Set<string>>();
      const records: TestFileRecord[] = [];
      const known = new Set<string>();
      const rel = (abs: string): string | undefined => repoRelative(this.root, abs);
      const fallbacks: string[] = [];
      for (const o of this.outcomes.values()) {
        const test = rel(o.test);
        if (!test) continue;
        // No coverage (the file crashed before reporting any): its literal requires stand in, so
        // a change to what it loads still selects it.
        const fallback = this.coverageOn && !o.hadCoverage;
        if (fallback) fallbacks.push(`${test}${o.failedToRun ? ' (failed to run)' : ''}`);
        const executedAbs = fallback ? staticDependencies(o.context, o.test, this.root) : o.executed;
        const executed = executedAbs.map(rel).filter((p): p is string => p !== undefined);
        const read = [...(reads.get(o.test) ?? [])].map(rel).filter((p): p is string => p !== undefined && p !== test);
        for (const f of [...o.seen.map(rel), ...executed, ...read]) if (f) known.add(f);
        const blocks = o.blocks.flatMap((b) => {
          const source = rel(b.source);
          return source ? [{ source, blocks: b.blocks, executed: b.executed }] : [];
        });
        records.push({ test, executed, read, seconds: o.seconds, ...(blocks.length > 0 ? { blocks } : {}) });
      }
      if (fallbacks.length > 0) {
        process.stderr.write(`testsift: no coverage for ${fallbacks.length} test file(s); mapped by their static requires and reads: ${fallbacks.join(', ')}\n`);
      }
      const partial = partialRunReasons(this.globalConfig, selectionIsSelective());
      if (partial.length > 0) {
        process.stderr.write(
          `testsift: recorded a partial run (${partial.join(', ')}): the map covers only the files that ran. ` +
            'Record full runs, or merge this map into the previous one (testsift map merge OLD NEW --output OLD)\n',
        );
      }
      records.sort((a, b) => (a.test < b.test ? -1 : a.test > b.test ? 1 : 0));
      if (this.coverageOn) {
        const written = await writeRecording(records, {
          root: this.root,
          mapPath: this.mapPath,
          timingsPath: this.timingsPath,
          runner: 'jest',
          ...optional('runnerVersion', runningJestVersion(this.root)),
          known: [...known].sort(),
          ...(this.shard ? { shard: this.shard } : {}),
        });
        process.stderr.write(`testsift: recorded ${written.tests} test files, ${written.edges} edges → ${written.mapPath}, ${written.timingsPath}\n`);
      } else {
        const path = this.shard ? shardPartialPath(this.timingsPath, this.shard) : this.timingsPath;
        // Like writeRecording: a file run by two projects costs the sum.
        const timings = new Map<string, number>();
        for (const r of records) timings.set(r.test, (timings.get(r.test) ?? 0) + r.seconds);
        for (const [k, v] of timings) timings.set(k, Math.round(v * 1000) / 1000);
        await writeTimingReport(path, timings);
        process.stderr.write(`testsift: recorded timings of ${records.length} test files → ${path} (no map: coverage is off)\n`);
      }
    } catch (err) {
      this.lastError = err instanceof Error ? err : new Error(String(err));
      process.stderr.write(`testsift: recording failed: ${this.lastError.message}\n`);
    } finally {
      // Watch mode runs again with this reporter: start the next run clean, keep the folder.
      this.outcomes.clear();
      this.started.clear();
      if (this.readsDir) clearFolder(this.readsDir);
    }
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

function clearFolder(dir: string): void {
  for (const name of readdirSync(dir)) rmSync(join(dir, name), { force: true });
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
