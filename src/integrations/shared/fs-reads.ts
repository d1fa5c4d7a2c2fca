import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Notes the files a test reads with `fs` at run time (fixtures, JSON, snapshots), so a change to
 * them selects the test. Runner-agnostic: patch once per worker, then `take()` per test file.
 *
 * The patched functions are the ones tests and libraries use to read whole files, open them for
 * reading (then `read` on the descriptor) or check for them; the wrappers only record the path
 * and call the original, so behaviour is unchanged. An open is noted only once it succeeded
 * and existsSync only when true: a file that is not there is no dependency we can map (one that
 * appears later is an added file, which the unmapped policy handles).
 * `syncBuiltinESMExports()` makes `import { readFileSync } from 'node:fs'` see the patch too.
 * Reads by child processes are not seen: tests.yml rules cover those (docs/design.md).
 *
 * Both runners use this one implementation: Vitest's worker as an ES module, Jest's setup file
 * through the CommonJS copy scripts/bundle-cli.mjs builds (dist/integrations/shared/fs-reads.cjs).
 */
export interface FsReadTracker {
  /** Absolute paths read since the previous take (or since install). */
  take(): Set<string>;
  /**
   * Also tell `listener` about every read as it happens (to attribute a read to the module being
   * evaluated at that moment, or to write it out as it happens). `via` names the fs function
   * (`readFileSync`, `existsSync`, `open`...), for a caller that counts only some of them.
   * Optional: a tracker installed by an older testsift lacks it.
   */
  listen?(listener: ReadListener): void;
}

export type ReadListener = (absPath: string, via: string) => void;

const KEY = Symbol.for('testsift.fsReads');

type AnyFn = (...args: unknown[]) => unknown;

function pathOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return resolve(arg);
  if (Buffer.isBuffer(arg)) return resolve(arg.toString());
  // A URL may come from another realm (a Jest sandbox, a Vitest VM context), where `instanceof
  // URL` is false: check the shape, not the class.
  if (arg && typeof arg === 'object' && (arg as URL).protocol === 'file:' && typeof (arg as URL).href === 'string') {
    try {
      return fileURLToPath((arg as URL).href);
    } catch {
      return undefined;
    }
  }
  return undefined; // file descriptors and FileHandles: the open was not seen as a path
}

/**
 * Whether an open is for reading: 'r', 'r+', 'rs+', or an O_RDONLY / O_RDWR number. Opens that
 * create, truncate or append ('w', 'a', 'wx+') are outputs, not inputs.
 */
function isReadOpen(flags: unknown): boolean {
  if (flags === undefined || flags === null) return true; // Node's default is 'r'
  if (typeof flags === 'string') return flags.startsWith('r');
  if (typeof flags === 'number') return (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR)) !== fs.constants.O_WRONLY;
  return true;
}

export function installFsReadTracker(): FsReadTracker {
  // Kept on the builtin fs module itself, the one object every context of a worker shares: VM-context
  // pools (vmThreads/vmForks) give each test file its own globalThis, and Jest each test file its
  // own `process` object too. So fs is patched once per worker whatever the runner and pool. (Also
  // looked up on `process`, where testsift kept it before, so an older copy's patch is not doubled.)
  const holder = fs as unknown as Record<symbol, FsReadTracker | undefined>;
  const g = process as unknown as Record<symbol, FsReadTracker | undefined>;
  const existing = holder[KEY] ?? g[KEY];
  if (existing) return existing;
  let seen = new Set<string>();
  const listeners: ReadListener[] = [];
  const note = (arg: unknown, via: string): void => {
    const p = pathOf(arg);
    if (!p) return;
    seen.add(p);
    for (const l of listeners) {
      try {
        l(p, via);
      } catch {
        /* a recorder fault must never fail the user's read */
      }
    }
  };
  const wrap = (target: Record<string, unknown>, name: string, onlyIfTrue = false): void => {
    const original = target[name] as AnyFn | undefined;
    if (typeof original !== 'function') return;
    const wrapped = function (this: unknown, ...args: unknown[]): unknown {
      const out = original.apply(this, args);
      // existsSync: only a file that exists is a dependency we can map (a missing one that
      // appears later is an added file, which the unmapped policy handles).
      if (!onlyIfTrue || out === true) note(args[0], name);
      return out;
    };
    Object.defineProperty(wrapped, 'name', { value: original.name });
    target[name] = wrapped;
  };
  /**
   * open / openSync / promises.open for reading: the path is noted once the open succeeded (the
   * file exists), so a later `read` on the descriptor is covered. The callback or promise is
   * passed through unchanged apart from that note.
   */
  const wrapOpen = (target: Record<string, unknown>, name: string, style: 'sync' | 'callback' | 'promise'): void => {
    const original = target[name] as AnyFn | undefined;
    if (typeof original !== 'function') return;
    const wrapped = function (this: unknown, ...args: unknown[]): unknown {
      if (!isReadOpen(typeof args[1] === 'function' ? undefined : args[1])) return original.apply(this, args);
      if (style === 'callback') {
        const last = args.length - 1;
        const cb = args[last];
        if (typeof cb === 'function') {
          args[last] = function (this: unknown, err: unknown, ...rest: unknown[]): unknown {
            if (!err) note(args[0], name);
            return (cb as AnyFn).call(this, err, ...rest);
          };
        }
        return original.apply(this, args);
      }
      const out = original.apply(this, args);
      if (style === 'sync') note(args[0], name);
      else if (out instanceof Promise) {
        return out.then((handle: unknown) => {
          note(args[0], name);
          return handle;
        });
      }
      return out;
    };
    Object.defineProperty(wrapped, 'name', { value: original.name });
    target[name] = wrapped;
  };
  const fsObj = fs as unknown as Record<string, unknown>;
  wrapOpen(fsObj, 'openSync', 'sync');
  wrapOpen(fsObj, 'open', 'callback');
  wrapOpen(fs.promises as unknown as Record<string, unknown>, 'open', 'promise');
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
    listen(listener) {
      listeners.push(listener);
    },
  };
  Object.defineProperty(fs, KEY, { value: tracker });
  return tracker;
}
