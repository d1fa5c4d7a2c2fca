/**
 * `testsift/vitest`: the Vitest plugin. `plugins: [testsift()]` in vitest.config.
 *
 * - TESTSIFT_RECORD=1 (or `record: true`): records, per test file, the files it executed and
 *   read, and its full cost; writes `.testsift/map.json` and `.testsift/timings.json` (with
 *   `--shard=i/n`: `map.shard-i-of-n.json` / `timings.shard-i-of-n.json` for `map merge`).
 * - TESTSIFT_SELECT (or `select`): runs exactly the selected files; everything when `full`.
 * - TESTSIFT_TIMINGS (or `timings`) with --shard=i/n: time-balanced shards (same allocator as
 *   `testsift shard`); TESTSIFT_SHARD_PLAN (or `shardPlan`): part i of a precomputed split.
 *
 * Needs `configureVitest` (Vitest 3.1+).
 */
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { BaseSequencer, type TestProject, type TestSequencerConstructor, type Vitest } from 'vitest/node';
import { createRootFilter } from '../shared/path-filter.js';
import { repoRoot } from '../shared/git.js';
import { resolveSettings, type ResolvedSettings, type TestsiftVitestOptions } from './options.js';
import { createSequencer } from './sequencer.js';
import { RecordingReporter } from './reporter.js';
import { RECORDER_ENV, type RecorderConfig } from './recorder-config.js';
import { vitestVersion } from './adapter.js';
import { v8CoverageConflict, type CoverageConfigLike } from './coverage-conflict.js';

export type { TestsiftVitestOptions } from './options.js';
export { createSequencer, type SequencerPlan } from './sequencer.js';
export { RecordingReporter } from './reporter.js';

const SETUP_FILE = fileURLToPath(new URL('./setup.js', import.meta.url));
/**
 * testsift's own runtime files (its dist/): never recorded as a dependency of user tests. Only
 * dist/, not the package root, so a project inside a testsift checkout is still recorded.
 */
const PACKAGE_ROOT = resolve(dirname(SETUP_FILE), '../..');

/** The subset of a Vite plugin this needs; structurally a Vite `Plugin`. */
export interface TestsiftPlugin {
  name: string;
  configureVitest(context: { vitest: Vitest; project: TestProject }): void;
}

function log(vitest: Vitest, message: string): void {
  const logger = (vitest as unknown as { logger?: { log(m: string): void } }).logger;
  if (logger) logger.log(`testsift: ${message}`);
  else console.log(`testsift: ${message}`);
}

export default function testsift(options: TestsiftVitestOptions = {}): TestsiftPlugin {
  const settingsByRun = new WeakMap<Vitest, ResolvedSettings>();
  return {
    name: 'testsift',
    configureVitest({ vitest, project }) {
      let settings = settingsByRun.get(vitest);
      const first = settings === undefined;
      if (!settings) {
        settings = resolveSettings(options, vitest.config.root);
        settingsByRun.set(vitest, settings);
      }
      const root = repoRoot(vitest.config.root) ?? vitest.config.root;
      const filter = createRootFilter(root, [PACKAGE_ROOT, dirname(settings.mapPath), dirname(settings.timingsPath)]);
      if (first) {
        const say = (m: string): void => log(vitest, m);
        if (settings.selection || settings.timings || settings.shardPlan) {
          const Base = (vitest.config.sequence.sequencer ?? BaseSequencer) as TestSequencerConstructor;
          vitest.config.sequence.sequencer = createSequencer(Base, {
            ...(settings.selection ? { selection: settings.selection } : {}),
            ...(settings.timings ? { timings: settings.timings } : {}),
            ...(settings.shardPlan ? { shardPlan: settings.shardPlan } : {}),
            allowMissingTimings: settings.allowMissingTimings,
            root: filter.root,
            key: (abs) => filter.toRelative(abs) ?? abs,
            log: say,
          });
          // A selection (or a shard of one) may well be empty: that is success, not an error.
          if (settings.selection?.mode === 'selective') vitest.config.passWithNoTests = true;
          if (settings.selection?.mode === 'full') say(`selection from ${settings.selection.origin} is full: running every test file`);
        }
        const conflict = v8CoverageConflict(settings.record, (vitest.config as { coverage?: CoverageConfigLike }).coverage);
        if (conflict) say(conflict);
        if (settings.record) {
          const cfg: RecorderConfig = {
            root: filter.root,
            exclude: [PACKAGE_ROOT, dirname(settings.mapPath), dirname(settings.timingsPath)],
            vitestVersion: vitestVersion(vitest),
            blocks: settings.blocks,
          };
          process.env[RECORDER_ENV] = JSON.stringify(cfg);
          (vitest.config.reporters as unknown[]).push(
            new RecordingReporter({
              filter,
              mapPath: settings.mapPath,
              timingsPath: settings.timingsPath,
              known: settings.known,
              selective: settings.selection?.mode === 'selective',
              log: say,
            }),
          );
        }
      }
      if (settings.record) {
        const files = project.config.setupFiles.filter((f) => f !== SETUP_FILE);
        project.config.setupFiles = [SETUP_FILE, ...files];
      }
    },
  };
}

export { testsift };
