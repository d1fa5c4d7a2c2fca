/**
 * `testsift/vitest/setup`: the setup file the plugin prepends to every project's setupFiles (and
 * has Vitest inline, so it is evaluated again for every test file even with `isolate: false`:
 * an external setup file would be a cached native import, run once per worker). It brackets
 * each test file with a coverage window and leaves what the file executed and read
 * on the file suite's `meta`, which Vitest serialises back to the reporter (`testModule.meta()`).
 *
 * A failure of the recorder must never fail the user's tests: it is reported on stderr and the
 * file is left without a record, which the reporter maps conservatively (static imports).
 */
import { afterAll } from 'vitest';
// One module (bundled at build): see worker-entry.ts.
import { readRecorderConfig, META_KEY, workerRecorder, onFileEnd } from './worker-entry.js';

function warn(stage: string, err: unknown): void {
  process.stderr.write(`testsift: recorder failed to ${stage}: ${(err as Error)?.message ?? String(err)}\n`);
}

const cfg = readRecorderConfig();
if (cfg) {
  let started = false;
  const recorder = workerRecorder(cfg);
  const begin = performance.now();
  try {
    await recorder.beginFile(currentFile(), isIsolated());
    started = true;
  } catch (err) {
    warn('start', err);
  }
  const beginMs = performance.now() - begin;
  if (started) {
    onFileEnd(afterAll, cfg.vitestVersion, async (suite) => {
      const ending = performance.now();
      try {
        const payload = await recorder.endFile(suite.filepath, !isIsolated(), setupFiles());
        // The recorder's own time in this file, so its overhead can be reported, not guessed.
        payload.collectMs = Math.round((beginMs + performance.now() - ending) * 10) / 10;
        (suite.meta as Record<string, unknown>)[META_KEY] = payload;
      } catch (err) {
        warn(`collect ${suite.filepath}`, err);
      }
    });
  }
}

/** The test file this worker is about to run (Vitest sets it before the setup files run). */
function currentFile(): string | undefined {
  const file = (globalThis as { __vitest_worker__?: { filepath?: unknown } }).__vitest_worker__?.filepath;
  return typeof file === 'string' ? file : undefined;
}

function workerConfig(): { isolate?: boolean; setupFiles?: unknown } | undefined {
  return (globalThis as { __vitest_worker__?: { config?: { isolate?: boolean; setupFiles?: unknown } } }).__vitest_worker__?.config;
}

/** Whether this worker gives each test file a fresh module graph; unknown counts as shared. */
function isIsolated(): boolean {
  const isolate = workerConfig()?.isolate;
  return isolate !== false && isolate !== undefined;
}

/** The project's setup files (absolute): they run for every test file, so their imports count. */
function setupFiles(): string[] {
  const files = workerConfig()?.setupFiles;
  return Array.isArray(files) ? files.filter((f): f is string => typeof f === 'string') : [];
}
