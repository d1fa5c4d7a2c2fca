/**
 * `testsift/jest/setup` (CommonJS, because Jest loads setup files inside its own module
 * registry, where an ES module needs --experimental-vm-modules). Put it in
 * `setupFilesAfterEnv`: there `expect.getState().testPath` names the test file, which plain
 * `setupFiles` cannot know.
 *
 * It starts the recorder of what each test file executes (v8-recorder.cts) and notes the files
 * each test file reads with `fs` (fixtures, JSON, templates): coverage only
 * sees executed JavaScript, so these dependencies are invisible otherwise. Reads are appended, one
 * JSON string a line, to a file per test-file run in the folder the reporter names in
 * TESTSIFT_JEST_READS_DIR; the first line is the test file. Appending as we go (rather than
 * writing at the end) keeps what a test read even when it crashes before its hooks run.
 * Without that variable (recording off) this file does nothing.
 *
 * Self-contained: it may require only Node built-ins and our own CommonJS files beside it (no
 * packages, no ES modules), since it runs in Jest's sandbox.
 */
import fs = require('fs');
import path = require('path');
import crypto = require('crypto');
import recorder = require('./v8-recorder.cjs');
// The fs patch Vitest's worker uses too, as the CommonJS copy scripts/bundle-cli.mjs builds.
import reads = require('../shared/fs-reads.cjs');
// Follows the child processes a test file starts (shared with the Vitest worker, see child-spawns.ts).
import children = require('../shared/child-spawns.cjs');

const READS_DIR = 'TESTSIFT_JEST_READS_DIR';
const READS_ROOT = 'TESTSIFT_JEST_ROOT';
/** Set by the reporter: `1` records function-level blocks; `V8=0` leaves V8 to Jest's own v8 coverage. */
const BLOCKS = 'TESTSIFT_JEST_BLOCKS';
const V8 = 'TESTSIFT_JEST_V8';
const CHILD_DIR = 'TESTSIFT_JEST_CHILD_DIR';
/** Set by the reporter: `1` asks V8 for block counts inside functions (branch-level blocks). */
const BRANCHES = 'TESTSIFT_JEST_BRANCHES';
const STATE = Symbol.for('testsift.jest.reads');

/** Per worker process: fs is the real module shared by every test file's sandbox. */
interface ReadsState {
  root: string;
  /** The current test file's reads file; undefined between test files. */
  out: string | undefined;
  seen: Set<string>;
}

type Holder = Record<symbol, ReadsState | undefined>;

/**
 * Module resolution (Jest's resolver, other loaders) reads package.json files for their `main`
 * and `exports` fields. Those reads say nothing about what a test depends on, and which test
 * happens to trigger them first is an accident of caching, so they are left out. The caller is
 * the first stack frame outside our own files and Node's internals (Jest source-maps stack frames,
 * so ours show as setup.cjs or setup.cts, fs-reads.cjs or fs-reads.ts).
 */
const OWN_FRAMES = [`${path.sep}integrations${path.sep}jest${path.sep}setup.c`, `${path.sep}integrations${path.sep}shared${path.sep}fs-reads.`];
function calledFromDependency(): boolean {
  const frames = (new Error().stack ?? '').split('\n').slice(1);
  for (const frame of frames) {
    if (OWN_FRAMES.some((own) => frame.includes(own)) || frame.includes('node:') || !frame.includes(path.sep)) continue;
    return frame.includes(`${path.sep}node_modules${path.sep}`);
  }
  return false;
}

