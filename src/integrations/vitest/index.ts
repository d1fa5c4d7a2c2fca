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
 *   `testsift shard`); TESTSIFT_SHARD_PLAN (or `shardPlan`): part i of a precomputed split.
 *
 * Needs `configureVitest` (Vitest 3.1+).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { BaseSequencer, type TestProject, type TestSequencerConstructor, type Vitest } from 'vitest/node';
import { createRootFilter } from '../shared/path-filter.js';
import { repoRoot } from '../shared/git.js';
import { resolveSettings, type ResolvedSettings, type TestsiftVitestOptions } from './options.js';
import { createSequencer } from './sequencer.js';
import { noTestNeededMessage, unusableWarning } from '../shared/selection.js';
import { RecordingReporter } from './reporter.js';
import { RECORDER_ENV, type RecorderConfig } from './recorder-config.js';
import { vitestVersion } from './adapter.js';
import { usesV8Coverage, V8_COVERAGE_NOTE, type CoverageConfigLike } from './coverage-conflict.js';
import { inlineSetupFile } from './inline-setup.js';
import { removeChildDir } from '../shared/child-coverage.js';

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
  config(config: { test?: { projects?: unknown } }): void;
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

/** What one Vitest run has set up, whichever plugin instance (project) got there first. */
interface RunState {
  settings: ResolvedSettings;
  options: string;
  say(message: string): void;
}

/**
 * One state per Vitest run, shared by every plugin instance. With `test.projects`, each project
 * that has the plugin gets its own instance (`extends: true` re-loads the root config per
 * project; a project file has its own `testsift()`), and `configureVitest` runs once per
 * project: run-wide work (sequencer, reporter, messages) must happen once. On `globalThis`,
 * because two copies of this module (a config bundled by Vite next to a native import) would
 * otherwise each keep their own map.
 */
function runStates(): WeakMap<Vitest, RunState> {
  const g = globalThis as unknown as Record<symbol, WeakMap<Vitest, RunState> | undefined>;
  return (g[Symbol.for('testsift.vitest.runs')] ??= new WeakMap());
}

export default function testsift(options: TestsiftVitestOptions = {}): TestsiftPlugin {
  const plugin: TestsiftPlugin = {
    name: 'testsift',
    // A plugin at the root only reaches inline projects declared with `extends: true`: Vitest
    // calls `configureVitest` with each project's own plugins. So the root instance adds itself
    // to the other inline projects (never twice: run state and setup files are deduplicated).
    config(config) {
      const projects = config.test?.projects;
      if (!Array.isArray(projects)) return;
      for (const p of projects as unknown[]) {
        if (!p || typeof p !== 'object' || (p as { extends?: unknown }).extends === true) continue;
        const inline = p as { plugins?: unknown[] };
        const plugins = Array.isArray(inline.plugins) ? inline.plugins : [];
        if (!plugins.some((x) => (x as { name?: string } | null)?.name === 'testsift')) inline.plugins = [...plugins, plugin];
      }
    },
    configureVitest({ vitest, project }) {
      const runs = runStates();
      let state = runs.get(vitest);
      if (!state) {
        state = startRun(vitest, options);
        runs.set(vitest, state);
      } else if (JSON.stringify(options) !== state.options) {
        state.say(`testsift() options differ in project "${project.name}"; this run uses the first project's options for the whole run`);
      }
      if (state.settings.record) {
        // Every project of the run is recorded into the one map, including a project whose own
        // config lacks the plugin (a project file): what runs is what the map must describe.
        for (const p of new Set([project, ...vitest.projects])) addRecorder(p, state);
      }
    },
  };
  return plugin;
}

/** Prepend the recorder's setup file to a project (once) and have Vitest inline it. */
function addRecorder(project: TestProject, state: RunState): void {
  if (project.config.setupFiles.includes(SETUP_FILE)) return;
  project.config.setupFiles = [SETUP_FILE, ...project.config.setupFiles];
  if (!inlineSetupFile(project, SETUP_FILE)) {
    state.say(
      `could not make Vitest inline the recorder's setup file in project "${project.name}": with isolate: false its ` +
        'later test files get no runtime record and are left out of the map (always selected)',
    );
  }
}

/** Run-wide setup, done by the first plugin instance Vitest configures. */
function startRun(vitest: Vitest, options: TestsiftVitestOptions): RunState {
  const settings = resolveSettings(options, vitest.config.root);
  // Each message once per run, however many projects carry the plugin.
  const said = new Set<string>();
  const say = (m: string): void => {
    if (said.has(m)) return;
    said.add(m);
    log(vitest, m);
  };
  const shouted = new Set<string>();
  const shout = (m: string): void => {
    if (shouted.has(m)) return;
    shouted.add(m);
    warn(vitest, m);
  };
  const state: RunState = { settings, options: JSON.stringify(options), say };
  const root = repoRoot(vitest.config.root) ?? vitest.config.root;
  const outDirs = [dirname(settings.mapPath), dirname(settings.timingsPath)];
  const filter = createRootFilter(root, [PACKAGE_ROOT, ...outDirs]);
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
  if (settings.record) {
    const v8 = usesV8Coverage((vitest.config as { coverage?: CoverageConfigLike }).coverage);
    if (v8) say(V8_COVERAGE_NOTE);
    // Where the test files' child processes leave their V8 coverage (shared/child-spawns.ts).
    const childDir = mkdtempSync(join(tmpdir(), 'testsift-children-'));
    process.once('exit', () => removeChildDir(childDir));
    const cfg: RecorderConfig = {
      root: filter.root,
      exclude: [PACKAGE_ROOT, ...outDirs],
      vitestVersion: vitestVersion(vitest),
      blocks: settings.blocks,
      v8Coverage: v8,
      childDir,
    };
    process.env[RECORDER_ENV] = JSON.stringify(cfg);
    (vitest.config.reporters as unknown[]).push(
      new RecordingReporter({
        filter,
        mapPath: settings.mapPath,
        timingsPath: settings.timingsPath,
        known: settings.known,
        selective: settings.selection?.mode === 'selective',
        v8Coverage: v8,
        blocks: settings.blocks,
        childDir,
        log: say,
        warn: shout,
      }),
    );
  }
  return state;
}

export { testsift };
