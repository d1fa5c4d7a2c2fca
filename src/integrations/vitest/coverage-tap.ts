/**
 * Per-test-file executed scripts read from Vitest's own V8 coverage, so a recording run can
 * also be the user's `--coverage` run (see coverage-conflict.ts for why we must not open a
 * second V8 session then).
 *
 * After every test file, the worker takes V8 precise coverage (`callCount: true`, so the take
 * resets the counts: each take holds exactly one file's window, also under `isolate: false`)
 * and sends it to the main process as `onAfterSuiteRun({ coverage, testFiles, projectName })`,
 * which Vitest hands to `coverageProvider.onAfterSuiteRun`. The reporter wraps that method,
 * notes which scripts ran for which test file, and passes the call on unchanged.
 *
 * `coverage` is `{ result: ScriptCoverage[] }` in Vitest 3/4 and the path of a JSON file
 * holding it in Vitest 5. `testFiles` are relative to the project's root.
 *
 * Block data: @vitest/coverage-v8 takes detailed coverage (`detailed: true`, the block counts our
 * own session would take) and, in Vitest 4, puts on each script the length of the wrapper Vitest
 * evaluates the module in (`startOffset`, from the worker's `moduleExecutionInfo`, the figure our
 * own worker reads). So a take of exactly one test file gives that file's block hits just as the
 * worker would have. A take without a positive `startOffset` (unknown: other versions write 0)
 * or of several files at once gives none: those files stay at file level.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Vitest } from 'vitest/node';
import { scriptRan, type ScriptCoverage } from '../shared/precise-coverage.js';
import { scriptUrlToPath, type RootFilter } from '../shared/path-filter.js';
import { blockHitsOf, type BlockHits } from './blocks.js';

interface SuiteRunMeta {
  coverage?: unknown;
  testFiles?: string[];
  projectName?: string;
}

function scriptsOf(coverage: unknown): ScriptCoverage[] | undefined {
  let value = coverage;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(readFileSync(value, 'utf8'));
    } catch {
      return undefined;
    }
  }
  const result = (value as { result?: unknown } | undefined)?.result;
  return Array.isArray(result) ? (result as ScriptCoverage[]) : undefined;
}

export class CoverageTap {
  /** `project\0absolute test file` → repo-relative files that ran in its window. */
  private readonly executed = new Map<string, Set<string>>();
  /** `project\0absolute test file` → its block hits, when a take held that file alone. */
  private readonly hits = new Map<string, BlockHits[]>();

  /** `blocks`: keep block hits too (block data was asked for). */
  constructor(
    private readonly filter: RootFilter,
    private readonly blocks = false,
  ) {}

  static key(projectName: string, file: string): string {
    return `${projectName}\0${file}`;
  }

  /** Wrap the run's coverage provider; false when there is none to wrap. */
  install(vitest: Vitest): boolean {
    const provider = (vitest as unknown as { coverageProvider?: { onAfterSuiteRun?: (meta: SuiteRunMeta) => unknown } | null }).coverageProvider;
    const original = provider?.onAfterSuiteRun;
    if (!provider || typeof original !== 'function') return false;
    provider.onAfterSuiteRun = (meta: SuiteRunMeta) => {
      try {
        this.note(vitest, meta);
      } catch {
        /* the user's coverage must never suffer from the recorder */
      }
      return original.call(provider, meta);
    };
    return true;
  }

  private note(vitest: Vitest, meta: SuiteRunMeta): void {
    const scripts = scriptsOf(meta.coverage);
    if (!scripts || !meta.testFiles?.length) return;
    const ran = new Set<string>();
    const ranScripts: ScriptCoverage[] = [];
    for (const s of scripts) {
      const abs = scriptUrlToPath(s.url);
      const rel = abs && this.filter.toRelative(abs);
      if (rel && scriptRan(s)) {
        ran.add(rel);
        ranScripts.push(s);
      }
    }
    const name = meta.projectName ?? '';
    const project = vitest.projects.find((p) => p.name === name);
    const root = project?.config.root ?? vitest.config.root;
    // One take per test file in Vitest 4; a batch of several gets the union (more, never fewer).
    for (const f of meta.testFiles) {
      const key = CoverageTap.key(name, resolve(root, f));
      const set = this.executed.get(key);
      if (set) {
        for (const r of ran) set.add(r);
        this.hits.delete(key); // a second take of the file: its window is no longer one take
      } else {
        this.executed.set(key, new Set(ran));
        if (this.blocks && meta.testFiles.length === 1) this.hits.set(key, blockHitsOf(ranScripts, this.filter, wrapperLength));
      }
    }
  }

  /** Block hits of this test file, or undefined when its takes could not give them. */
  blockHitsFor(projectName: string, file: string): BlockHits[] | undefined {
    return this.hits.get(CoverageTap.key(projectName, file));
  }

  /** Repo-relative files that ran for this test file, or undefined when no take was seen. */
  executedFor(projectName: string, file: string): string[] | undefined {
    const set = this.executed.get(CoverageTap.key(projectName, file));
    return set && [...set];
  }
}

/** Vitest's wrapper length on a script of coverage-v8's take; 0 or absent: unknown. */
function wrapperLength(_file: string, script: ScriptCoverage): number | undefined {
  const offset = (script as { startOffset?: unknown }).startOffset;
  return typeof offset === 'number' && offset > 0 ? offset : undefined;
}
