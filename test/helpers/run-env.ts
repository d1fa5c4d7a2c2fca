import { NO_CI } from './cli.js';

/**
 * Environment overrides for `testsift run` under test: no CI variable, no shard variable and
 * none of our own Vitest's or testsift's variables reach the CLI or the runner it starts.
 */
export function runEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...NO_CI, CI_NODE_INDEX: undefined, CI_NODE_TOTAL: undefined, NO_COLOR: '1' };
  for (const k of Object.keys(process.env)) if (/^(VITEST|TESTSIFT_|JEST_WORKER_ID$|NODE_OPTIONS$|TEST$)/.test(k)) env[k] = undefined;
  return { ...env, ...extra };
}

/** process.env with {@link runEnv}'s overrides applied: for spawning a runner directly. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...runEnv(extra) })) if (v !== undefined) out[k] = v;
  return out;
}
