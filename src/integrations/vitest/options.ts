import { resolve } from 'node:path';
import { readSelection, type RunSelection } from '../shared/selection.js';
import { envSwitch } from '../shared/env-flags.js';

/** Options of `testsift(options)`; each has an environment variable that wins when set. */
export interface TestsiftVitestOptions {
  /** Record the map and timings of this run (`TESTSIFT_RECORD=1`). */
  record?: boolean;
  /** Where to write the map (`TESTSIFT_MAP_OUT`); default `.testsift/map.json` under Vitest's root. */
  mapPath?: string;
  /** Where to write the timing report (`TESTSIFT_TIMINGS_OUT`); default `.testsift/timings.json`. */
  timingsPath?: string;
  /**
   * Run exactly these test files (`TESTSIFT_SELECT`): detect JSON (`{mode, tests}`), a list,
   * or a path to a file holding either. `mode: 'full'` runs everything.
   */
  select?: string | readonly string[] | { mode: 'selective' | 'full'; tests: readonly string[] };
  /** Timing report for time-balanced `--shard` (`TESTSIFT_TIMINGS`). */
  timings?: string;
  /**
   * Shard plan (`TESTSIFT_SHARD_PLAN`): under `--shard=i/n`, run part i of this precomputed split
   * (`detect-tests --shards N`, `testsift shard --write-plan`). The run fails if the plan is
   * missing, is for another N, or lists other tests than this run has.
   */
  shardPlan?: string;
  /**
   * Under `--shard` without a plan, a configured timing report that cannot be read fails the run
   * (other jobs may have it and split otherwise); true (`TESTSIFT_ALLOW_MISSING_TIMINGS=1`) splits
   * by test count instead.
   */
  allowMissingTimings?: boolean;
  /**
   * Globs (repo-relative) of files the recorder can see: matched files no test executed are
   * stored as "known, never executed". Default none, because a file run only in a child process
   * looks unexecuted; only list files you know run in-process.
   */
  known?: string[];
  /**
   * Record block-level data: which functions and which blocks inside them (if/else arms, loop
   * bodies, code after an early return) each test file ran. Default on; `false` (or
   * `TESTSIFT_GRANULARITY=file`) records files only.
   */
  blocks?: boolean;
}

export interface ResolvedSettings {
  record: boolean;
  mapPath: string;
  timingsPath: string;
  selection?: RunSelection;
  timings?: string;
  shardPlan?: string;
  allowMissingTimings: boolean;
  known: string[];
  blocks: boolean;
}

function selectionFrom(opt: TestsiftVitestOptions['select'], cwd: string): RunSelection | undefined {
  if (opt === undefined) return undefined;
  if (typeof opt === 'string') return readSelection(opt, { cwd, origin: 'select option' });
  if (Array.isArray(opt)) return readSelection(JSON.stringify(opt), { cwd, origin: 'select option' });
  const o = opt as { mode: 'selective' | 'full'; tests: readonly string[] };
  return readSelection(JSON.stringify({ mode: o.mode, tests: o.tests }), { cwd, origin: 'select option' });
}

/**
 * Merge options and environment. An empty TESTSIFT_SELECT counts as unset (run everything): a CI
 * template that forgot to fill it must not silently run nothing.
 */
export function resolveSettings(options: TestsiftVitestOptions, root: string, env: NodeJS.ProcessEnv = process.env): ResolvedSettings {
  const envSelect = env.TESTSIFT_SELECT;
  const selection =
    envSelect !== undefined && envSelect.trim() !== '' ? readSelection(envSelect, { cwd: root, origin: 'TESTSIFT_SELECT' }) : selectionFrom(options.select, root);
  const granularity = env.TESTSIFT_GRANULARITY?.trim();
  return {
    record: envSwitch(env, 'TESTSIFT_RECORD') ?? options.record ?? false,
    mapPath: resolve(root, env.TESTSIFT_MAP_OUT || options.mapPath || '.testsift/map.json'),
    timingsPath: resolve(root, env.TESTSIFT_TIMINGS_OUT || options.timingsPath || '.testsift/timings.json'),
    ...(selection ? { selection } : {}),
    ...(env.TESTSIFT_TIMINGS || options.timings ? { timings: resolve(root, env.TESTSIFT_TIMINGS || options.timings!) } : {}),
    ...(env.TESTSIFT_SHARD_PLAN || options.shardPlan ? { shardPlan: resolve(root, env.TESTSIFT_SHARD_PLAN || options.shardPlan!) } : {}),
    allowMissingTimings: envSwitch(env, 'TESTSIFT_ALLOW_MISSING_TIMINGS') ?? options.allowMissingTimings ?? false,
    known: options.known ?? [],
    blocks: granularity ? granularity !== 'file' : (options.blocks ?? true),
  };
}
