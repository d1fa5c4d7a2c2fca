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
 * A light executed-code collector: one inspector session per worker, function-granular call
 * counts. `take()` returns what ran since the previous `take()` (V8 resets the counters), so a
 * take at the start and at the end of a test file brackets exactly that file.
 *
 * Why V8 and not istanbul: V8 counts in the engine and costs nothing until `take()`, whereas
 * istanbul rewrites every module with a counter per statement and slows all code it runs;
 * file- and function-level attribution is all a selection map needs. detailed:false keeps V8 in
 * its cheap "best effort" mode (no block counters, no deoptimisation).
 */
export class PreciseCoverage {
  private session: Session | undefined;

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
   */
  async start(detailed = false): Promise<void> {
    if (this.session) return;
    this.session = new Session();
    this.session.connect();
    await this.post('Profiler.enable');
    await this.post('Profiler.startPreciseCoverage', { callCount: true, detailed });
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
