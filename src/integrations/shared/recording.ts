import type { Block } from '../../mappings/coverage/types.js';

/** What a runner integration learned about one test file in one run. Paths repo-relative POSIX. */
export interface TestFileRecord {
  test: string;
  /** Source files the test file executed (outside node_modules). */
  executed: string[];
  /** Files under the root it read with fs at run time. */
  read: string[];
  /** Block-level data, per source file, when recorded. */
  blocks?: Array<{ source: string; blocks: Block[]; executed: number[] }>;
  /** Full per-file cost in seconds (environment + prepare + collect + setup + tests). */
  seconds: number;
}

/** Stub: the Vitest integration stage implements writing partial/complete maps and timings. */
export async function writeRecording(_records: TestFileRecord[], _opts: {
  root: string;
  mapPath: string;
  timingsPath: string;
  runner: string;
  runnerVersion?: string;
  /** Known source files the recorder could see (for "known, never executed"). */
  known?: string[];
}): Promise<void> {
  throw new Error('writeRecording: not implemented yet');
}
