import childProcess from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { basename, extname, isAbsolute, join, resolve, sep } from 'node:path';
import { installThreadTracker } from './thread-spawns.js';

/**
 * Follows the Node child processes a test starts (`execSync('node bin/cli.js')`, `spawn(
 * process.execPath, …)`, `fork`, `pnpm exec tsx …`): the code they run is code the test depends
 * on, yet it runs outside the worker, where the recorder's V8 session cannot see it.
 *
 * How: Node writes a process's V8 coverage into `$NODE_V8_COVERAGE` when it exits, and children
 * inherit the variable (pnpm → tsx → node: every Node process of the tree writes a file). While a
 * test file runs, every spawn gets its own folder there: the child_process functions are wrapped
 * so each call passes an `env` with `NODE_V8_COVERAGE=<test dir>/s<n>` (the caller's own `env`
 * object if it gave one, else the real `process.env`: in Jest the sandbox's is a copy), and the
 * call is logged (`spawns.jsonl`, one JSON object a line) with whether the command looks like a
 * Node program. The worker's own env also names `<test dir>/inherit`, for children started
 * through a child_process reference we could not wrap. The main process reads the folders after
 * the run (shared/child-coverage.ts): every script a child ran is executed by the test, and a
 * Node-looking spawn that left no coverage file (killed by a signal, env scrubbed by a tool,
 * still running, bun) makes the test always selected.
 *
 * Worker threads are followed the same way (thread-spawns.ts). Non-Node
 * children (git, a shell script that runs no Node) are not followed: their reads and what they
 * run are invisible (tests.yml rules cover them).
 *
 * Both runners use this one implementation: Vitest's worker as an ES module, Jest's setup file
 * through the CommonJS copy scripts/bundle-cli.mjs builds (child-spawns.cjs). Node built-ins only.
 */

/** One line of `spawns.jsonl`. */
export interface SpawnLine {
  /** Spawn number: its coverage goes to `s<id>/`. */
  id: number;
  /** The command as the test gave it (file and args, or the shell string), for messages. */
  cmd?: string;
  /** The command looks like a Node program: it must leave coverage, or the test is not followed. */
  node?: boolean;
  /** The caller's env sets its own NODE_V8_COVERAGE: left alone, so this child is not followed. */
  own?: boolean;
  /** The spawn failed to start (ENOENT and the like): no process, nothing to follow. */
  failed?: boolean;
}

export const TEST_MARKER = 'test.json';
export const SPAWN_LOG = 'spawns.jsonl';
export const INHERIT_DIR = 'inherit';

export interface ChildTracker {
  /** A test file starts: its children go to a fresh folder under the base dir. */
  begin(testFile: string | undefined): void;
  /** The test file's tests are done (names the file when begin could not). */
  end(testFile: string): void;
}

interface State {
  base: string;
  root: string;
  env: NodeJS.ProcessEnv;
  /** NODE_V8_COVERAGE of the run itself (c8 around the runner), before we set ours. */
  userDir: string | undefined;
  dir: string | undefined;
  named: boolean;
  next: number;
  /** >0 while inside a wrapped call (exec calls the exported execFile: log it once). */
  depth: number;
}

const KEY = Symbol.for('testsift.childSpawns');

type AnyFn = (...args: unknown[]) => unknown;

/** Commands that run Node (or run something that runs Node). `bun` is here: it ignores NODE_V8_COVERAGE, so a test using it is never followed and always selected. */
const NODE_COMMANDS = new Set([
  'node',
  'nodejs',
  'tsx',
  'ts-node',
  'ts-node-esm',
  'npx',
  'npm',
  'pnpm',
  'pnpx',
  'yarn',
  'yarnpkg',
  'bun',
  'bunx',
  'vite-node',
  'jiti',
  'esno',
  'esrun',
  'cross-env',
  'corepack',
  'vitest',
  'jest',
]);
/** Words a shell command may start with before the real command. */
const PREFIXES = new Set(['env', 'exec', 'time', 'nice', 'nohup', 'command', 'sudo']);
const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash', 'cmd', 'powershell', 'pwsh']);
/** Script paths inside the repository that do not run Node. */
const NOT_NODE_EXT = new Set(['.sh', '.bash', '.py', '.rb', '.pl', '.ps1', '.bat']);

