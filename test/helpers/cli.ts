import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../dist/bin/testsift.cjs', import.meta.url));
export const DETECT_TESTS_BIN = fileURLToPath(new URL('../../dist/bin/detect-tests.cjs', import.meta.url));

/** Unsets the CI variables testsift reads, so the shell running the tests cannot change a result. */
export const NO_CI: Record<string, undefined> = {
  CI_MERGE_REQUEST_DIFF_BASE_SHA: undefined,
  CI_MERGE_REQUEST_TARGET_BRANCH_NAME: undefined,
  CI_MERGE_REQUEST_LABELS: undefined,
  GITHUB_BASE_REF: undefined,
  GITHUB_EVENT_PATH: undefined,
  TESTSIFT_LABELS: undefined,
};

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the built CLI (dist/) as a user would: a real process, real stdio. */
export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined>; input?: string; bin?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, ...opts.env })) if (v !== undefined) env[k] = v;
    const child = spawn(process.execPath, [opts.bin ?? BIN, ...args], { cwd: opts.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/**
 * `testsift <args> --format json` in `cwd` with no CI variable leaking in: asserts it exits 0
 * without an unexpected error and returns the parsed output with stderr.
 */
export async function runJson(args: string[], cwd: string, env: Record<string, string | undefined> = {}) {
  const r = await runCli([...args, '--format', 'json'], { cwd, env: { ...NO_CI, ...env } });
  if (r.stderr.includes('unexpected error') || r.code !== 0) throw new Error(`testsift ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return { json: JSON.parse(r.stdout) as any, stderr: r.stderr };
}
