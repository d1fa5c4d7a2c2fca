/**
 * Everything the setup file runs in a worker, behind one module. The build bundles this file
 * with what it imports into one ES module (scripts/bundle-worker.mjs): Vitest 4 starts a fresh
 * worker process per test file (pool forks/threads with isolate), and each one paid ~6 ms of CPU
 * (Node 20) to resolve and load our ten separate worker modules, against ~1.5 ms for one bundle:
 * the largest cost of recording that is ours alone. Unbundled (tsc only) it works the same.
 */
export { readRecorderConfig, META_KEY } from './recorder-config.js';
export { workerRecorder } from './worker-recorder.js';
export { onFileEnd } from './worker-adapter.js';
