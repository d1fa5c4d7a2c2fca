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
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Vitest } from 'vitest/node';
import { scriptRan, type ScriptCoverage } from '../shared/precise-coverage.js';
import { scriptUrlToPath, type RootFilter } from '../shared/path-filter.js';

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

  constructor(private readonly filter: RootFilter) {}

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
    for (const s of scripts) {
      const abs = scriptUrlToPath(s.url);
      const rel = abs && this.filter.toRelative(abs);
      if (rel && scriptRan(s)) ran.add(rel);
    }
    const name = meta.projectName ?? '';
    const project = vitest.projects.find((p) => p.name === name);
    const root = project?.config.root ?? vitest.config.root;
    // One take per test file in Vitest 4; a batch of several gets the union (more, never fewer).
    for (const f of meta.testFiles) {
      const key = CoverageTap.key(name, resolve(root, f));
      const set = this.executed.get(key);
      if (set) for (const r of ran) set.add(r);
      else this.executed.set(key, new Set(ran));
    }
  }

  /** Repo-relative files that ran for this test file, or undefined when no take was seen. */
  executedFor(projectName: string, file: string): string[] | undefined {
    const set = this.executed.get(CoverageTap.key(projectName, file));
    return set && [...set];
  }
}
