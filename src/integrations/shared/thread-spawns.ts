import { mkdirSync } from 'node:fs';
import workerThreads from 'node:worker_threads';

/**
 * Follows the worker threads a test starts (`new Worker('./task.js')`, a thread pool running the
 * project's code): a thread is a V8 isolate of its own, which the recorder's inspector session
 * does not see.
 *
 * How: Node writes a worker thread's V8 coverage when the thread ends (`terminate()` included)
 * if the thread's own environment names NODE_V8_COVERAGE. The Worker class is replaced by a
 * subclass that gives each thread an `env` naming its spawn folder: the caller's `env`, else a
 * copy of the real process environment (what a Worker gets by default). The main process reads
 * the folder like a child process's (shared/child-coverage.ts); a thread that leaves nothing
 * makes its test always selected, as does one started with `env: SHARE_ENV` (its env cannot be
 * given a folder of its own).
 */

/** What the follower needs from child-spawns.ts: a new spawn folder and its log line. */
export interface ThreadSpawnSink {
  /** A folder for a new spawn of the current test file (logged), or undefined between files. */
  next(cmd: string): string | undefined;
  /** The process's real environment (in Jest, the sandbox's `process.env` is a copy). */
  env: NodeJS.ProcessEnv;
}

const KEY = Symbol.for('testsift.threadSpawns');

function describe(filename: unknown, options: { eval?: unknown } | undefined): string {
  if (options?.eval) return 'new Worker(<eval code>)';
  const name = filename instanceof URL ? filename.href : String(filename);
  return `new Worker(${name.length > 200 ? `${name.slice(0, 200)}…` : name})`;
}

/**
 * Replace `worker_threads.Worker` once per process (every test file's sandbox shares the module)
 * with a subclass that follows the thread into `sink`'s current spawn folder. The caller runs
 * `syncBuiltinESMExports()` after, for `import { Worker }`.
 */
export function installThreadTracker(sink: ThreadSpawnSink): void {
  const mod = workerThreads as unknown as Record<string | symbol, unknown>;
  const holder = mod[KEY] as { sink: ThreadSpawnSink } | undefined;
  if (holder) {
    holder.sink = sink;
    return;
  }
  const current = { sink };
  Object.defineProperty(mod, KEY, { value: current });
  const Original = workerThreads.Worker;
  class FollowedWorker extends Original {
    constructor(filename: string | URL, options?: workerThreads.WorkerOptions) {
      super(filename, follow(current.sink, filename, options));
    }
  }
  Object.defineProperty(FollowedWorker, 'name', { value: 'Worker' });
  mod.Worker = FollowedWorker;
}

function follow(sink: ThreadSpawnSink, filename: unknown, options: workerThreads.WorkerOptions | undefined): workerThreads.WorkerOptions | undefined {
  const env = options?.env;
  const dir = sink.next(describe(filename, options));
  if (!dir) return options;
  // SHARE_ENV (a symbol) or anything else but a plain object: the thread's env cannot be given a
  // folder of its own. Logged all the same, its folder stays empty and the test is always selected.
  if (env !== undefined && (env === null || typeof env !== 'object')) return options;
  try {
    mkdirSync(dir, { recursive: true });
  } catch {
    /* Node creates it too */
  }
  return { ...(options ?? {}), env: { ...((env as NodeJS.ProcessEnv | undefined) ?? sink.env), NODE_V8_COVERAGE: dir } };
}
