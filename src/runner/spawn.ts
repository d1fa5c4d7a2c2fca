import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunPlan } from './plan-run.js';

type SpawnPlan = Extract<RunPlan, { action: 'spawn' }>;

/** Signals passed on to the runner: CI cancels with SIGTERM, a closed terminal sends SIGHUP. */
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The runner's environment: ours, minus what the plan drops, plus what it sets. */
export function runnerEnv(plan: SpawnPlan, env: Record<string, string | undefined>, files: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !plan.unset.includes(k)) out[k] = v;
  return Object.assign(out, plan.set, files);
}

/**
 * Start the runner with our stdio and wait for it. Resolves to its exit code, 128 + n when a
 * signal n ended it (as shells report it), 127 when the command is not found and 126 when it
 * cannot be started (as `env` and shells do). The plan's files go into a private temp folder
 * that is removed afterwards; it is new and ours alone, so a plain write is enough there.
 */
export async function runPlanned(plan: SpawnPlan, env: Record<string, string | undefined>, stderr: (text: string) => void): Promise<number> {
  const dir = plan.files.length > 0 ? mkdtempSync(join(tmpdir(), 'testsift-run-')) : undefined;
  try {
    const paths: Record<string, string> = {};
    for (const f of plan.files) {
      const path = join(dir!, f.name);
      writeFileSync(path, f.content);
      paths[f.env] = path;
    }
    return await spawnRunner(plan.command, plan.cwd, runnerEnv(plan, env, paths), stderr);
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

export function spawnRunner(command: readonly string[], cwd: string, env: Record<string, string>, stderr: (text: string) => void): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command[0]!, command.slice(1), { cwd, env, stdio: 'inherit' });
    // While the runner runs, a signal to us is passed on and we wait for the runner to end, so
    // its exit code (or signal) is what we report. Ctrl-C reaches the runner from the terminal
    // too; a second SIGINT is what `npm run` and c8 deliver as well.
    const handlers = FORWARDED.map((signal) => {
      const handler = (): void => {
        child.kill(signal);
      };
      process.on(signal, handler);
      return { signal, handler };
    });
    let done = false;
    const finish = (code: number): void => {
      if (done) return;
      done = true;
      for (const { signal, handler } of handlers) process.off(signal, handler);
      resolve(code);
    };
    child.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code === 'ENOENT' ? 127 : 126;
      // Without a shell, Windows starts .exe files only: npx, jest and vitest there are .cmd shims.
      const hint = process.platform === 'win32' && err.code === 'ENOENT' ? ' (on Windows, start the runner through node: node node_modules/vitest/vitest.mjs run)' : '';
      const why = err.code === 'ENOENT' ? `command not found${hint}` : `cannot start it (${err.code ?? err.message})`;
      stderr(`testsift run: ${command[0]}: ${why}\n`);
      finish(code);
    });
    child.on('exit', (code, signal) => {
      if (code !== null) finish(code);
      else finish(128 + ((signal && (constants.signals as Record<string, number>)[signal]) || 0));
    });
  });
}
