/**
 * The worker side of Jest recording (CommonJS, required by setup.cts inside Jest's sandbox, so it
 * may require only Node built-ins): what each test file executed, without Jest's coverage.
 *
 * Files: Jest runs every module anew for each test file, through its runtime's transform step,
 * so the modules a file loaded are the ones its runtime transformed — the same set a coverage
 * map's "any counter above zero" gives, at no cost. The runtime's transform methods are wrapped
 * (`Runtime.prototype` of every jest-runtime copy in Node's module cache, which
 * `require('module')` reaches from the sandbox), and what it still holds at teardown is added
 * (it knows the modules loaded before this file was first seen in a worker).
 *
 * Functions (block granularity only): V8 precise coverage, one inspector session per worker; the
 * take made when the file's runtime is torn down (after its tests, its afterAll hooks and Jest's
 * own coverage copy) holds what ran since the previous file's teardown (binary mode on Jest 30,
 * call counts on Jest 29 and with `detailed: true`, which also counts the blocks inside
 * functions for branch-level data: see startCoverage()); in binary mode one take serves
 * BATCH_FILES (16) test files, split between them by the window each script was compiled in (see
 * startBatches()). A take costs milliseconds (V8 walks
 * the functions of every live script, the TypeScript compiler's included), which is why
 * file-level recording does without. The user's coverage is left alone (with
 * `coverageProvider: 'v8'` Jest owns V8's coverage state, so the reporter tells us to stay off).
 * Where the teardown cannot be hooked, an afterAll hook closes the window.
 *
 * Transformer work belongs to no test: while the runtime transforms a module (ts-jest compiling,
 * reading every source and tsconfig.json), fs reads are not noted (`transforming`) and the time
 * spent is reported, to be taken out of the file's time.
 */
import fs = require('fs');
import path = require('path');
import crypto = require('crypto');
import inspector = require('inspector');
import nodeModule = require('module');
import url = require('url');
import v8 = require('v8');
import vm = require('vm');

const STATE = Symbol.for('testsift.jest.v8');
const PATCHED = Symbol.for('testsift.jest.patched');

interface FunctionCoverage {
  functionName: string;
  ranges: Array<{ startOffset: number; endOffset: number; count: number }>;
}
interface ScriptCoverage {
  scriptId: string;
  url: string;
  functions: FunctionCoverage[];
}

/** Jest 29 (`_fileTransforms`) and 30 (`transformCache`) runtime fields we read. */
interface RuntimeLike {
  _testPath?: string;
  _config?: Record<string, unknown>;
  _fileTransforms?: Map<string, TransformLike>;
  transformCache?: { getEntries?(): Map<string, TransformLike>; transforms?: Map<string, TransformLike> };
  constructModuleWrapperStart?(): string;
}
interface TransformLike {
  code?: string;
  originalCode?: string;
  sourceMapPath?: string | null;
}

/** What one test file ran inside one module, in offsets of the module's transformed code. */
export interface BlockHitRecord {
  file: string;
  /** The module body ran in this window (its block table may then stand for this test). */
  body: boolean;
  /** End offsets (in the transformed code, wrapper excluded) of functions that were called. */
  ends: number[];
  /** sha1 of the transformed code, stored once in the exchange folder as code-<sha>.js. */
  code: string;
  /** Jest's cached source map of the transform, when it wrote one. */
  map?: string;
  /** The transform left the source as it was (no map needed: lines are the same). */
  identity?: boolean;
  /**
   * Detailed recording only: V8's block ranges of each script of the module that ran in this
   * window, flat [start, end, count] triples in offsets of the transformed code (wrapper
   * excluded, so a start may be negative), one list per script; the reporter paints them.
   */
  ranges?: number[][];
}

export interface V8Record {
  v: 1;
  test: string;
  /** Absolute files executed or loaded by this test file. */
  executed: string[];
  blocks?: BlockHitRecord[];
  /** How the window closed: `teardown` (complete) or `afterAll` (the user's later afterAll hooks missed). */
  closedBy: 'teardown' | 'afterAll';
  /**
   * Milliseconds the runtime spent transforming modules for this file (ts-jest compiling, say):
   * the transformer's start-up lands on whichever file a worker runs first, so it is taken out of
   * the file's time.
   */
  transformMs: number;
  /** Project files seen run outside Jest's module registry in this worker so far (see RecorderState.outside). */
  outside?: string[];
}

interface FileCtx {
  testPath: string;
  out: string;
  dir: string;
  blocks: boolean;
  done: boolean;
}

