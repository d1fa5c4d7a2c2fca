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
 * Self-contained: it may require only Node built-ins, since it runs in Jest's sandbox.
 */
import fs = require('fs');
import path = require('path');
import crypto = require('crypto');
import url = require('url');
import recorder = require('./v8-recorder.cjs');

const READS_DIR = 'TESTSIFT_JEST_READS_DIR';
const READS_ROOT = 'TESTSIFT_JEST_ROOT';
/** Set by the reporter: `1` records function-level blocks; `V8=0` leaves V8 to Jest's own v8 coverage. */
const BLOCKS = 'TESTSIFT_JEST_BLOCKS';
const V8 = 'TESTSIFT_JEST_V8';
const STATE = Symbol.for('testsift.jest.reads');

/** Per worker process: fs is the real module shared by every test file's sandbox. */
interface ReadsState {
  root: string;
  /** The current test file's reads file; undefined between test files. */
  out: string | undefined;
  seen: Set<string>;
}

type Holder = Record<symbol, ReadsState | undefined>;
type AnyFn = (...args: unknown[]) => unknown;

function pathOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (Buffer.isBuffer(arg)) return arg.toString();
  // URL objects may come from another realm (the sandbox), so check the shape, not the class.
  if (arg && typeof arg === 'object' && (arg as URL).protocol === 'file:' && typeof (arg as URL).href === 'string') {
    try {
      return url.fileURLToPath((arg as URL).href);
    } catch {
      return undefined;
    }
  }
  return undefined; // a file descriptor: its path was noted when it was opened
}

function isReadFlag(flags: unknown): boolean {
  if (flags === undefined || flags === null) return true;
  if (typeof flags === 'string') return flags.startsWith('r');
  if (typeof flags === 'number') return (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR)) !== fs.constants.O_WRONLY;
  return true;
}

/**
 * Module resolution (Jest's resolver, other loaders) reads package.json files for their `main`
 * and `exports` fields. Those reads say nothing about what a test depends on, and which test
 * happens to trigger them first is an accident of caching, so they are left out. The caller is
 * the first stack frame outside this file and Node's internals (Jest source-maps stack frames,
 * so this file shows as setup.cjs or setup.cts).
 */
const OWN_FRAME = `${path.sep}integrations${path.sep}jest${path.sep}setup.c`;
function calledFromDependency(): boolean {
  const frames = (new Error().stack ?? '').split('\n').slice(1);
  for (const frame of frames) {
    if (frame.includes(OWN_FRAME) || frame.includes('node:') || !frame.includes(path.sep)) continue;
    return frame.includes(`${path.sep}node_modules${path.sep}`);
  }
  return false;
}

function note(state: ReadsState, arg: unknown): void {
  if (!state.out) return;
  // ts-jest and friends read every source and tsconfig.json while compiling: not the test's reads.
  if (recorder.transforming()) return;
  const p = pathOf(arg);
  if (!p) return;
  const abs = path.resolve(p);
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

function wrap(target: Record<string, unknown>, name: string, state: ReadsState, onlyReadFlags: boolean): void {
  const original = target[name];
  if (typeof original !== 'function') return;
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    if (!onlyReadFlags || isReadFlag(args[1])) note(state, args[0]);
    return (original as AnyFn).apply(this, args);
  };
  Object.defineProperty(wrapped, 'name', { value: (original as AnyFn).name });
  target[name] = wrapped;
}

/** Patch fs once per process; later test files in the same worker reuse the patch. */
function install(root: string): ReadsState {
  const holder = fs as unknown as Holder;
  const existing = holder[STATE];
  if (existing) return existing;
  const state: ReadsState = { root, out: undefined, seen: new Set() };
  Object.defineProperty(fs, STATE, { value: state });
  const sync = fs as unknown as Record<string, unknown>;
  for (const name of ['readFileSync', 'readFile', 'createReadStream']) wrap(sync, name, state, false);
  for (const name of ['openSync', 'open']) wrap(sync, name, state, true);
  const promises = fs.promises as unknown as Record<string, unknown>;
  wrap(promises, 'readFile', state, false);
  wrap(promises, 'open', state, true);
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
    const rec = recorder.installRecorder(root, blocks && process.env[V8] !== '0');
    recorder.beginFile(rec, testPath, dir, blocks, g.afterAll);
  } catch (err) {
    process.stderr.write(`testsift: recorder failed to start for ${testPath}: ${(err as Error).message}\n`);
  }
  const state = install(root);
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

start();
