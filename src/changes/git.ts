import { execFile, execFileSync } from 'node:child_process';
import type { GitError as SimpleGitErrorType, SimpleGit } from 'simple-git';

/** The outcome of one git command: what it printed and how it exited. */
export interface GitResult {
  ok: boolean;
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** simple-git keeps its own error class intact, so we attach the exit code and stderr to one. */
interface FailedCommand extends SimpleGitErrorType {
  exitCode: number;
  stderr: string;
}

function isFailedCommand(err: unknown): err is FailedCommand {
  return err instanceof Error && typeof (err as Partial<FailedCommand>).exitCode === 'number' && typeof (err as Partial<FailedCommand>).stderr === 'string';
}

/** Options every command gets (see GitRunner). */
const GLOBAL_ARGS = ['--no-optional-locks', '-c', 'core.quotePath=true'];

/**
 * Runs git in one folder: `run` through simple-git's `raw()` (the change set: diff, status,
 * fetch with a timeout), `read` as a plain child process (local read-only plumbing).
 *
 * Why the options: simple-git only rejects when a failing command also wrote to stderr, and some
 * answers we need are exit codes without stderr (`merge-base --is-ancestor` → 1, `rev-parse
 * --verify -q` → 1), so a custom error handler reports every non-zero exit with its code.
 * `core.quotePath=true` makes the only non -z output we parse (patch headers) pure ASCII with
 * C-style escapes, whatever the user's config says. A fresh instance per command keeps one
 * failure from purging other queued commands (simple-git drops the rest of a failed queue).
 */
export class GitRunner {
  constructor(readonly dir: string) {}

  private async client(blockTimeoutMs?: number): Promise<SimpleGit> {
    // Loaded on first use: detect's hot path (a changed-file list) needs only `read`.
    const { simpleGit, GitError: SimpleGitError } = await import('simple-git');
    return simpleGit({
      baseDir: this.dir,
      // Network commands (fetch) can hang on a dead remote: kill them after this long silent.
      ...(blockTimeoutMs ? { timeout: { block: blockTimeoutMs } } : {}),
      config: ['core.quotePath=true'],
      errors(_error, result) {
        if (result.exitCode === 0) return undefined;
        const stderr = Buffer.concat(result.stdErr).toString('utf8');
        const failed = new SimpleGitError(undefined, stderr.trim() || `git exited with ${result.exitCode}`);
        return Object.assign(failed, { exitCode: result.exitCode, stderr });
      },
    });
  }

  /** Run a command; a non-zero exit is returned, not thrown. */
  async run(args: string[], opts: { blockTimeoutMs?: number } = {}): Promise<GitResult> {
    try {
      // --no-optional-locks: reading the working tree must not take index.lock (parallel CI steps).
      const stdout = await (await this.client(opts.blockTimeoutMs)).raw(['--no-optional-locks', ...args]);
      return { ok: true, exitCode: 0, stdout, stderr: '' };
    } catch (err) {
      if (isFailedCommand(err)) return { ok: false, exitCode: err.exitCode, stdout: '', stderr: err.stderr };
      // Spawn failures (git missing, folder gone): report as a failed command with the message.
      return { ok: false, exitCode: -1, stdout: '', stderr: err instanceof Error ? err.message : String(err) };
    }
  }

  /**
   * Run a local, read-only plumbing command (ls-files, rev-parse, merge-base, diff) as a plain
   * child process. Same result as `run`, without simple-git's queue: on detect's hot path at
   * GitLab scale, loading simple-git and running one command through it cost ~3× the CPU of the
   * git process itself. Not for commands that touch the network or need a timeout (fetch).
   */
  read(args: string[]): Promise<GitResult> {
    return new Promise((resolve) => {
      // Collected as bytes and decoded once at the end: a listing of 25k paths arrives in ~25
      // chunks, and decoding each as it comes cost more than one decode of the whole.
      execFile('git', [...GLOBAL_ARGS, ...args], { cwd: this.dir, encoding: 'buffer', maxBuffer: 1 << 30 }, (err, out, errOut) => {
        const stdout = out.toString('utf8');
        const stderr = errOut.toString('utf8');
        if (!err) return resolve({ ok: true, exitCode: 0, stdout, stderr });
        const code = (err as NodeJS.ErrnoException & { code?: unknown }).code;
        // A number is git's exit status; anything else (ENOENT: git missing, folder gone) did not run.
        resolve({ ok: false, exitCode: typeof code === 'number' ? code : -1, stdout: '', stderr: stderr || err.message });
      });
    });
  }

  /** Run a command that must succeed; throws with git's own message otherwise. */
  async output(args: string[]): Promise<string> {
    const r = await this.run(args);
    if (!r.ok) throw new Error(`git ${args.join(' ')} failed (exit ${r.exitCode}): ${r.stderr.trim()}`);
    return r.stdout;
  }
}

/**
 * Run a short local git command synchronously, with the options every command gets: its stdout,
 * or undefined when git failed, is missing, or `cwd` is no repository. For the runner
 * integrations, which ask git from config hooks and reporter constructors that cannot wait
 * (simple-git has no synchronous API). stderr is dropped: undefined is the answer.
 */
export function gitSync(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', [...GLOBAL_ARGS, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
  } catch {
    return undefined;
  }
}

/** Split NUL-terminated (`-z`) output into its fields, dropping the final empty one. */
export function splitNul(out: string): string[] {
  const parts = out.split('\0');
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}