export interface RecorderState {
  root: string;
  session: inspector.Session | undefined;
  /** V8 counts blocks inside functions too (`detailed: true`): branch-level data. */
  detailed?: boolean;
  /** V8 coverage in binary mode (see startCoverage()): project code outside the registry is found by noteOutside(). */
  binary?: boolean;
  /** Whether Runtime.prototype.teardown is wrapped (else afterAll closes the window). */
  hooked: boolean;
  current: FileCtx | undefined;
  /** >0 while Jest's runtime is transforming a module: fs reads then are the transformer's. */
  transforming: number;
  /** Milliseconds spent transforming since the last window closed (outermost calls only). */
  transformMs: number;
  /** Transformed code already stored in the exchange folder (sha1s). */
  stored: Set<string>;
  /** Modules the runtime transformed (= loaded) since the last window closed. */
  loaded: Set<string>;
  /**
   * Project files outside Jest's module registry (a test environment or resolver in the
   * repository, loaded by Node itself): V8 saw them run though no test file's runtime loaded
   * them, or (binary mode) noteOutside() found them. Compiled once per worker, so binary coverage
   * reports them once at most; they stay in every later file's executed list (they may run for
   * each), and the reporter adds them to every row.
   */
  outside: Set<string>;
  /** Node's require cache entries noteOutside() has looked at. */
  cacheSeen: Set<string>;
  /** Per module: the last transformed code stored and its sha1 (Jest hands the same code to each test file). */
  codes: Map<string, { code: string; sha: string }>;
  /** Binary mode with the teardown hooked: one take per BATCH_FILES test files (see closeBatched()). */
  batch?: BatchState;
  /** Take now what the pending batch ran (the reporter calls it in band; the exit handler in a worker). */
  flush?: (atExit: boolean) => void;
}

/**
 * Test files per V8 take in binary mode. A take walks every function of every live script
 * (13-24 ms a take on ts-pattern, ~0.14x of a plain run with one per test file). On ts-pattern
 * (docs/performance.md, 2026-12-07, same bench rounds) 16 files a take cost 0.03-0.09x of a plain
 * run less than 8 in every round, and 32 no less than 16; more files per take keep more module
 * copies alive until the take (their feedback vectors are listed): peak RSS +~75 MB at 16.
 * TESTSIFT_JEST_BATCH_FILES overrides it (the reporter sets 1 where Jest restarts workers).
 */
const BATCH_FILES = 16;

function batchFiles(): number {
  const n = Number(process.env.TESTSIFT_JEST_BATCH_FILES);
  return Number.isInteger(n) && n >= 1 ? n : BATCH_FILES;
}

/** The reporter's mark in the reads folder: every test file of the run has been handed out (env.ts ALL_STARTED). */
const ALL_STARTED = 'all-started';

/** A test file's window whose record was written at file level, its block data still to come. */
interface BatchWindow {
  /** Window number: marker `n` was compiled when the window opened. */
  n: number;
  ctx: FileCtx;
  record: V8Record;
  /** Project modules the file's runtime loaded (its own module copies). */
  viaRuntime: Set<string>;
  /** Their transforms (emptied once the window's batch is taken). */
  transforms: Map<string, TransformLike>;
  header: number;
}

interface BatchState {
  /** URL prefix of this isolate's window markers. */
  prefix: string;
  /** Test files per take. */
  size: number;
  /** The reporter has handed out every test file (its mark seen): a take at each teardown. */
  last: boolean;
  /** Number of the window open now (its marker is compiled). */
  open: number;
  /** Windows closed since the last take, oldest first. */
  pending: BatchWindow[];
  /** Windows whose batch was taken, by number (leaked work of their module copies still lands on them). */
  taken: Map<number, BatchWindow>;
  /** Marker script ids seen in takes, ascending: [scriptId, window number]. */
  bounds: Array<[number, number]>;
  /** V8's used heap after the last take (or the start): a batch is also taken when it grew by HEAP_BOUND. */
  heapAtTake: number;
  /** Bytes of heap growth since the last take that make a batch be taken early. */
  heapBound: number;
}

/**
 * A batch keeps its files' module copies alive until its take (V8 lists their functions): on a
 * project whose test files each load a lot of code, 16 files could cost a worker hundreds of MB.
 * Taking early when the used heap grew by this much (MB) since the last take bounds that; typical
 * projects (ts-pattern: ~75 MB for 16 files, garbage included) never reach it.
 */
const HEAP_BOUND_MB = 256;

