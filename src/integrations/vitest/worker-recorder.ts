import { PreciseCoverage, scriptRan, type ScriptCoverage } from '../shared/precise-coverage.js';
import { installFsReadTracker, type FsReadTracker } from '../shared/fs-reads.js';
import { createRootFilter, scriptUrlToPath, type RootFilter } from '../shared/path-filter.js';
import type { RecordedPayload, RecorderConfig } from './recorder-config.js';
import { blockHitsOf } from './blocks.js';
import { importClosure, modulesEvaluating } from './worker-modules.js';
import { installChildTracker, type ChildTracker } from '../shared/child-spawns.js';

/**
 * Per-worker recording state. It lives on `process` because the setup file is evaluated again
 * for every test file (the plugin has Vitest inline it, so it re-runs under `isolate: false`
 * too), while the inspector session and the fs patch must exist once per worker.
 */
export class WorkerRecorder {
  private readonly coverage = new PreciseCoverage();
  private readonly reads: FsReadTracker;
  private readonly filter: RootFilter;
  /** Files read while a module's top level ran (absolute module file → absolute paths read). */
  private readonly loadReads = new Map<string, Set<string>>();
  /** Follows the child processes each test file starts (their V8 coverage, read by the reporter). */
  private readonly children: ChildTracker | undefined;

  /** Whether a script URL holding `/node_modules/` can be dropped unparsed (see endFile). */
  private readonly dropNodeModules: boolean;

  constructor(private readonly cfg: RecorderConfig) {
    this.filter = createRootFilter(cfg.root, cfg.exclude);
    this.dropNodeModules = !cfg.root.includes('node_modules') && !this.filter.root.includes('node_modules');
    this.reads = installFsReadTracker();
    if (cfg.childDir) this.children = installChildTracker(cfg.childDir, cfg.root);
    // A read during a module's evaluation belongs to that module's top level, which a later
    // importer in this worker never re-runs: remember it, to give it to every later importer.
    this.reads.listen?.((path) => {
      for (const m of modulesEvaluating()) {
        let set = this.loadReads.get(m);
        if (!set) this.loadReads.set(m, (set = new Set()));
        set.add(path);
      }
    });
  }

  /** Whether V8 counts come from Vitest's own V8 coverage (then we must not touch V8's state). */
  private get ownCoverage(): boolean {
    return !this.cfg.v8Coverage;
  }

  /**
   * Called before the test file is imported: start the window. `isolated`: Vitest gives each test
   * file a fresh module graph (its `isolate` option); then, for the first file of this worker,
   * V8's binary coverage mode, which leaves V8's optimizing compilers on also without block counts
   * (file level; see PreciseCoverage). Vitest 4 starts a fresh
   * worker for each test file with `isolate`, so its first file is its only one; should a second
   * one come (another pool, another Vitest), the session switches to call counts before it starts.
   */
  async beginFile(testFile?: string, isolated = false): Promise<void> {
    this.children?.begin(testFile);
    if (this.ownCoverage) {
      if (!this.coverage.started) {
        await this.coverage.start(this.cfg.blocks, isolated);
      } else if (this.coverage.binary) {
        // Binary mode would report nothing that an earlier file of this worker saw run already.
        await this.coverage.countCalls();
      } else {
        await this.coverage.take(); // drop what ran between files
      }
    }
    this.reads.take();
  }

  /**
   * Called after the file's tests and hooks: what ran and what was read in the window, plus the
   * file's module-level dependencies: every module it imports (transitively, at run time), and
   * what those modules read while their top level ran. With `isolate: true` these ran in the
   * window anyway; with `isolate: false` (`shared`) a module cached by an earlier file runs no
   * code for this one, yet this file depends on it. Files an earlier test file used and this
   * one does not are not attributed: each file's row set is its own.
   */
  async endFile(testFile: string, shared: boolean, setupFiles: readonly string[] = []): Promise<RecordedPayload> {
    this.children?.end(testFile);
    const scripts = this.ownCoverage ? await this.coverage.take() : [];
    const testRel = this.filter.toRelative(testFile);
    const executed = new Set<string>();
    const ranScripts: ScriptCoverage[] = [];
    for (const s of scripts) {
      // Most scripts of a take are Vitest's and its dependencies' (node_modules): drop them before
      // any URL parsing. Only when the root itself is outside node_modules: then a path with a
      // node_modules segment is one toRelative rejects anyway.
      if (this.dropNodeModules && s.url.includes('/node_modules/')) continue;
      const abs = scriptUrlToPath(s.url);
      const rel = abs && this.filter.toRelative(abs);
      if (!rel || !scriptRan(s)) continue;
      executed.add(rel);
      ranScripts.push(s);
    }
    const readAbs = this.reads.take();
    for (const abs of importClosure([testFile, ...setupFiles])) {
      const rel = this.filter.toRelative(abs);
      if (rel) executed.add(rel);
      for (const r of this.loadReads.get(abs) ?? []) readAbs.add(r);
    }
    const read = new Set<string>();
    for (const abs of readAbs) {
      const rel = this.filter.toRelative(abs);
      if (rel && rel !== testRel) read.add(rel);
    }
    const payload: RecordedPayload = { v: 1, executed: [...executed].sort(), read: [...read].sort() };
    if (shared) payload.shared = true;
    // Block data only when each module ran wholly inside this window: with shared modules a
    // module's body may have run for an earlier file, so file level is the honest answer.
    if (this.cfg.blocks && !shared && this.ownCoverage) payload.blockHits = blockHitsOf(ranScripts, this.filter);
    return payload;
  }
}

const KEY = Symbol.for('testsift.vitest.worker');

export function workerRecorder(cfg: RecorderConfig): WorkerRecorder {
  // On `process` (shared by VM contexts), so one inspector session serves the whole worker.
  const g = process as unknown as Record<symbol, WorkerRecorder | undefined>;
  return (g[KEY] ??= new WorkerRecorder(cfg));
}
