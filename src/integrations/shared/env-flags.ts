import { InputError } from '../../errors.js';

type Env = Record<string, string | undefined>;

const ON = /^(1|true|yes|y|on)$/i;
const OFF = /^(0|false|no|n|off)$/i;

/**
 * An on/off environment variable (TESTSIFT_RECORD, TESTSIFT_ALLOW_MISSING_TIMINGS), read the same
 * way by the Vitest plugin and the Jest hooks: undefined when unset or empty (a config option
 * decides), else on for 1/true/yes/y/on and off for 0/false/no/n/off, any case. Anything else is
 * an InputError naming the variable: guessing would record (or not) against the user's intent,
 * and the two runners once guessed differently (`y` recorded under Vitest, not under Jest).
 */
export function envSwitch(env: Env, name: string): boolean | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const v = raw.trim();
  if (ON.test(v)) return true;
  if (OFF.test(v)) return false;
  throw new InputError({ file: `$${name}` }, `expected 1, true, yes, y or on (or 0, false, no, n, off to turn it off), got ${JSON.stringify(raw)}`);
}

/** {@link envSwitch}, unset meaning off. */
export function envFlag(env: Env, name: string): boolean {
  return envSwitch(env, name) ?? false;
}