/** HEAP_BOUND_MB, or TESTSIFT_JEST_BATCH_HEAP_MB (a test sets it low to take early). */
function heapBound(): number {
  const mb = Number(process.env.TESTSIFT_JEST_BATCH_HEAP_MB);
  return (Number.isFinite(mb) && mb >= 0 && process.env.TESTSIFT_JEST_BATCH_HEAP_MB !== '' ? mb : HEAP_BOUND_MB) * 1024 * 1024;
}

function usedHeap(): number {
  return v8.getHeapStatistics().used_heap_size;
}

function post<T>(session: inspector.Session, method: string, params?: object): T | undefined {
  // The in-process session answers synchronously: the callback has run when post returns.
  let out: T | undefined;
  let error: Error | null = null;
  session.post(method, params ?? {}, (err, result) => {
    error = err;
    out = result as T;
  });
  if (error) throw error;
  return out;
}

function scriptPath(u: string): string | undefined {
  if (u.startsWith('file:')) {
    try {
      return url.fileURLToPath(u);
    } catch {
      return undefined;
    }
  }
  return path.isAbsolute(u) ? u : undefined;
}

const NODE_MODULES = `${path.sep}node_modules`;

function inRoot(root: string, abs: string): boolean {
  // A node_modules segment anywhere (split() was a third of the recorder's own time per window).
  return abs.startsWith(root + path.sep) && !abs.includes(NODE_MODULES + path.sep) && !abs.endsWith(NODE_MODULES);
}

function transformsOf(rt: RuntimeLike): Map<string, TransformLike> {
  try {
    return rt._fileTransforms ?? rt.transformCache?.getEntries?.() ?? rt.transformCache?.transforms ?? new Map();
  } catch {
    return new Map();
  }
}

/** Length of the text Jest 29 puts before a CommonJS module's code (Jest 30 compiles without one). */
function headerOf(rt: RuntimeLike | undefined): number {
  try {
    return typeof rt?.constructModuleWrapperStart === 'function' ? rt.constructModuleWrapperStart().length : 0;
  } catch {
    return 0;
  }
}

/** The state of this worker process (on the `inspector` module, which every sandbox shares). */
function stateOf(): RecorderState | undefined {
  return (inspector as unknown as Record<symbol, RecorderState | undefined>)[STATE];
}

type AnyFn = (this: unknown, ...args: unknown[]) => unknown;

function wrapMethod(proto: Record<string, unknown>, name: string, around: (self: unknown, args: unknown[], call: () => unknown) => unknown): void {
  const original = proto[name];
  if (typeof original !== 'function') return;
  proto[name] = function (this: unknown, ...args: unknown[]): unknown {
    return around(this, args, () => (original as AnyFn).apply(this, args));
  };
}

function once(proto: Record<string, unknown>, name: string): boolean {
  const mark = Symbol.for(`testsift.jest.patched.${name}`);
  if ((proto as Record<symbol, unknown>)[mark]) return false;
  Object.defineProperty(proto, mark, { value: true });
  return true;
}

/**
 * Wrap a runtime method that transforms a module (first argument: its path) for running: note the
 * module as loaded and, for the synchronous ones, the time as transformer work (reads then are
 * not the test's). The asynchronous (ESM) ones are not guarded: a read during their awaits might
 * be the test's own, and a lost read is a missed test.
 */
function watchTransform(state: RecorderState, proto: Record<string, unknown> | undefined, name: string, sync: boolean): void {
  if (!proto || !once(proto, name)) return;
  wrapMethod(proto, name, (_self, args, call) => {
    if (typeof args[0] === 'string') state.loaded.add(args[0]);
    if (!sync) return call();
    const started = state.transforming === 0 ? performance.now() : undefined;
    state.transforming++;
    try {
      return call();
    } finally {
      state.transforming--;
      if (started !== undefined) state.transformMs += performance.now() - started;
    }
  });
}

/**
 * Wrap every loaded jest-runtime's Runtime class: `teardown` closes the window; the first
 * `requireModule` of a runtime (the test file itself, right after the setup files) lets us guard
 * its transformer (Jest 30 keeps it on an instance field, Jest 29 on the prototype).
 */
