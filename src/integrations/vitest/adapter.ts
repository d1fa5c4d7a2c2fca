/**
 * Main-process differences between Vitest majors (3.1+, 4.x, 5.x), in one place.
 */
import type { TestModule, TestProject, TestSpecification, Vitest } from 'vitest/node';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Absolute path of a specification's test file (v3 also allowed tuple access `[1]`). */
export function specFile(spec: TestSpecification): string {
  const s = spec as unknown as { moduleId?: string; 1?: string };
  return s.moduleId ?? s[1] ?? '';
}

/**
 * Full cost of a test file in seconds: environment + prepare + collect (import) + setup + tests.
 * Vitest's own cache keeps only `duration` (tests and hooks), which can be a small part of it.
 */
export function moduleCostSeconds(module: TestModule): number {
  const d = module.diagnostic() as unknown as Record<string, number | undefined>;
  const ms = (d.environmentSetupDuration ?? 0) + (d.prepareDuration ?? 0) + (d.collectDuration ?? 0) + (d.setupDuration ?? 0) + (d.duration ?? 0);
  return Number.isFinite(ms) ? ms / 1000 : 0;
}

export function moduleMeta(module: TestModule): Record<string, unknown> {
  try {
    return (module.meta() as Record<string, unknown>) ?? {};
  } catch {
    return {};
  }
}

/** The file failed: a failing test, a failing hook, or an error while importing it. */
export function moduleFailed(module: TestModule): boolean {
  try {
    return module.state() === 'failed';
  } catch {
    return false;
  }
}

/**
 * Whether any of the file's tests ran (passed or failed). A file with no test that ran failed
 * before its tests (an import threw): it never reached the recorder's hooks either.
 */
export function ranTests(module: TestModule): boolean {
  try {
    for (const t of module.children.allTests()) {
      const state = t.result().state;
      if (state === 'passed' || state === 'failed') return true;
    }
  } catch {
    /* an older shape: treat as not run (static imports, the crash fallback) */
  }
  return false;
}

export function vitestVersion(vitest: Vitest): string {
  return (vitest as unknown as { version?: string }).version ?? '0.0.0';
}

interface TransformLike {
  deps?: string[];
  dynamicDeps?: string[];
}
interface EnvLike {
  moduleGraph: { getModuleById(id: string): { transformResult?: TransformLike | null } | undefined };
  transformRequest(id: string, opts?: object): Promise<TransformLike | null>;
}

/**
 * The files a test file imports (statically, and dynamically with literal specifiers),
 * transitively, outside node_modules, from Vite's module graph. Used only when a test file left
 * no runtime record (it crashed while importing): the imports it would have run stand in for
 * what it executed, so its sources still select it.
 */
export async function staticDependencies(project: TestProject, file: string): Promise<string[]> {
  const vite = project.vite as unknown as { environments?: { ssr?: EnvLike } } & EnvLike;
  const env: EnvLike = vite.environments?.ssr ?? vite;
  const root = project.config.root;
  const deps = new Set<string>();
  const visit = async (path: string): Promise<void> => {
    if (deps.has(path)) return;
    deps.add(path);
    let transformed: TransformLike | null | undefined;
    try {
      transformed = env.moduleGraph.getModuleById(path)?.transformResult ?? (await env.transformRequest(path, { ssr: true }));
    } catch {
      return; // a file that does not transform (the crash itself, often) has no further edges
    }
    const next = [...(transformed?.deps ?? []), ...(transformed?.dynamicDeps ?? [])];
    await Promise.all(
      next.map(async (dep) => {
        const fsPath = dep.startsWith('/@fs/') ? dep.slice(4) : join(root, dep);
        if (!fsPath.includes('node_modules') && existsSync(fsPath)) await visit(fsPath);
      }),
    );
  };
  await visit(file);
  return [...deps];
}

/**
 * The transformed code and source map Vite produced for `file` in this run (what the worker
 * evaluated), from the project's module graphs; undefined when not there. Test files run in the
 * `ssr` environment, or in `client` under a browser-like environment (jsdom, happy-dom: Vitest's
 * `viteEnvironment: 'client'`). A file transformed in both with different code (per-file
 * environments) is ambiguous: undefined, so its data stays at file level.
 */
export function transformResultOf(project: TestProject, file: string): { code: string; map: { mappings?: string; sources?: unknown[] } | null } | undefined {
  type GraphLike = { moduleGraph?: { getModuleById(id: string): { transformResult?: { code?: string; map?: unknown } | null } | undefined } };
  try {
    const vite = project.vite as unknown as { environments?: Record<string, GraphLike | undefined> } & GraphLike;
    const graphs = vite.environments ? [vite.environments.ssr, vite.environments.client] : [vite];
    const found: Array<{ code: string; map: unknown }> = [];
    for (const env of graphs) {
      const result = env?.moduleGraph?.getModuleById(file)?.transformResult;
      if (result && typeof result.code === 'string') found.push({ code: result.code, map: result.map });
    }
    const first = found[0];
    if (!first || found.some((r) => r.code !== first.code)) return undefined;
    return { code: first.code, map: (first.map as { mappings?: string; sources?: unknown[] } | null) ?? null };
  } catch {
    return undefined;
  }
}
