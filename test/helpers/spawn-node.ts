import { spawn } from 'node:child_process';

export interface NodeRun {
  code: number;
  /** stdout and stderr, interleaved as they came. */
  out: string;
}

/**
 * Runs `node <script> <args>` in `cwd` as a user's shell would: without this test run's own
 * variables (VITEST*, TESTSIFT_*, NODE_OPTIONS, NODE_V8_COVERAGE, TEST), with NO_COLOR=1 and
 * `env` on top. For starting a real Vitest or Jest on a fixture project.
 */
export function runNodeScript(script: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<NodeRun> {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(VITEST|TESTSIFT_|NODE_OPTIONS$|NODE_V8_COVERAGE$|TEST$)/.test(k)) clean[k] = v;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd, env: { ...clean, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}