function patchRuntimes(state: RecorderState): boolean {
  const cache = (nodeModule as unknown as { _cache?: Record<string, { exports?: { default?: unknown } } | undefined> })._cache;
  if (!cache) return false;
  let hooked = false;
  const marker = `${path.sep}jest-runtime${path.sep}build${path.sep}index.js`;
  for (const key of Object.keys(cache)) {
    if (!key.endsWith(marker)) continue;
    const Runtime = cache[key]?.exports?.default;
    if (typeof Runtime !== 'function') continue;
    const proto = (Runtime as { prototype: Record<string, unknown> }).prototype;
    if ((proto as Record<symbol, unknown>)[PATCHED]) {
      hooked = true;
      continue;
    }
    if (typeof proto.teardown !== 'function') continue;
    Object.defineProperty(proto, PATCHED, { value: true });
    wrapMethod(proto, 'teardown', (self, _args, call) => {
      const s = stateOf();
      if (s?.current && !s.current.done) {
        try {
          closeWindow(s, self as RuntimeLike, 'teardown');
        } catch (err) {
          warn(`could not record ${s.current.testPath}: ${(err as Error).message}`);
        }
      }
      return call();
    });
    // Jest 29: the runtime transforms modules in transformFile / transformFileAsync.
    watchTransform(state, proto, 'transformFile', true);
    watchTransform(state, proto, 'transformFileAsync', false);
    // Jest 30: its TransformCache class is not exported; the first runtime that loads a module
    // (the test file, right after the setup files) shows us its prototype. One call is enough.
    const requireModule = proto.requireModule;
    if (typeof requireModule === 'function' && typeof proto.transformFile !== 'function') {
      proto.requireModule = function (this: RuntimeLike, ...args: unknown[]): unknown {
        proto.requireModule = requireModule;
        const tc = this.transformCache;
        if (tc && typeof tc === 'object') {
          const tcProto = Object.getPrototypeOf(tc) as Record<string, unknown>;
          watchTransform(state, tcProto, 'transform', true);
          watchTransform(state, tcProto, 'transformAsync', false);
        }
        return (requireModule as AnyFn).apply(this, args);
      };
    }
    hooked = true;
  }
  return hooked;
}

function warn(message: string): void {
  process.stderr.write(`testsift: ${message}\n`);
}

/**
 * Start (once per worker) or reuse the recorder; `v8`: take V8 coverage (block granularity, and V8
 * not Jest's); `detailed`: with V8's block counters (if/else arms, loop bodies: branch level).
 */
export function installRecorder(root: string, v8: boolean, detailed = false): RecorderState {
  const existing = stateOf();
  if (existing) return existing;
  const state: RecorderState = {
    root,
    session: undefined,
    hooked: false,
    current: undefined,
    transforming: 0,
    transformMs: 0,
    stored: new Set(),
    loaded: new Set(),
    outside: new Set(),
    cacheSeen: new Set(),
    codes: new Map(),
  };
  if (v8 && detailed) state.detailed = true;
  Object.defineProperty(inspector, STATE, { value: state });
  try {
    state.hooked = patchRuntimes(state);
  } catch {
    state.hooked = false;
  }
  if (v8) {
    try {
      const session = new inspector.Session();
      session.connect();
      const binary = compilesAfresh() && state.detailed !== true;
      startCoverage(session, binary, state.detailed === true);
      state.session = session;
      if (binary) state.binary = true;
      if (binary && state.hooked) startBatches(state);
    } catch (err) {
      warn(`V8 coverage could not be started (${(err as Error).message}); files are mapped by the modules they load`);
    }
  }
  return state;
}

/**
 * Whether every loaded jest-runtime compiles modules with `vm.compileFunction`: V8 then makes new
 * functions for each test file's copy of a module. Jest 30 does; Jest 29 compiles
 * `new vm.Script(…)`, whose functions V8's compilation cache hands to the next test file that
 * loads the same code.
 */
function compilesAfresh(): boolean {
  const cache = (nodeModule as unknown as { _cache?: Record<string, unknown> })._cache;
  const marker = `${path.sep}jest-runtime${path.sep}build${path.sep}index.js`;
  let found = false;
  for (const key of Object.keys(cache ?? {})) {
    if (!key.endsWith(marker)) continue;
    let text: string;
    try {
      text = fs.readFileSync(key, 'utf8');
    } catch {
      return false;
    }
    if (!compilesWithCompileFunction(text)) return false;
    found = true;
  }
  return found;
}

/**
 * Read from the text of jest-runtime's build, not from its methods: where it compiles moved
 * within Jest 30 (Runtime#createScriptFromCode in 30.1, a ModuleExecutor class of the bundled
 * build by 30.5), and keying on a method name left both in call-count mode, which turns V8's
 * optimizing compilers off (see startCoverage()). Anything not recognised keeps call counts,
 * which are right either way, only slower.
 */
export function compilesWithCompileFunction(runtimeSource: string): boolean {
  return /\bcompileFunction\)?\s*\(/.test(runtimeSource) && !/\bScript\)?\s*\(/.test(runtimeSource);
}

