import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Notes the files a test reads with `fs` at run time (fixtures, JSON, snapshots), so a change to
 * them selects the test. Runner-agnostic: patch once per worker, then `take()` per test file.
 *
 * The patched functions are the ones tests and libraries use to read whole files or check for
 * them; the wrappers only record the path and call the original, so behaviour is unchanged.
 * `syncBuiltinESMExports()` makes `import { readFileSync } from 'node:fs'` see the patch too.
 * Reads through other APIs (fs.open + read, child processes) are not seen: tests.yml rules cover
 * those (DESIGN §6).
 */
export interface FsReadTracker {
  /** Absolute paths read since the previous take (or since install). */
  take(): Set<string>;
}

const KEY = Symbol.for('testsift.fsReads');

type AnyFn = (...args: unknown[]) => unknown;

function pathOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return resolve(arg);
  if (arg instanceof URL) return arg.protocol === 'file:' ? fileURLToPath(arg) : undefined;
  if (Buffer.isBuffer(arg)) return resolve(arg.toString());
  return undefined; // file descriptors and FileHandles: the open was not seen as a path
}

export function installFsReadTracker(): FsReadTracker {
  // Kept on `process`, which VM-context pools (vmThreads/vmForks) share across test files, unlike
  // globalThis: the builtin fs is patched once per worker whatever the pool.
  const g = process as unknown as Record<symbol, FsReadTracker | undefined>;
  const existing = g[KEY];
  if (existing) return existing;
  let seen = new Set<string>();
  const note = (arg: unknown): void => {
    const p = pathOf(arg);
    if (p) seen.add(p);
  };
  const wrap = (target: Record<string, unknown>, name: string, onlyIfTrue = false): void => {
    const original = target[name] as AnyFn | undefined;
    if (typeof original !== 'function') return;
    const wrapped = function (this: unknown, ...args: unknown[]): unknown {
      const out = original.apply(this, args);
      // existsSync: only a file that exists is a dependency we can map (a missing one that
      // appears later is an added file, which the unmapped policy handles).
      if (!onlyIfTrue || out === true) note(args[0]);
      return out;
    };
    Object.defineProperty(wrapped, 'name', { value: original.name });
    target[name] = wrapped;
  };
  const fsObj = fs as unknown as Record<string, unknown>;
  wrap(fsObj, 'readFileSync');
  wrap(fsObj, 'readFile');
  wrap(fsObj, 'createReadStream');
  wrap(fsObj, 'existsSync', true);
  wrap(fs.promises as unknown as Record<string, unknown>, 'readFile');
  syncBuiltinESMExports();
  const tracker: FsReadTracker = {
    take() {
      const out = seen;
      seen = new Set();
      return out;
    },
  };
  g[KEY] = tracker;
  return tracker;
}
