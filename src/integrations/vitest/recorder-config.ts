import type { BlockHits } from './blocks.js';

/**
 * What the plugin (main process) tells the setup file (workers). It travels in an environment
 * variable because workers of every pool (forks, threads, vmThreads) and every Vitest major
 * inherit the environment, whereas provide/inject differs between versions and projects.
 */
export interface RecorderConfig {
  /** Repository root (real path): recorded paths are relative to it. */
  root: string;
  /** Folders never recorded: testsift's own package, the output folder. */
  exclude: string[];
  /** Vitest version, for the hook-signature adapter. */
  vitestVersion: string;
  /** Record block-level data (function bodies) too. */
  blocks: boolean;
  /**
   * Vitest's own V8 coverage is on: workers must not open a coverage session of their own (V8
   * keeps one mode and one set of counters per isolate, so ours would spoil the user's report);
   * the reporter reads each file's executed scripts from Vitest's coverage takes instead.
   */
  v8Coverage?: boolean;
  /**
   * Folder the workers' test files give their child processes for NODE_V8_COVERAGE (one folder
   * per test file under it, see shared/child-spawns.ts); absent: children are not followed.
   */
  childDir?: string;
}

export const RECORDER_ENV = 'TESTSIFT_VITEST_RECORDER';

/** Payload the setup file leaves on the file suite's `meta` for the reporter. */
export interface RecordedPayload {
  v: 1;
  executed: string[];
  read: string[];
  /** Milliseconds the recorder itself spent in this test file (start + collect). */
  collectMs?: number;
  /** Modules were shared with other test files of the worker (isolate: false). */
  shared?: boolean;
  /** Raw block-level hits (block recording on and modules not shared). */
  blockHits?: BlockHits[];
}

export const META_KEY = 'testsift';

export function readRecorderConfig(env: NodeJS.ProcessEnv = process.env): RecorderConfig | undefined {
  const raw = env[RECORDER_ENV];
  if (!raw) return undefined;
  try {
    const cfg = JSON.parse(raw) as RecorderConfig;
    return typeof cfg.root === 'string' ? cfg : undefined;
  } catch {
    return undefined;
  }
}
