import { Session } from 'node:inspector';

/** V8's per-function coverage of one script (`Profiler.takePreciseCoverage`, detailed: false). */
export interface ScriptCoverage {
  scriptId: string;
  url: string;
  functions: Array<{
    functionName: string;
    ranges: Array<{ startOffset: number; endOffset: number; count: number }>;
    isBlockCoverage: boolean;
  }>;
}

/**
 * A light executed-code collector: one inspector session per worker. `take()` returns what ran
 * since the previous `take()` (V8 resets the counters), so a take at the start and at the end of
 * a test file brackets exactly that file.
 *
 * Why V8 and not istanbul: V8 counts in the engine and costs nothing until `take()`, whereas
 * istanbul rewrites every module with a counter per statement and slows all code it runs;
 * file- and function-level attribution is all a selection map needs.
 *
 * Two modes (V8's `callCount`):
 * - call counts: every take reports every function called since the previous take. Without
 *   block counts (`detailed: false`) V8 turns its optimizing compilers off while it counts
 *   (Isolate::use_optimizer; seen on Node 20: a hot loop stays unoptimised, where with block
 *   counts or in binary mode it is optimised).
 * - binary (`callCount: false`): a take reports a function as run (1) only the first time it is
 *   seen run since coverage started, and 0 in every later take even if it ran again; the
 *   optimizing compilers stay on (a function is not inlined before it has been reported). Exact
 *   for the first take after the start, so only for a window that is the first and only one: a
 *   worker that runs one test file from a fresh start. {@link countCalls} switches a session
 *   started in binary mode to call counts, for a worker that turns out to run another file.
 */
export class PreciseCoverage {
  private session: Session | undefined;
  private detailed = false;
  /** Started in binary mode and not switched to call counts since. */
  binary = false;

  private post<T>(method: string, params?: object): Promise<T> {
    return new Promise((resolve, reject) => {
      this.session!.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result as T)));
    });
  }

  get started(): boolean {
    return this.session !== undefined;
  }

  /**
   * `detailed`: block counts inside functions too (if/else arms, loop bodies, code after an early
   * return), for branch-level block data. Costs a counter per block entered while on.
   * `binary`: binary mode (see the class comment): only for a window that will be the only one.
   */
  async start(detailed = false, binary = false): Promise<void> {
    if (this.session) return;
    this.session = new Session();
    this.session.connect();
    this.detailed = detailed;
    this.binary = binary;
    await this.post('Profiler.enable');
    await this.post('Profiler.startPreciseCoverage', { callCount: !binary, detailed });
  }

  /**
   * From binary mode to call counts, then a take to drop what ran so far: after it, every take
   * reports every function that ran since the previous one, also those already reported in binary
   * mode. Stopping drops V8's block counters of the code compiled so far (it reports such
   * functions whole: a function that ran counts as run in every block, more never less).
   */
  async countCalls(): Promise<void> {
    if (!this.session || !this.binary) return;
    await this.post('Profiler.stopPreciseCoverage');
    await this.post('Profiler.startPreciseCoverage', { callCount: true, detailed: this.detailed });
    this.binary = false;
    await this.take();
  }

  async take(): Promise<ScriptCoverage[]> {
    if (!this.session) return [];
    const { result } = await this.post<{ result: ScriptCoverage[] }>('Profiler.takePreciseCoverage');
    return result;
  }

  stop(): void {
    if (!this.session) return;
    try {
      this.session.disconnect();
    } catch {
      /* already gone with the worker */
    }
    this.session = undefined;
  }
}

/** A script ran in the window when any of its functions (its top level included) was called. */
export function scriptRan(script: ScriptCoverage): boolean {
  return script.functions.some((f) => (f.ranges[0]?.count ?? 0) > 0);
}
