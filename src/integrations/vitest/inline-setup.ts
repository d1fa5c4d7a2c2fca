/**
 * Make Vitest inline (transform and evaluate through its module runner) our setup file.
 *
 * Why: Vitest re-imports setup files for every test file by invalidating them in its module
 * runner. That works for inlined modules only. Our setup file lives in `node_modules`, so by
 * default it is externalised: a native `import()`, cached by Node, evaluated once per worker.
 * Under `isolate: false` only the first test file of each worker would then get a record.
 *
 * Vitest 4 already inlines the setup files it knew when the project's resolver was built
 * (`inlineFiles`), but the plugin adds ours later (in `configureVitest`). So the file is added
 * to the same resolver's list; failing that (another version's internals), to the project's
 * `server.deps.inline` when that is an array the resolver reads. The result is checked by
 * observation in the tests, and a file still left without a record is reported and mapped
 * conservatively by the reporter.
 */
import { pathToFileURL } from 'node:url';
import type { TestProject } from 'vitest/node';

interface ResolverLike {
  options?: { inlineFiles?: string[]; inline?: unknown };
}

/** True when the file was added to a list Vitest consults (or everything is inlined anyway). */
export function inlineSetupFile(project: TestProject, file: string): boolean {
  const ids = [file, pathToFileURL(file).href];
  const resolver = (project as unknown as { _resolver?: ResolverLike })._resolver;
  const inlineFiles = resolver?.options?.inlineFiles;
  if (Array.isArray(inlineFiles)) {
    for (const id of ids) if (!inlineFiles.includes(id)) inlineFiles.push(id);
    return true;
  }
  const deps = (project.config as unknown as { server?: { deps?: { inline?: unknown } } }).server?.deps;
  if (deps?.inline === true) return true;
  if (Array.isArray(deps?.inline)) {
    if (!deps.inline.includes(file)) deps.inline.push(file);
    return true;
  }
  return false;
}