/**
 * V8 precise coverage. Where Jest compiles each test file's modules afresh (Jest 30), binary mode
 * (`callCount: false`): a take reports a function as run (1) the first time it is seen run, and 0
 * ever after, which for functions new to each test file is exactly "ran in this window". (Should
 * a module's functions be shared after all, its top level is not reported run in the later
 * window: `body: false`, no block data for that file from that test — file level, never narrower.)
 *
 * Call-count mode reports the same set, but it costs much more: V8 turns its optimizing compilers
 * off while it counts calls (Isolate::use_optimizer), so the TypeScript compiler in a ts-jest
 * worker, Jest and the tests all run unoptimized (on ts-pattern that alone cost ~0.15x of a plain
 * run); and V8 keeps every function it ever counted alive (its list of feedback vectors is never
 * emptied): every test file's module instances and Jest's per-file copies of expect and
 * jest-circus, ~3 MB a test file on the bench fixture, so each take walks a heap that grows all
 * run long. Binary mode empties the list at each take and leaves optimization on. Jest 29 shares
 * functions between test files (see compilesAfresh()): in binary mode every test file after the
 * first to load a module would see its functions as already reported and fall to file level for
 * it, so it keeps call counts; so does branch-level recording (opt-in), whose binary block flags
 * are not tested against call counts.
 */
function startCoverage(session: inspector.Session, binary: boolean, detailed: boolean): void {
  post(session, 'Profiler.enable');
  post(session, 'Profiler.startPreciseCoverage', { callCount: !binary, detailed });
}

/**
 * Batched takes (binary mode, teardown hooked): Jest 30 compiles each test file's modules afresh
 * (`vm.compileFunction`), so each file's module copies are V8 scripts of their own, with script
 * ids V8 hands out in increasing order. A marker script compiled when each window opens (at the
 * previous file's teardown) bounds the ids of the scripts compiled in that window: a take every
 * BATCH_FILES files is split between the files by the window each script was compiled in. A
 * function of file A's module copy that runs while file B runs (a leaked timer or promise) is
 * charged to A, as the file-level map charges a module to the file that loaded it.
 *
 * Each file's record is written at its teardown without block data (file level, its executed
 * list complete) and rewritten with its blocks when its batch is taken; a batch that is never
 * taken (a worker killed) leaves its files at file level, never with partial block data. Jest
 * restarting a worker between files (`workerIdleMemoryLimit`, a signal) would do that to every
 * batch: the reporter then asks for a take per file (TESTSIFT_JEST_BATCH_FILES=1).
 */
function startBatches(state: RecorderState): void {
  const batch: BatchState = {
    prefix: `testsift-window:${crypto.randomBytes(6).toString('hex')}:`,
    size: batchFiles(),
    last: false,
    open: 0,
    pending: [],
    taken: new Map(),
    bounds: [],
    heapAtTake: usedHeap(),
    heapBound: heapBound(),
  };
  state.batch = batch;
  openWindow(batch);
  state.flush = (atExit) => {
    // With a window open, its scripts' first runs would be reported now, not in its own take.
    if (!atExit && state.current && !state.current.done) return;
    try {
      takeBatch(state);
    } catch (err) {
      warn(`block data of ${batch.pending.length} test files not recorded: ${(err as Error).message}`);
    }
  };
  // The last batch of a worker: once Jest has handed out every test file, the reporter marks the
  // reads folder and each worker takes its batch at its next teardown (closeBatched()), so no work
  // is left for its exit, where Jest kills a worker that takes over 500 ms. In band the reporter
  // also calls flush() before reading the records. Left as a fallback (a worker idle when the mark
  // came, or no mark): jest-worker ends its children with process.exit(), and the in-process
  // inspector session answers synchronously in an exit handler too. A killed worker runs neither:
  // its last batch stays at file level.
  const real = realProcess();
  real.on('exit', () => state.flush?.(true));
}

/**
 * The worker's real `process`: the sandbox's is a copy, whose listeners the real process never
 * calls. A function of a core module belongs to the outer realm, so its Function constructor
 * evaluates there.
 */
function realProcess(): NodeJS.Process {
  try {
    const OuterFunction = (fs.readFileSync as unknown as { constructor: FunctionConstructor }).constructor;
    const outer = OuterFunction('return process')() as NodeJS.Process | undefined;
    if (outer && typeof outer.on === 'function') return outer;
  } catch {
    /* fall through */
  }
  return process;
}

/** Compile and run the marker of the next window (binary coverage reports it in the next take). */
function openWindow(batch: BatchState): void {
  batch.open++;
  (vm.compileFunction('return 0', [], { filename: `${batch.prefix}${batch.open}` }) as () => unknown)();
}