/** `abs` was read (the shared tracker resolved it and saw the read or open succeed). */
function note(state: ReadsState, abs: string, via: string): void {
  if (!state.out) return;
  // Jest's hand-written tracker never counted existsSync; the shared one does (for Vitest). Kept out
  // here so the Jest map records the same edges as before.
  if (via === 'existsSync') return;
  // ts-jest and friends read every source and tsconfig.json while compiling: not the test's reads.
  if (recorder.transforming()) return;
  if (state.seen.has(abs)) return;
  if (path.basename(abs) === 'package.json' && calledFromDependency()) return;
  state.seen.add(abs);
  if (!abs.startsWith(state.root + path.sep)) return;
  if (abs.split(path.sep).includes('node_modules')) return;
  try {
    fs.appendFileSync(state.out, `${JSON.stringify(abs)}\n`);
  } catch {
    // Losing a read only loses an edge the reporter would add; never fail the user's test for it.
  }
}

/** Patch fs once per process; later test files in the same worker reuse the patch. */
function install(root: string): ReadsState {
  const holder = fs as unknown as Holder;
  const existing = holder[STATE];
  if (existing) return existing;
  const state: ReadsState = { root, out: undefined, seen: new Set() };
  Object.defineProperty(fs, STATE, { value: state });
  const tracker = reads.installFsReadTracker();
  if (tracker.listen) tracker.listen((abs, via) => note(state, abs, via));
  else process.stderr.write('testsift: fs is patched by an older testsift in this Jest worker; file reads are not recorded\n');
  return state;
}

interface JestGlobals {
  expect?: { getState?: () => { testPath?: string } };
  afterAll?: (fn: () => void) => void;
}

function start(): void {
  const dir = process.env[READS_DIR];
  if (!dir) return;
  const g = globalThis as unknown as JestGlobals;
  const testPath = g.expect?.getState?.().testPath;
  if (!testPath || typeof g.afterAll !== 'function') {
    process.stderr.write('testsift: testsift/jest/setup must be listed in setupFilesAfterEnv (not setupFiles); file reads are not recorded\n');
    return;
  }
  const root = process.env[READS_ROOT] || process.cwd();
  try {
    const blocks = process.env[BLOCKS] === '1';
    const rec = recorder.installRecorder(root, blocks && process.env[V8] !== '0', process.env[BRANCHES] === '1');
    recorder.beginFile(rec, testPath, dir, blocks, g.afterAll);
  } catch (err) {
    process.stderr.write(`testsift: recorder failed to start for ${testPath}: ${(err as Error).message}\n`);
  }
  followChildren(testPath, root);
  const state = install(root);
  // The shared tracker also keeps what it saw for a take(); Jest writes reads out as they happen
  // instead, so that set is only emptied.
  reads.installFsReadTracker().take();
  const id = crypto.createHash('sha1').update(testPath).digest('hex').slice(0, 16);
  const out = path.join(dir, `${id}-${process.pid}-${crypto.randomBytes(4).toString('hex')}.reads`);
  try {
    fs.writeFileSync(out, `${JSON.stringify(testPath)}\n`);
  } catch {
    return; // the reporter's folder is gone: nothing to record into
  }
  state.out = out;
  state.seen = new Set([path.resolve(testPath)]);
  g.afterAll(() => {
    if (state.out === out) state.out = undefined;
  });
}

/**
 * The worker's real `process.env`: the sandbox's `process.env` is a copy, and child_process (the
 * real module) hands the real one to a child spawned without an `env` option. A function of a
 * core module belongs to the outer realm, so its Function constructor evaluates there.
 */
function realEnv(): NodeJS.ProcessEnv {
  try {
    const OuterFunction = (fs.readFileSync as unknown as { constructor: FunctionConstructor }).constructor;
    const outer = OuterFunction('return process')() as NodeJS.Process | undefined;
    if (outer?.env) return outer.env;
  } catch {
    /* fall through */
  }
  return process.env;
}

function followChildren(testPath: string, root: string): void {
  const dir = process.env[CHILD_DIR];
  if (!dir) return;
  try {
    children.installChildTracker(dir, root, realEnv()).begin(testPath);
  } catch (err) {
    process.stderr.write(`testsift: child processes of ${testPath} are not followed: ${(err as Error).message}\n`);
  }
}

start();
