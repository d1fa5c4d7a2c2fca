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
 * functions for branch-level data: see startCoverage()). A take costs milliseconds (V8 walks
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

const STATE = Symbol.for('testsift.jest.v8');
const PATCHED = Symbol.for('testsift.jest.patched');

interface FunctionCoverage {
  functionName: string;
  ranges: Array<{ startOffset: number; endOffset: number; count: number }>;
}
interface ScriptCoverage {
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

/** Whether fs reads are the transformer's right now (not the test's). */
export function transforming(): boolean {
  return (stateOf()?.transforming ?? 0) > 0;
}