/** A test file begins (its setup file runs): the window it closes is recorded into `out`. */
export function beginFile(state: RecorderState, testPath: string, dir: string, blocks: boolean, afterAll: ((fn: () => void) => void) | undefined): void {
  const id = crypto.createHash('sha1').update(testPath).digest('hex').slice(0, 16);
  const out = path.join(dir, `${id}-${process.pid}-${crypto.randomBytes(4).toString('hex')}.v8.json`);
  const ctx: FileCtx = { testPath, out, dir, blocks, done: false };
  state.current = ctx;
  if (!state.hooked && afterAll) {
    afterAll(() => {
      if (state.current === ctx && !ctx.done) closeWindow(state, undefined, 'afterAll');
    });
  }
}

function storeCode(state: RecorderState, dir: string, file: string, code: string): string {
  // Each test file's runtime hands over the module's code again: comparing it with the last one
  // is much cheaper than hashing it again.
  const last = state.codes.get(file);
  if (last?.code === code) return last.sha;
  const sha = crypto.createHash('sha1').update(code).digest('hex');
  state.codes.set(file, { code, sha });
  if (!state.stored.has(sha)) {
    const file = path.join(dir, `code-${sha}.js`);
    if (!fs.existsSync(file)) {
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, code);
      fs.renameSync(tmp, file);
    }
    state.stored.add(sha);
  }
  return sha;
}

/**
 * Binary mode: V8 reports a function only if its feedback vector was made, or listed, since the
 * previous take. Jest's registry compiles modules afresh for each test file, so theirs always
 * are; but code that had already run when coverage started (a test environment in the repository,
 * which Node requires before the first test file's setup file starts the recorder) is listed once,
 * at the start, and is never reported again if it did not run before the first take (the
 * environment's setup() runs before it, its teardown() after): with call counts it showed up in
 * every window. So the project files Node itself loaded (its require cache: CommonJS, and ES
 * modules loaded with require()) and those Jest's config names as per-file hooks (an .mjs test
 * environment, which Jest import()s) are taken as outside the registry. A superset: in band
 * (one worker, Jest's own process) the Jest config file is among them, and so in every row.
 */
function noteOutside(state: RecorderState, rt: RuntimeLike | undefined): void {
  const cache = (nodeModule as unknown as { _cache?: Record<string, unknown> })._cache;
  // Entries looked at in an earlier window are skipped (a Set lookup is cheaper than inRoot()).
  for (const file of Object.keys(cache ?? {})) {
    if (state.cacheSeen.has(file)) continue;
    state.cacheSeen.add(file);
    if (path.isAbsolute(file) && inRoot(state.root, file)) state.outside.add(file);
  }
  for (const file of hookFiles(rt?._config)) if (inRoot(state.root, file)) state.outside.add(file);
}

/** Absolute paths of the modules a Jest project config names that run for each test file. */
function hookFiles(config: Record<string, unknown> | undefined): string[] {
  if (!config || typeof config !== 'object') return [];
  const out: unknown[] = [];
  for (const key of ['testEnvironment', 'runner', 'testRunner', 'resolver', 'snapshotResolver', 'moduleLoader', 'dependencyExtractor']) out.push(config[key]);
  if (Array.isArray(config.transform)) for (const t of config.transform) if (Array.isArray(t)) out.push(t[1]);
  return out.filter((p): p is string => typeof p === 'string' && path.isAbsolute(p));
}

