/**
 * `testsift/jest`: testsift for Jest 29 and 30.
 *
 * Easiest: wrap the config (jest.config.js/.mjs/.ts) — `module.exports = withTestsift({ ... })` or
 * `export default withTestsift({ ... })` — which adds the four hooks below by absolute path. Or
 * name them yourself (in package.json's "jest" key, say):
 * - reporter `testsift/jest/reporter` (options `{record, map, timings, blocks}`): with
 *   TESTSIFT_RECORD=1, writes the map (TESTSIFT_MAP_OUT, default `<git root>/.testsift/map.json`)
 *   and timings (TESTSIFT_TIMINGS_OUT, default `.testsift/timings.json`); `.shard-i-of-n` files
 *   under --shard. Jest's coverage is not needed.
 * - setup file `testsift/jest/setup` in `setupFilesAfterEnv`: records what each test file
 *   executes (V8 function counts) and reads with fs.
 * - `--filter=testsift/jest/filter` (or `filter`): runs exactly TESTSIFT_SELECT (detect JSON, a
 *   list, or a file holding either); all tests when it is unset or `full`.
 * - `testSequencer: 'testsift/jest/sequencer'`: `--shard=i/n` balanced by TESTSIFT_TIMINGS.
 * Paths are relative to the git top level, as `git diff` and `testsift detect` report them.
 */
import { fileURLToPath } from 'node:url';
// Keep this module light: jest.config files import it, and the reporter's dependencies (map
// writer, sharding) should load only in the processes that use them.
import { ENV, envSwitch } from './env.js';
import { setupFile } from './setup.js';
import { warnIfPackageJsonConfig } from './package-config.js';

export { ENV, DEFAULT_MAP_PATH, DEFAULT_TIMINGS_PATH } from './env.js';
export { applySelection, filterResultFor, type FilterOutcome, type JestFilterResult } from './filter.js';
export { executedFromIstanbul, executedFromV8 } from './executed-sources.js';
export { secondsOf } from './perf-seconds.js';
export type { TestsiftReporterOptions } from './reporter.js';
export { setupFile };

const here = (name: string): string => fileURLToPath(new URL(name, import.meta.url));

/**
 * Absolute paths of the Jest hook modules, for configs (they work whatever the package exports).
 * The CommonJS builds: Jest require()s reporters and sequencers first, and Node before 20.19
 * cannot require() an ES module.
 */
export const reporterFile = here('./reporter.cjs');
export const sequencerFile = here('./sequencer.cjs');
/** CommonJS, because Jest `require()`s `--filter` modules and calls the export. */
export const filterFile = here('./filter.cjs');

export interface WithTestsiftOptions {
  /** Record map + timings in this run (a set TESTSIFT_RECORD wins). */
  record?: boolean;
  /** Reporter options (`map`, `timings` output paths). */
  map?: string;
  timings?: string;
  /** Function-level blocks (in source lines, through the transformer's source maps). Default: on Jest 30+, off on 29. */
  blocks?: boolean;
  /** With `blocks`: also the blocks inside functions (if/else arms, loop bodies; default false: functions only). */
  branches?: boolean;
}

type JestConfig = Record<string, unknown>;

/**
 * Add testsift to a Jest config: the reporter (after the user's reporters, or `default`), the
 * setup file that records what each test file executes and reads, the selection filter (a no-op
 * without TESTSIFT_SELECT) and the time-balanced sequencer (kept if the config names its own).
 * Coverage settings are the user's: recording does not need Jest's coverage.
 */
export function withTestsift<T extends JestConfig>(config: T, opts: WithTestsiftOptions = {}): T & JestConfig {
  const record = envSwitch(process.env, ENV.record) ?? opts.record ?? false;
  const reporterOptions = {
    ...(record ? { record: true } : {}),
    ...(opts.map ? { map: opts.map } : {}),
    ...(opts.timings ? { timings: opts.timings } : {}),
    ...(opts.blocks !== undefined ? { blocks: opts.blocks } : {}),
    ...(opts.branches ? { branches: true } : {}),
  };
  const reporters = Array.isArray(config.reporters) ? [...(config.reporters as unknown[])] : ['default'];
  const setupAfterEnv = Array.isArray(config.setupFilesAfterEnv) ? [...(config.setupFilesAfterEnv as unknown[])] : [];
  const out: JestConfig = {
    ...config,
    reporters: [...reporters, [reporterFile, reporterOptions]],
    setupFilesAfterEnv: [...setupAfterEnv, setupFile],
    filter: config.filter ?? filterFile,
    testSequencer: config.testSequencer ?? sequencerFile,
  };
  warnIfPackageJsonConfig(process.cwd());
  return out as T & JestConfig;
}
