import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Runner } from './project.js';

export type RunnerListing = { ok: true; files: string[] } | { ok: false; timedOut: boolean; error: string };

/**
 * The test files the runner itself would run, asked from the runner: `vitest list --filesOnly
 * --json=FILE` (Vitest 3.1+; a file, so nothing a plugin prints can corrupt the JSON) or `jest
 * --listTests --json`. Absolute paths. Bounded by `timeoutMs`: the child is killed after it.
 */
export async function listRunnerTests(runner: Runner, bin: string, dir: string, env: Record<string, string | undefined>, timeoutMs: number): Promise<RunnerListing> {
  const tmp = mkdtempSync(join(tmpdir(), 'testsift-doctor-'));
  try {
    const out = join(tmp, 'list.json');
    const args = runner === 'vitest' ? ['list', '--filesOnly', `--json=${out}`] : ['--listTests', '--json'];
    const r = await run(bin, args, dir, childEnv(env), timeoutMs);
    if (r.timedOut) return { ok: false, timedOut: true, error: `timed out after ${Math.round(timeoutMs / 1000)} s` };
    if (r.code !== 0) return { ok: false, timedOut: false, error: `exited with ${r.code}: ${tail(r.stderr || r.stdout)}` };
    try {
      const text = runner === 'vitest' ? readFileSync(out, 'utf8') : lastJsonLine(r.stdout);
      return { ok: true, files: parseListing(runner, JSON.parse(text)) };
    } catch (err) {
      return { ok: false, timedOut: false, error: `printed no test list I could read (${(err as Error).message}): ${tail(r.stdout + r.stderr)}` };
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function parseListing(runner: Runner, json: unknown): string[] {
  if (!Array.isArray(json)) throw new Error('expected a JSON array');
  const files = runner === 'vitest' ? json.map((e) => (e as { file?: unknown }).file) : json;
  if (!files.every((f): f is string => typeof f === 'string')) throw new Error('expected file paths');
  // A file of several Vitest projects is listed once per project.
  return [...new Set(files)];
}

/** Jest prints the list as one JSON line; anything a config logs comes before it. */
function lastJsonLine(stdout: string): string {
  const line = stdout
    .split('\n')
    .reverse()
    .find((l) => l.trim().startsWith('['));
  if (line === undefined) throw new Error('no JSON array on stdout');
  return line;
}

/**
 * The user's environment without testsift's run switches (a set TESTSIFT_SELECT must not narrow
 * the list) and without a calling Vitest's worker variables (doctor run from a test).
 */
function childEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !/^(TESTSIFT_|VITEST)/.test(k)) out[k] = v;
  out.NO_COLOR = '1';
  out.FORCE_COLOR = '0';
  return out;
}

function tail(text: string): string {
  const lines = text
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '');
  return lines.slice(0, 6).join(' | ').slice(0, 600) || '(no output)';
}

function run(
  bin: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<{ code: number; stdout: string; stderr: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: -1, stdout, stderr: err.message, timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, timedOut });
    });
  });
}
