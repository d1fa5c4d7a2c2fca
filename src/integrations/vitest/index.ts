/**
 * `testsift/vitest`: the Vitest plugin. `plugins: [testsift()]` in vitest.config.
 *
 * - TESTSIFT_RECORD=1 (or `record: true`): records, per test file, the files it executed and
 *   read, and its full cost; writes `.testsift/map.json` and `.testsift/timings.json` (with
 *   `--shard=i/n`: `map.shard-i-of-n.json` / `timings.shard-i-of-n.json` for `map merge`).
 * - TESTSIFT_SELECT (or `select`): runs exactly the selected files; everything when `full`, and
 *   everything, with a warning, when the selection cannot be used (missing file, malformed, empty)
 *   or none of its files is among Vitest's (a path mismatch).
 * - TESTSIFT_TIMINGS (or `timings`) with --shard=i/n: time-balanced shards (same allocator as
 *   `testsift shard`).
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
import { noTestNeededMessage, unusableWarning } from '../shared/selection.js';
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

/** A warning on stderr, where CI logs and humans look for trouble. */
function warn(vitest: Vitest, message: string): void {
  const logger = (vitest as unknown as { logger?: { warn?(m: string): void } }).logger;
  if (logger?.warn) logger.warn(`testsift: ${message}`);
  else console.warn(`testsift: ${message}`);
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
        const shout = (m: string): void => warn(vitest, m);
        if (settings.selection || settings.timings) {
          const Base = (vitest.config.sequence.sequencer ?? BaseSequencer) as TestSequencerConstructor;
          vitest.config.sequence.sequencer = createSequencer(Base, {
            ...(settings.selection ? { selection: settings.selection } : {}),
            ...(settings.timings ? { timings: settings.timings } : {}),
            root: filter.root,
            key: (abs) => filter.toRelative(abs) ?? abs,
            log: say,
            warn: shout,
          });
          const selection = settings.selection;
          const unusable = selection && unusableWarning(selection);
          if (unusable) shout(unusable);
          else if (selection?.mode === 'full') say(`selection from ${selection.origin} is full: running every test file`);
          else if (selection?.mode === 'selective' && selection.tests.length === 0) {
            // Only a valid selection that says "no test is needed" may run nothing, and it says so.
            // (The sequencer allows an empty shard of a non-empty selection by itself.)
            vitest.config.passWithNoTests = true;
            say(noTestNeededMessage(selection));
          }
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
