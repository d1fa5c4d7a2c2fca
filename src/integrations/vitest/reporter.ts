import { readFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { dirtyTreeWarning, ignoreOutputDir } from '../shared/worktree.js';
import { parseAst, type Reporter, type TestModule, type TestProject, type TestRunEndReason, type Vitest } from 'vitest/node';
import { createFileIndex } from '../../util/files.js';
import { writeRecording, type TestFileRecord } from '../shared/recording.js';
import type { RootFilter } from '../shared/path-filter.js';
import { moduleCostSeconds, moduleFailed, moduleMeta, ranTests, staticDependencies, transformResultOf, vitestVersion } from './adapter.js';
import { CoverageTap } from './coverage-tap.js';
import { buildBlockTable, executedBlocks, type BlockTable } from '../shared/block-table.js';
import type { BlockHits } from './blocks.js';
import { META_KEY, type RecordedPayload } from './recorder-config.js';
import { vitestUniverse } from './universe.js';
import { readChildCoverage, removeChildDir, unfollowedWarning, type ChildRecord } from '../shared/child-coverage.js';

export interface RecordingReporterOptions {
  filter: RootFilter;
  mapPath: string;
  timingsPath: string;
  known: string[];
  /** A selection is active: the map will cover only the selected files. */
  selective: boolean;
  /** Vitest's V8 coverage is on: executed scripts come from its takes (coverage-tap.ts). */
  v8Coverage?: boolean;
  /** Block data was asked for (the default): say where it could not be recorded. */
  blocks?: boolean;
  /** Where the workers' test files had their child processes write V8 coverage (see shared/child-spawns.ts). */
  childDir?: string;
  log(message: string): void;
  /** A warning (stderr); default: {@link log}. */
  warn?(message: string): void;
}

function isPayload(value: unknown): value is RecordedPayload {
  const p = value as RecordedPayload | undefined;
  return !!p && p.v === 1 && Array.isArray(p.executed) && Array.isArray(p.read);
}

/**
 * Collects each test file's cost (diagnostics) and runtime record (left on `meta` by the setup
 * file) and writes map + timings when the run ends, atomically. A file that crashed before its
 * hooks ran has no runtime record: its static imports stand in, so it is still mapped.
 */
export class RecordingReporter implements Reporter {
  private vitest: Vitest | undefined;
  private tap: CoverageTap | undefined;

  constructor(private readonly opts: RecordingReporterOptions) {}

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
    // Checked before any test runs: tests that write files must not count as uncommitted code.
    const dirty = dirtyTreeWarning(this.opts.filter.root, [dirname(this.opts.mapPath), dirname(this.opts.timingsPath)]);
    if (dirty) this.opts.log(dirty);
    if (this.opts.v8Coverage) {
      const tap = new CoverageTap(this.opts.filter);
      if (tap.install(vitest)) this.tap = tap;
      else this.opts.log('V8 coverage is on but its provider could not be read: files are mapped by their static imports and what they read');
    }
  }

  /** Repo-relative static import closure of a test file (the stand-in when runtime data lacks). */
  private async staticOf(m: TestModule): Promise<string[]> {
    const deps = await staticDependencies(m.project, m.moduleId).catch(() => [m.moduleId]);
    return deps.map((d) => this.opts.filter.toRelative(d)).filter((d): d is string => !!d);
  }

  /** Block tables per source, built once per run (undefined: this file stays at file level). */
  private readonly tables = new Map<string, BlockTable | undefined>();

  private tableOf(project: TestProject, file: string): BlockTable | undefined {
    if (this.tables.has(file)) return this.tables.get(file);
    let table: BlockTable | undefined;
    const transformed = transformResultOf(project, file);
    if (transformed) {
      try {
        table = buildBlockTable(transformed.code, transformed.map, readFileSync(file, 'utf8'), (code) => parseAst(code));
      } catch {
        table = undefined;
      }
    }
    this.tables.set(file, table);
    return table;
  }

  /** Whether the run left out test files of the projects (CLI file filters). */
  private async someFilesSkipped(ran: number): Promise<boolean> {
    try {
      const all = await (this.vitest as unknown as { globTestSpecifications(): Promise<unknown[]> }).globTestSpecifications();
      return all.length > ran;
    } catch {
      return false;
    }
  }

  private blocksOf(project: TestProject, hits: BlockHits[]): NonNullable<TestFileRecord['blocks']> {
    const out: NonNullable<TestFileRecord['blocks']> = [];
    for (const h of hits) {
      const table = this.tableOf(project, h.file);
      // No hits (an older worker payload): no block data for this test, never "ran nothing".
      const executed = table && Array.isArray(h.hits) ? executedBlocks(table, h.body, h.ends, h.hits) : undefined;
      if (table && executed) out.push({ source: h.source, blocks: table.blocks, executed });
    }
    return out;
  }

  async onTestRunEnd(modules: ReadonlyArray<TestModule>, _errors: unknown, reason: TestRunEndReason): Promise<void> {
    if (reason === 'interrupted') {
      // A cut-short run would replace a complete map with a partial one: fewer tests later.
      this.opts.log('run interrupted: not writing the map or timings');
      return;
    }
    const config = this.vitest?.config as { watch?: boolean; testNamePattern?: unknown } | undefined;
    if (config?.watch || config?.testNamePattern) {
      // Watch reruns and -t filters run parts of files: their record would understate what the
      // files execute, so it must not replace the map.
      this.opts.log(`${config.watch ? 'watch mode' : 'a test name filter (-t)'} is active: not writing the map or timings`);
      return;
    }
    // Children may outlive their test file: their coverage is read only now, once the run is over.
    const readingChildren = performance.now();
    const children = this.opts.childDir ? readChildCoverage(this.opts.childDir, process.env.NODE_V8_COVERAGE) : new Map<string, ChildRecord>();
    const childMs = performance.now() - readingChildren;
    let childCount = 0;
    for (const c of children.values()) childCount += c.children;
    if (this.opts.childDir) removeChildDir(this.opts.childDir);
    const unfollowed: Array<{ test: string; commands: string[] }> = [];
    const records: TestFileRecord[] = [];
    const crashed: string[] = [];
    const noV8: string[] = [];
    /** Files that ran tests but left no record: the recorder did not run for them. */
    const unrecorded: string[] = [];
    let failed = 0;
    let collectMs = 0;
    let shared = 0;
    for (const m of modules) {
      const test = this.opts.filter.toRelative(m.moduleId);
      if (!test) continue;
      if (moduleFailed(m)) failed++;
      const payload = moduleMeta(m)[META_KEY];
      const seconds = moduleCostSeconds(m);
      const kids = children.get(m.moduleId);
      if (kids && kids.unfollowed.length > 0) {
        // It started a Node program whose run left no coverage: what it depends on is unknown.
        unfollowed.push({ test, commands: kids.unfollowed });
        records.push({ test, executed: [], read: [], seconds, timingOnly: true });
        continue;
      }
      const childRan = [...(kids?.executed ?? [])].map((f) => this.opts.filter.toRelative(f)).filter((f): f is string => !!f);
      if (isPayload(payload)) {
        collectMs += payload.collectMs ?? 0;
        if (payload.shared) shared++;
        let blocks = payload.blockHits ? this.blocksOf(m.project, payload.blockHits) : undefined;
        // Blocks say what ran in this worker only: a source a child also ran has no block data (⇒ run).
        if (blocks && childRan.length > 0) blocks = blocks.filter((b) => !childRan.includes(b.source));
        const executed = new Set([...payload.executed, ...childRan]);
        if (this.tap) {
          const ran = this.tap.executedFor(m.project.name, m.moduleId);
          if (ran) for (const f of ran) executed.add(f);
          else {
            // No V8 take reached us for this file: its static imports stand in for the calls.
            noV8.push(test);
            for (const f of await this.staticOf(m)) executed.add(f);
          }
        }
        const record: TestFileRecord = { test, executed: [...executed].sort(), read: payload.read, seconds, ...(blocks ? { blocks } : {}) };
        records.push(record);
        continue;
      }
      if (ranTests(m)) {
        unrecorded.push(test);
        records.push({ test, executed: [], read: [], seconds, timingOnly: true });
        continue;
      }
      crashed.push(test);
      const executed = [...new Set([...(await this.staticOf(m)), ...childRan])];
      records.push({ test, executed: executed.length ? executed : [test], read: [], seconds });
    }
    if (unfollowed.length) (this.opts.warn ?? this.opts.log)(unfollowedWarning(unfollowed));
    if (crashed.length) {
      this.opts.log(`no runtime record for ${crashed.length} test file(s) that failed before their tests ran; mapped by static imports: ${crashed.join(', ')}`);
    }
    if (unrecorded.length) {
      // The recorder did not run for these files although their tests did (their project lacks
      // the plugin's setup, or Vitest did not re-run it). Static imports would miss fs reads and
      // computed imports, so they are left out of the map: detect always runs a test the map
      // never recorded. Their time still goes to the timing report.
      this.opts.log(
        `the recorder did not run for ${unrecorded.length} test file(s) whose tests ran (does their project get ` +
          `testsift()? see extends: true); left out of the map, so they are always selected: ${unrecorded.join(', ')}`,
      );
    }
    if (noV8.length) {
      this.opts.log(`no V8 coverage take reached the recorder for ${noV8.length} test file(s); their static imports stand in: ${noV8.join(', ')}`);
    }
    if (this.opts.blocks && shared > 0) {
      // With shared modules a module's body — and every function it called while loading — ran
      // for the first test file that imported it only: block data would miss the later ones.
      this.opts.log(`isolate: false: no block data for ${shared} test file(s) (modules are shared between test files); the map is file level for them`);
    }
    if (this.opts.blocks && this.opts.v8Coverage) {
      this.opts.log('V8 coverage is on in this run: no block data recorded (file level); record the map in a run without --coverage for block data');
    }
    if (failed) {
      // A flaky or failing run still tells what each file executed: keep it, say so.
      this.opts.log(`${failed} test file(s) failed in this run; recorded anyway (a failing file keeps the edges of what it ran)`);
    }
    const shard = this.vitest?.config.shard;
    if (this.opts.selective || (!shard && (await this.someFilesSkipped(modules.length)))) {
      this.opts.log(
        'recorded a partial run: the map covers only the files that ran. Record full runs, or merge ' +
          'this map into the previous one (testsift map merge OLD NEW --output OLD)',
      );
    }
    const root = this.opts.filter.root;
    const known = this.opts.known.length ? [...new Set(this.opts.known.flatMap((g) => createFileIndex(root).glob(g)))] : [];
    for (const dir of new Set([dirname(this.opts.mapPath), dirname(this.opts.timingsPath)])) {
      const ignore = ignoreOutputDir(root, dir);
      if (ignore) this.opts.log(`wrote ${relative(root, ignore)} so git leaves the recorded artifacts out of commits`);
    }
    const written = await writeRecording(records, {
      root,
      log: this.opts.log,
      warn: this.opts.warn ?? this.opts.log,
      mapPath: this.opts.mapPath,
      timingsPath: this.opts.timingsPath,
      runner: 'vitest',
      // Block lines come from the transform's source map: lines of the source as git sees it.
      blockLines: 'source',
      runnerVersion: this.vitest ? vitestVersion(this.vitest) : undefined,
      known,
      ...(shard ? { shard: { index: shard.index, count: shard.count } } : {}),
      universe: this.vitest ? vitestUniverse(this.vitest.projects, root) : undefined,
    });
    this.opts.log(
      `recorded ${written.tests} test files, ${written.edges} edges → ${written.mapPath}, ${written.timingsPath} ` +
        `(collector: ${Math.round(collectMs)} ms in workers${childCount ? `; ${childCount} child process(es) followed, read in ${Math.round(childMs)} ms` : ''})`,
    );
  }
}
