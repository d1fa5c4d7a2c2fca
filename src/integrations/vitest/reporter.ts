import { readFileSync } from 'node:fs';
import { parseAst, type Reporter, type TestModule, type TestProject, type TestRunEndReason, type Vitest } from 'vitest/node';
import { createFileIndex } from '../../util/files.js';
import { writeRecording, type TestFileRecord } from '../shared/recording.js';
import type { RootFilter } from '../shared/path-filter.js';
import { moduleCostSeconds, moduleMeta, staticDependencies, transformResultOf, vitestVersion } from './adapter.js';
import { buildBlockTable, executedBlocks, type BlockTable } from './block-table.js';
import type { BlockHits } from './blocks.js';
import { META_KEY, type RecordedPayload } from './recorder-config.js';

export interface RecordingReporterOptions {
  filter: RootFilter;
  mapPath: string;
  timingsPath: string;
  known: string[];
  /** A selection is active: the map will cover only the selected files. */
  selective: boolean;
  log(message: string): void;
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

  constructor(private readonly opts: RecordingReporterOptions) {}

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  /** Block tables per source, built once per run (undefined: this file stays at file level). */
  private readonly tables = new Map<string, BlockTable | undefined>();

  private tableOf(project: TestProject, file: string): BlockTable | undefined {
    if (this.tables.has(file)) return this.tables.get(file);
    let table: BlockTable | undefined;
    const transformed = transformResultOf(project, file);
    if (transformed) {
      try {
        const text = readFileSync(file, 'utf8');
        const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
        table = buildBlockTable(transformed.code, transformed.map, lines, (code) => parseAst(code));
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
      const executed = table && executedBlocks(table, h.body, h.ends);
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
    const records: TestFileRecord[] = [];
    const fallbacks: string[] = [];
    let collectMs = 0;
    for (const m of modules) {
      const test = this.opts.filter.toRelative(m.moduleId);
      if (!test) continue;
      const payload = moduleMeta(m)[META_KEY];
      const seconds = moduleCostSeconds(m);
      if (isPayload(payload)) {
        collectMs += payload.collectMs ?? 0;
        const blocks = payload.blockHits ? this.blocksOf(m.project, payload.blockHits) : undefined;
        records.push({ test, executed: payload.executed, read: payload.read, seconds, ...(blocks ? { blocks } : {}) });
        continue;
      }
      fallbacks.push(test);
      const deps = await staticDependencies(m.project, m.moduleId).catch(() => [m.moduleId]);
      const executed = deps.map((d) => this.opts.filter.toRelative(d)).filter((d): d is string => !!d);
      records.push({ test, executed: executed.length ? executed : [test], read: [], seconds });
    }
    if (fallbacks.length) {
      this.opts.log(`no runtime record for ${fallbacks.length} test file(s) (failed before their hooks ran); mapped by static imports: ${fallbacks.join(', ')}`);
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
    const written = await writeRecording(records, {
      root,
      mapPath: this.opts.mapPath,
      timingsPath: this.opts.timingsPath,
      runner: 'vitest',
      runnerVersion: this.vitest ? vitestVersion(this.vitest) : undefined,
      known,
      ...(shard ? { shard: { index: shard.index, count: shard.count } } : {}),
    });
    this.opts.log(
      `recorded ${written.tests} test files, ${written.edges} edges → ${written.mapPath}, ${written.timingsPath} ` +
        `(collector: ${Math.round(collectMs)} ms in workers)`,
    );
  }
}
