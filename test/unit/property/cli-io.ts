import { main } from '../../../src/cli/main.js';

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The CLI's own entry point run in this process (the same `main` the bins call), so a property
 * test can afford hundreds of runs; the bins themselves are exercised by the CLI tests.
 */
export async function runMain(argv: string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<InProcessResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    cwd,
    env,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readStdin: async () => '',
  });
  return { code, stdout, stderr };
}

/** No exit 1, no stack trace, no "unexpected error": every failure is a typed one. */
export function typedOutcome(r: InProcessResult): boolean {
  return r.code !== 1 && !r.stderr.includes('unexpected error') && !/\n\s+at /.test(r.stderr);
}
