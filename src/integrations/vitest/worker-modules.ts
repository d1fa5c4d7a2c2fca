/**
 * The worker's runtime module graph (what Vitest's module runner evaluated), for module-level
 * attribution when modules are shared between test files (`isolate: false`).
 *
 * With shared modules, a module's top level runs only for the first test file that imports it,
 * and reading a constant it exports runs none of its functions: V8's per-file counts then show
 * nothing for a later importer that still depends on it. The module runner, however, records
 * every import as it happens (static and dynamic, `import(computed)` included) on the importing
 * module's node, also when the imported module came from the cache. So the transitive imports of
 * a test file (and of the setup files, which run for every file) are exactly the modules it
 * would have evaluated on its own.
 *
 * Shapes: Vitest 4+ keeps `workerState.evaluatedModules` (Vite's `EvaluatedModules`, nodes with
 * `imports: Set<id>`); Vitest 3 keeps `workerState.moduleCache` (vite-node's map, whose entries
 * also carry `imports`). Anything else yields nothing, and the V8 counts alone stand.
 */
import { scriptUrlToPath } from '../shared/path-filter.js';

interface ModuleNodeLike {
  id?: string;
  file?: string | null;
  imports?: Set<string>;
  promise?: unknown;
  evaluated?: boolean;
}

interface ModuleTable {
  get(id: string): ModuleNodeLike | undefined;
  values(): Iterable<ModuleNodeLike>;
  /** Key of each node, for tables whose nodes do not carry their id. */
  entries(): Iterable<[string, ModuleNodeLike]>;
}

function table(): ModuleTable | undefined {
  const state = (globalThis as { __vitest_worker__?: Record<string, unknown> }).__vitest_worker__;
  if (!state) return undefined;
  const evaluated = state.evaluatedModules as { idToModuleMap?: Map<string, ModuleNodeLike> } | undefined;
  const map = evaluated?.idToModuleMap ?? (state.moduleCache as Map<string, ModuleNodeLike> | undefined);
  if (!(map instanceof Map)) return undefined;
  return { get: (id) => map.get(id), values: () => map.values(), entries: () => map.entries() };
}

/** The file behind a node (module-runner ids are paths; externalised ones are file URLs). */
function fileOf(id: string, node: ModuleNodeLike | undefined): string | undefined {
  return scriptUrlToPath(node?.file || id);
}

/** Absolute files of the nodes whose id or file is `path`. */
function nodesFor(t: ModuleTable, path: string): Array<[string, ModuleNodeLike]> {
  const direct = t.get(path);
  if (direct) return [[path, direct]];
  const out: Array<[string, ModuleNodeLike]> = [];
  for (const [id, node] of t.entries()) if (fileOf(id, node) === path) out.push([id, node]);
  return out;
}

/**
 * Absolute paths of every module reachable through recorded imports from `roots` (absolute
 * paths of the test file and setup files), the roots included when they are in the graph.
 */
export function importClosure(roots: readonly string[]): Set<string> {
  const t = table();
  const files = new Set<string>();
  if (!t) return files;
  const seen = new Set<string>();
  const stack: Array<[string, ModuleNodeLike]> = roots.flatMap((r) => nodesFor(t, r));
  while (stack.length) {
    const [id, node] = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const file = fileOf(id, node);
    if (file) files.add(file);
    for (const dep of node.imports ?? []) {
      if (seen.has(dep)) continue;
      const next = t.get(dep);
      if (next) stack.push([dep, next]);
      else {
        const f = scriptUrlToPath(dep);
        if (f) files.add(f);
      }
    }
  }
  return files;
}

/**
 * Absolute files of the modules being evaluated right now (started, not finished): a read that
 * happens now is part of their top-level code, the part a later importer never re-runs.
 */
export function modulesEvaluating(): string[] {
  const t = table();
  if (!t) return [];
  const out: string[] = [];
  for (const [id, node] of t.entries()) {
    if (node.promise && node.evaluated === false) {
      const f = fileOf(id, node);
      if (f) out.push(f);
    }
  }
  return out;
}
