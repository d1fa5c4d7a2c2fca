import { delimiter, isAbsolute, resolve } from 'node:path';

/**
 * The environment variables the Jest integration reads. Jest hands no options to a `--filter`
 * module or a test sequencer, so env vars are the one channel that reaches all of them.
 */
export const ENV = {
  /** `1`/`true`: the reporter records a map and timings. */
  record: 'TESTSIFT_RECORD',
  /** Where the reporter writes the map (default `<repo>/.testsift/map.json`); the Vitest plugin's name. */
  mapOut: 'TESTSIFT_MAP_OUT',
  /** Accepted alias of TESTSIFT_MAP_OUT. */
  mapOutAlias: 'TESTSIFT_MAP',
  /** Where the reporter writes timings (default `<repo>/.testsift/timings.json`). */
  timingsOut: 'TESTSIFT_TIMINGS_OUT',
  /** `block`: the reporter also records function-level blocks (in source lines, via source maps). */
  granularity: 'TESTSIFT_GRANULARITY',
  /**
   * With block granularity: `1` also records the blocks inside functions (if/else arms, loop
   * bodies, code after an early exit) from V8's block counts (`detailed: true`). Off by default:
   * it makes V8's per-file coverage take about twice as large (bench/jest-recording.bench.mjs).
   */
  branches: 'TESTSIFT_BRANCHES',
  /** The selection the filter applies: detect JSON, a JSON list, a list, or a path to a file of those. */
  select: 'TESTSIFT_SELECT',
  /** Timing report(s) the sequencer balances shards by (several joined with the path delimiter). */
  timings: 'TESTSIFT_TIMINGS',
  /** A shard plan: under --shard=i/n the sequencer runs part i of it (checked against the run). */
  shardPlan: 'TESTSIFT_SHARD_PLAN',
  /** `1`: under --shard without a plan, an unreadable TESTSIFT_TIMINGS report splits by count instead of failing. */
  allowMissingTimings: 'TESTSIFT_ALLOW_MISSING_TIMINGS',
  /** Set by the reporter for the setup file in workers: where each test file's reads go. */
  readsDir: 'TESTSIFT_JEST_READS_DIR',
  /** Set by the reporter for the setup file: only reads under this root are kept. */
  readsRoot: 'TESTSIFT_JEST_ROOT',
  /** Set by the reporter for the setup file: `1` records function-level blocks. */
  recordBlocks: 'TESTSIFT_JEST_BLOCKS',
  /** Set by the reporter for the setup file: `1` asks V8 for block counts (branch-level blocks). */
  recordBranches: 'TESTSIFT_JEST_BRANCHES',
  /** Set by the reporter for the setup file: `0` leaves V8 coverage to Jest's v8 provider. */
  recordV8: 'TESTSIFT_JEST_V8',
  /** Set by the reporter for the setup file: where test files' child processes write V8 coverage. */
  childDir: 'TESTSIFT_JEST_CHILD_DIR',
  /**
   * Test files per V8 take in Jest 30 block recording (v8-recorder.cts): the reporter sets `1`
   * where Jest may restart a worker between test files (`workerIdleMemoryLimit`); a bench may set
   * it to compare batch sizes.
   */
  batchFiles: 'TESTSIFT_JEST_BATCH_FILES',
  /** MB of heap growth since the last V8 take that make a worker take its batch early (v8-recorder.cts; 256). */
  batchHeapMb: 'TESTSIFT_JEST_BATCH_HEAP_MB',
} as const;

/**
 * Written into the reads folder by the reporter once Jest has handed out every test file: from
 * then on a worker takes its pending V8 batch at each teardown (v8-recorder.cts keeps a copy).
 */
export const ALL_STARTED = 'all-started';

export const DEFAULT_MAP_PATH = '.testsift/map.json';
export const DEFAULT_TIMINGS_PATH = '.testsift/timings.json';

type Env = Record<string, string | undefined>;

// On/off variables are read by the one reader both runners share (shared/env-flags.ts).
export { envFlag, envSwitch } from '../shared/env-flags.js';

/** A non-empty env value, or undefined. */
export function envValue(env: Env, name: string): string | undefined {
  const v = env[name];
  return v !== undefined && v.trim() !== '' ? v.trim() : undefined;
}

/** `TESTSIFT_TIMINGS` as a list of absolute paths (relative ones against `cwd`). */
export function timingPaths(env: Env, cwd: string): string[] {
  const raw = envValue(env, ENV.timings);
  if (!raw) return [];
  return raw
    .split(delimiter)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => (isAbsolute(p) ? p : resolve(cwd, p)));
}