function closeWindow(state: RecorderState, rt: RuntimeLike | undefined, closedBy: V8Record['closedBy']): void {
  const ctx = state.current!;
  if (rt?._testPath && path.resolve(rt._testPath) !== path.resolve(ctx.testPath)) return; // another file's runtime
  ctx.done = true;
  if (state.batch && closedBy === 'teardown') {
    closeBatched(state, state.batch, ctx, rt);
    return;
  }
  const scripts = state.session ? (post<{ result: ScriptCoverage[] }>(state.session, 'Profiler.takePreciseCoverage')?.result ?? []) : [];
  const transforms = rt ? transformsOf(rt) : new Map<string, TransformLike>();
  const executed = new Set<string>();
  for (const file of [...state.loaded, ...transforms.keys()]) if (inRoot(state.root, file)) executed.add(file);
  state.loaded.clear();
  const viaRuntime = new Set(executed);
  if (state.binary) noteOutside(state, rt);
  for (const file of state.outside) executed.add(file);
  const header = headerOf(rt);
  const hits = new Map<string, { body: boolean; ends: Set<number>; ranges?: number[][] }>();
  for (const s of scripts) {
    const file = scriptPath(s.url);
    if (!file || !inRoot(state.root, file)) continue;
    if (!s.functions.some((f) => (f.ranges[0]?.count ?? 0) > 0)) continue;
    executed.add(file);
    if (!viaRuntime.has(file)) state.outside.add(file);
    if (!ctx.blocks) continue;
    const t = transforms.get(file);
    if (typeof t?.code !== 'string') continue;
    const codeEnd = header + t.code.length;
    let hit = hits.get(file);
    if (!hit) hits.set(file, (hit = { body: false, ends: new Set() }));
    if (state.detailed) {
      const flat: number[] = [];
      for (const f of s.functions) for (const r of f.ranges) flat.push(r.startOffset - header, r.endOffset - header, r.count);
      (hit.ranges ??= []).push(flat);
    }
    for (const f of s.functions) {
      const r = f.ranges[0];
      if (!r || r.count <= 0) continue;
      // The script itself and Jest 29's module wrapper span the whole module: its body.
      if (r.startOffset <= header && r.endOffset >= codeEnd) hit.body = true;
      else if (r.startOffset >= header) hit.ends.add(r.endOffset - header);
    }
  }
  const record: V8Record = { v: 1, test: ctx.testPath, executed: [...executed].sort(), closedBy, transformMs: Math.round(state.transformMs) };
  if (state.outside.size > 0) record.outside = [...state.outside].sort();
  state.transformMs = 0;
  if (ctx.blocks) {
    record.blocks = [];
    for (const [file, hit] of hits) {
      const t = transforms.get(file)!;
      const code = t.code!;
      const b: BlockHitRecord = { file, body: hit.body, ends: [...hit.ends].sort((a, z) => a - z), code: storeCode(state, ctx.dir, file, code) };
      if (t.sourceMapPath) b.map = t.sourceMapPath;
      if (typeof t.originalCode === 'string' && t.originalCode === code) b.identity = true;
      if (hit.ranges) b.ranges = hit.ranges;
      record.blocks.push(b);
    }
  }
  fs.writeFileSync(ctx.out, JSON.stringify(record));
}