function unquote(word: string): string {
  return word.replace(/^['"]|['"]$/g, '');
}

/** Whether one command word names a Node program (see NODE_COMMANDS, or a script in the repo). */
export function nodeishWord(word: string, root: string, cwd: string = process.cwd()): boolean {
  const w = unquote(word);
  if (!w) return false;
  const name = basename(w)
    .replace(/\.(exe|cmd|bat)$/i, '')
    .toLowerCase();
  if (NODE_COMMANDS.has(name)) return true;
  if (w === process.execPath) return true;
  if (w.includes('/') || w.includes('\\')) {
    const abs = isAbsolute(w) ? w : resolve(cwd, w);
    if ((abs === root || abs.startsWith(root + sep)) && !NOT_NODE_EXT.has(extname(abs).toLowerCase())) return true;
  }
  return false;
}

/** Whether a shell command line runs a Node program in any of its simple commands. */
export function nodeishShell(command: string, root: string, cwd?: string): boolean {
  for (const segment of command.split(/&&|\|\||[;|&\n()`]|\$\(/)) {
    const words = segment.trim().split(/\s+/);
    let i = 0;
    while (i < words.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!) || PREFIXES.has(words[i]!))) i++;
    const first = words[i];
    if (first && nodeishWord(first, root, cwd)) return true;
  }
  return false;
}

type Kind = 'file' | 'command' | 'fork';

interface Split {
  pre: unknown[];
  options: Record<string, unknown> | undefined;
  post: unknown[];
}

/** Find the options argument the way child_process does (args and options are optional). */
function split(kind: Kind, args: unknown[]): Split {
  const pre = [args[0]];
  let i = 1;
  if (kind !== 'command' && (Array.isArray(args[i]) || (args[i] == null && args.length > i + 1))) pre.push(args[i++]);
  const a = args[i];
  if (a !== null && typeof a === 'object' && !Array.isArray(a)) return { pre, options: a as Record<string, unknown>, post: args.slice(i + 1) };
  if (a == null && args.length > i && typeof a !== 'function') return { pre, options: undefined, post: args.slice(i + 1) };
  return { pre, options: undefined, post: args.slice(i) };
}

function describe(kind: Kind, s: Split): { cmd: string; node: boolean; shell: boolean } {
  const file = typeof s.pre[0] === 'string' ? s.pre[0] : String(s.pre[0]);
  const list = Array.isArray(s.pre[1]) ? (s.pre[1] as unknown[]).map(String) : [];
  if (kind === 'fork') return { cmd: `fork ${[file, ...list].join(' ')}`, node: true, shell: false };
  const cmd = [file, ...list].join(' ');
  return { cmd, node: false, shell: kind === 'command' || !!s.options?.shell };
}

function nodeish(kind: Kind, s: Split, state: State): boolean {
  if (kind === 'fork') return true;
  const cwd = typeof s.options?.cwd === 'string' ? resolve(s.options.cwd) : process.cwd();
  const file = typeof s.pre[0] === 'string' ? s.pre[0] : '';
  const list = Array.isArray(s.pre[1]) ? (s.pre[1] as unknown[]).map(String) : [];
  if (kind === 'command' || s.options?.shell) return nodeishShell([file, ...list].join(' '), state.root, cwd);
  if (nodeishWord(file, state.root, cwd)) return true;
  // `sh -c "node …"`: the shell's command line decides.
  const name = basename(file)
    .replace(/\.exe$/i, '')
    .toLowerCase();
  if (SHELLS.has(name)) {
    const c = list.findIndex((x) => x === '-c' || x.toLowerCase() === '/c' || x.toLowerCase() === '-command');
    if (c >= 0 && list[c + 1] !== undefined) return nodeishShell(list.slice(c + 1).join(' '), state.root, cwd);
    // `sh ./script.sh`, `bash bin/x`: the script's own text is unknown; a repo script counts.
    return list.some((x) => !x.startsWith('-') && nodeishWord(x, state.root, cwd));
  }
  return false;
}

function log(state: State, dir: string, line: SpawnLine): void {
  try {
    appendFileSync(join(dir, SPAWN_LOG), `${JSON.stringify(line)}\n`);
  } catch {
    // The base dir is gone (the run is over): nothing to record into.
  }
}

function wrap(state: State, kind: Kind, original: AnyFn): AnyFn {
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    const dir = state.dir;
    if (!dir || state.depth > 0 || typeof args[0] !== 'string') return original.apply(this, args);
    const s = split(kind, args);
    const id = state.next++;
    const { cmd } = describe(kind, s);
    const node = nodeish(kind, s, state);
    const baseEnv = (s.options?.env as NodeJS.ProcessEnv | undefined) ?? state.env;
    const theirs = baseEnv.NODE_V8_COVERAGE;
    // A caller that sets its own NODE_V8_COVERAGE (a coverage tool's own tests) keeps it. Ours
    // (a copy of process.env) and the run's own (c8 around the runner: the main process forwards
    // the files there after reading them) are replaced.
    const own = !!theirs && !theirs.startsWith(state.base) && theirs !== state.userDir;
    log(state, dir, { id, cmd: cmd.length > 300 ? `${cmd.slice(0, 300)}…` : cmd, ...(node ? { node } : {}), ...(own ? { own } : {}) });
    let call = args;
    if (!own) {
      const target = join(dir, `s${id}`);
      try {
        mkdirSync(target, { recursive: true });
      } catch {
        /* Node creates it too */
      }
      call = [...s.pre, { ...(s.options ?? {}), env: { ...baseEnv, NODE_V8_COVERAGE: target } }, ...s.post];
    }
    const failed = (err: unknown): void => {
      const code = (err as { code?: unknown } | null)?.code;
      if (code === 'ENOENT' || code === 'EACCES') log(state, dir, { id, failed: true });
    };
    state.depth++;
    let result: unknown;
    try {
      result = original.apply(this, call);
    } catch (err) {
      failed(err);
      throw err;
    } finally {
      state.depth--;
    }
    if (result && typeof (result as { on?: unknown }).on === 'function') {
      (result as { on(e: string, f: (err: unknown) => void): void }).on('error', failed);
    } else if (result && typeof result === 'object' && 'error' in result) {
      failed((result as { error?: unknown }).error);
    }
    return result;
  };
  Object.defineProperty(wrapped, 'name', { value: original.name });
  // util.promisify(exec) / promisify(execFile) resolve to { stdout, stderr } through this symbol.
  for (const sym of Object.getOwnPropertySymbols(original)) {
    Object.defineProperty(wrapped, sym, { value: (original as unknown as Record<symbol, unknown>)[sym], configurable: true, writable: true });
  }
  return wrapped;
}

const WRAPPED: Array<[string, Kind]> = [
  ['spawn', 'file'],
  ['spawnSync', 'file'],
  ['execFile', 'file'],
  ['execFileSync', 'file'],
  ['exec', 'command'],
  ['execSync', 'command'],
  ['fork', 'fork'],
];

/** FNV-1a (32 bits, hex) of a string's UTF-16 code units: a short tag, not a digest. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * Wrap child_process once per process (the module object is shared by every test file's
 * sandbox) and return the tracker. `env`: the process's real environment (Jest passes it from
 * outside its sandbox). A later call with another base dir (a new run in watch mode) updates it.
 */
export function installChildTracker(base: string, root: string, env: NodeJS.ProcessEnv = process.env): ChildTracker {
  const cp = childProcess as unknown as Record<string | symbol, unknown>;
  let state = cp[KEY] as State | undefined;
  if (!state) {
    state = { base, root, env, userDir: env.NODE_V8_COVERAGE, dir: undefined, named: false, next: 0, depth: 0 };
    Object.defineProperty(cp, KEY, { value: state });
    for (const [name, kind] of WRAPPED) {
      const original = cp[name];
      if (typeof original === 'function') cp[name] = wrap(state, kind, original as AnyFn);
    }
    // Worker threads are isolates the recorder cannot see either (thread-spawns.ts).
    const threads = state;
    installThreadTracker({
      next(cmd) {
        const dir = threads.dir;
        if (!dir) return undefined;
        const id = threads.next++;
        log(threads, dir, { id, cmd, node: true });
        return join(dir, `s${id}`);
      },
      get env() {
        return threads.env;
      },
    });
    // `import { spawn } from 'node:child_process'` (and `{ Worker }`) sees the wrappers too.
    syncBuiltinESMExports();
  }
  state.base = base;
  state.root = root;
  const s = state;
  const name = (dir: string, testFile: string): void => {
    try {
      writeFileSync(join(dir, TEST_MARKER), JSON.stringify({ test: testFile }));
      s.named = true;
    } catch {
      /* base dir gone */
    }
  };
  return {
    begin(testFile) {
      // Unique by pid and a random part; the name is for people (the marker file says which test
      // file it is). No node:crypto: loading it is a cost every fresh Vitest worker paid (docs/performance.md).
      const random = Math.floor(Math.random() * 0x100000000)
        .toString(16)
        .padStart(8, '0');
      const dir = join(s.base, `${fnv1a(testFile ?? '')}-${process.pid}-${random}`);
      try {
        mkdirSync(join(dir, INHERIT_DIR), { recursive: true });
      } catch {
        s.dir = undefined;
        return;
      }
      s.dir = dir;
      s.named = false;
      s.next = 0;
      // Children started through a reference we did not wrap still inherit this.
      s.env.NODE_V8_COVERAGE = join(dir, INHERIT_DIR);
      if (testFile) name(dir, testFile);
    },
    end(testFile) {
      // The folder stays current: a child started after the tests (an afterAll) still counts.
      if (s.dir && !s.named) name(s.dir, testFile);
    },
  };
}
