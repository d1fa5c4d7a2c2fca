/**
 * `testsift/vitest/setup`: the setup file the plugin prepends to every project's setupFiles.
 * It brackets each test file with a coverage window and leaves what the file executed and read
 * on the file suite's `meta`, which Vitest serialises back to the reporter (`testModule.meta()`).
 */
import { afterAll } from 'vitest';
import { readRecorderConfig, META_KEY } from './recorder-config.js';
import { workerRecorder } from './worker-recorder.js';
import { onFileEnd } from './worker-adapter.js';

const cfg = readRecorderConfig();
if (cfg) {
  const recorder = workerRecorder(cfg);
  const started = performance.now();
  await recorder.beginFile();
  const beginMs = performance.now() - started;
  onFileEnd(afterAll, cfg.vitestVersion, async (suite) => {
    const ending = performance.now();
    const payload = await recorder.endFile(suite.filepath, !isIsolated());
    // The recorder's own time in this file, so its overhead can be reported, not guessed.
    payload.collectMs = Math.round((beginMs + performance.now() - ending) * 10) / 10;
    (suite.meta as Record<string, unknown>)[META_KEY] = payload;
  });
}

/** Whether this worker gives each test file a fresh module graph; unknown counts as shared. */
function isIsolated(): boolean {
  const state = (globalThis as { __vitest_worker__?: { config?: { isolate?: boolean } } }).__vitest_worker__;
  return state?.config?.isolate !== false && state?.config?.isolate !== undefined;
}