function writeRecord(out: string, record: V8Record): void {
  // Rewritten when its batch is taken: a reader (or a kill mid-write) never sees half a record.
  const tmp = `${out}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(record));
  fs.renameSync(tmp, out);
}

/** Binary mode, a test file's teardown: its record at file level now, its block data at its batch's take. */
function closeBatched(state: RecorderState, batch: BatchState, ctx: FileCtx, rt: RuntimeLike | undefined): void {
  const transforms = rt ? transformsOf(rt) : new Map<string, TransformLike>();
  const viaRuntime = new Set<string>();
  for (const file of [...state.loaded, ...transforms.keys()]) if (inRoot(state.root, file)) viaRuntime.add(file);
  state.loaded.clear();
  noteOutside(state, rt);
  const record: V8Record = {
    v: 1,
    test: ctx.testPath,
    executed: [...new Set([...viaRuntime, ...state.outside])].sort(),
    closedBy: 'teardown',
    transformMs: Math.round(state.transformMs),
  };
  if (state.outside.size > 0) record.outside = [...state.outside].sort();
  state.transformMs = 0;
  writeRecord(ctx.out, record);
  const own = new Map<string, TransformLike>();
  for (const file of viaRuntime) {
    const t = transforms.get(file);
    if (typeof t?.code === 'string') own.set(file, { code: t.code, sourceMapPath: t.sourceMapPath, originalCode: t.originalCode });
  }
  batch.pending.push({ n: batch.open, ctx, record, viaRuntime, transforms: own, header: headerOf(rt) });
  try {
    // Once every test file is handed out, the file ending may be this worker's last: its batch is
    // taken now, not left to the exit handler (Jest kills a worker that takes over 500 ms to exit).
    if (!batch.last && batch.size > 1) batch.last = fs.existsSync(path.join(ctx.dir, ALL_STARTED));
    if (batch.pending.length >= batch.size || batch.last || usedHeap() - batch.heapAtTake > batch.heapBound) takeBatch(state);
  } finally {
    // After the take: a window's scripts are those compiled after its marker (and before the next).
    openWindow(batch);
  }
}

/** The window number whose marker is the last compiled before script `id` (bounds ascending). */
function windowNumberOf(bounds: Array<[number, number]>, id: number): number | undefined {
  let lo = 0;
  let hi = bounds.length - 1;
  let found: number | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (bounds[mid][0] < id) {
      found = bounds[mid][1];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

interface Hit {
  body: boolean;
  ends: Set<number>;
}

/** Take V8's coverage once for the pending windows and rewrite their records with block data. */
function takeBatch(state: RecorderState): void {
  const batch = state.batch!;
  const pending = batch.pending;
  if (pending.length === 0 || !state.session) return;
  batch.pending = [];
  // The reporter has read the records and removed its folder (in band, its own flush did not run).
  if (!fs.existsSync(pending[0].ctx.dir)) return;
  const scripts = post<{ result: ScriptCoverage[] }>(state.session, 'Profiler.takePreciseCoverage')?.result ?? [];
  batch.heapAtTake = usedHeap();
  for (const s of scripts) {
    if (!s.url.startsWith(batch.prefix)) continue;
    const n = Number(s.url.slice(batch.prefix.length));
    const id = Number(s.scriptId);
    if (Number.isInteger(n) && Number.isInteger(id)) batch.bounds.push([id, n]);
  }
  batch.bounds.sort((a, z) => a[0] - z[0]);
  // Every pending window's marker must be known, and ids must rise with window numbers; else no
  // script can be placed in a window and the batch stays at file level.
  const markers = new Set(batch.bounds.map((b) => b[1]));
  const bounded = pending.every((w) => markers.has(w.n)) && batch.bounds.every((b, i) => i === 0 || b[1] > batch.bounds[i - 1][1]);
  const byN = new Map(pending.map((w) => [w.n, w]));
  const hits = new Map<BatchWindow, Map<string, Hit>>();
  const leaked = new Map<BatchWindow, Set<string>>();
  /** Project files run by scripts of no known window: executed by every file of the batch, no block data. */
  const unplaced = new Set<string>();
  for (const s of scripts) {
    const file = scriptPath(s.url);
    if (!file || !inRoot(state.root, file)) continue;
    if (!s.functions.some((f) => (f.ranges[0]?.count ?? 0) > 0)) continue;
    const n = bounded ? windowNumberOf(batch.bounds, Number(s.scriptId)) : undefined;
    const w = n === undefined ? undefined : (byN.get(n) ?? batch.taken.get(n));
    if (w && w.viaRuntime.has(file)) {
      if (byN.get(w.n) !== w) {
        // Leaked work of a module copy whose window was taken already: charged to that file,
        // whose block data for the source no longer says everything it ran (file level then).
        let set = leaked.get(w);
        if (!set) leaked.set(w, (set = new Set()));
        set.add(file);
        continue;
      }
      const t = w.transforms.get(file);
      if (!t?.code) continue;
      let byFile = hits.get(w);
      if (!byFile) hits.set(w, (byFile = new Map()));
      let hit = byFile.get(file);
      if (!hit) byFile.set(file, (hit = { body: false, ends: new Set() }));
      const codeEnd = w.header + t.code.length;
      for (const f of s.functions) {
        const r = f.ranges[0];
        if (!r || r.count <= 0) continue;
        if (r.startOffset <= w.header && r.endOffset >= codeEnd) hit.body = true;
        else if (r.startOffset >= w.header) hit.ends.add(r.endOffset - w.header);
      }
      continue;
    }
    // Not a file's own module copy (code outside the registry, a script compiled before the
    // first window or shared between windows): as with a take per file, executed (here by every
    // file of the batch, one of which ran it) and outside the registry where a file did not load it.
    unplaced.add(file);
    if (pending.some((p) => !p.viaRuntime.has(file))) state.outside.add(file);
  }
  const outside = [...state.outside].sort();
  for (const w of pending) {
    const record = w.record;
    record.executed = [...new Set([...record.executed, ...unplaced, ...outside])].sort();
    if (outside.length > 0) record.outside = outside;
    if (w.ctx.blocks && bounded) {
      record.blocks = [];
      for (const [file, hit] of hits.get(w) ?? []) {
        if (unplaced.has(file)) continue; // another script of the source ran too: file level
        const t = w.transforms.get(file)!;
        const code = t.code!;
        const b: BlockHitRecord = { file, body: hit.body, ends: [...hit.ends].sort((a, z) => a - z), code: storeCode(state, w.ctx.dir, file, code) };
        if (t.sourceMapPath) b.map = t.sourceMapPath;
        if (typeof t.originalCode === 'string' && t.originalCode === code) b.identity = true;
        record.blocks.push(b);
      }
    }
    w.transforms = new Map();
    batch.taken.set(w.n, w);
    writeRecord(w.ctx.out, record);
  }
  for (const [w, files] of leaked) {
    if (!w.record.blocks) continue;
    w.record.blocks = w.record.blocks.filter((b) => !files.has(b.file));
    writeRecord(w.ctx.out, w.record);
  }
}

/** Whether fs reads are the transformer's right now (not the test's). */
export function transforming(): boolean {
  return (stateOf()?.transforming ?? 0) > 0;
}
