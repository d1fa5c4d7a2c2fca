import { PreciseCoverage, scriptRan, type ScriptCoverage } from '../shared/precise-coverage.js';
import { installFsReadTracker, type FsReadTracker } from '../shared/fs-reads.js';
import { createRootFilter, scriptUrlToPath, type RootFilter } from '../shared/path-filter.js';
import type { RecordedPayload, RecorderConfig } from './recorder-config.js';
import { blockHitsOf } from './blocks.js';

/**
 * Per-worker recording state. It lives on `process` because the setup file is evaluated again
 * for every test file, while the inspector session and the fs patch must exist once per worker.
 */
export class WorkerRecorder {
  private readonly coverage = new PreciseCoverage();
  private readonly reads: FsReadTracker;
  private readonly filter: RootFilter;
  /** Files whose module body ran in an earlier test file of this worker (isolate: false). */
  private readonly loadedEarlier = new Set<string>();
  private readonly readEarlier = new Set<string>();
  private readonly testFiles = new Set<string>();
  private filesSeen = 0;

  constructor(private readonly cfg: RecorderConfig) {
    this.filter = createRootFilter(cfg.root, cfg.exclude);
    this.reads = installFsReadTracker();
  }

  /** Called before the test file is imported: start the window. */
  async beginFile(): Promise<void> {
    if (this.coverage.started) {
      await this.coverage.take(); // drop what ran between files
    } else {
      await this.coverage.start();
    }
    this.reads.take();
    this.filesSeen++;
  }

  /**
   * Called after the file's tests and hooks: what ran and what was read in the window.
   * `shared` means modules are cached across files in this worker (isolate: false): a module's
   * top-level code then runs only in the first file that imports it, so every module loaded
   * earlier in this worker is attributed to this file too — more tests, never fewer.
   */
  async endFile(testFile: string, shared: boolean): Promise<RecordedPayload> {
    const scripts = await this.coverage.take();
    const testRel = this.filter.toRelative(testFile);
    const executed = new Set<string>();
    const ranScripts: ScriptCoverage[] = [];
    for (const s of scripts) {
      const abs = scriptUrlToPath(s.url);
      const rel = abs && this.filter.toRelative(abs);
      if (!rel || !scriptRan(s)) continue;
      executed.add(rel);
      ranScripts.push(s);
    }
    const read = new Set<string>();
    for (const abs of this.reads.take()) {
      const rel = this.filter.toRelative(abs);
      if (rel && rel !== testRel) read.add(rel);
    }
    const conservative = shared && this.filesSeen > 1;
    if (shared) {
      // Test files themselves are re-imported for every file, so they are not carried over.
      if (testRel) this.testFiles.add(testRel);
      for (const f of this.loadedEarlier) executed.add(f);
      for (const f of this.readEarlier) read.add(f);
      for (const f of executed) if (!this.testFiles.has(f)) this.loadedEarlier.add(f);
      for (const f of read) this.readEarlier.add(f);
    }
    const payload: RecordedPayload = { v: 1, executed: [...executed].sort(), read: [...read].sort() };
    if (conservative) payload.conservative = true;
    // Block data only when each module ran wholly inside this window: with shared modules a
    // function may have run for an earlier file, so file level is the honest answer.
    if (this.cfg.blocks && !shared) payload.blockHits = blockHitsOf(ranScripts, this.filter);
    return payload;
  }
}

const KEY = Symbol.for('testsift.vitest.worker');

export function workerRecorder(cfg: RecorderConfig): WorkerRecorder {
  // On `process` (shared by VM contexts), so one inspector session serves the whole worker.
  const g = process as unknown as Record<symbol, WorkerRecorder | undefined>;
  return (g[KEY] ??= new WorkerRecorder(cfg));
}
