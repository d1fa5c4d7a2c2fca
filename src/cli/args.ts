import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
  help: boolean;
}

/**
 * Strict flag parsing shared by every command; an unknown flag or a missing value is a
 * UsageError (exit 2) naming the command, so CI logs say what to fix.
 */
export function parseCommandArgs(command: string, argv: string[], options: Options, allowPositionals = true): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals,
      strict: true,
    });
    const help = values.help === true;
    delete (values as Record<string, unknown>).help;
    return { values: values as Parsed['values'], positionals, help };
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new UsageError(`${command}: ${msg}\nRun 'testsift ${command} --help' for usage.`);
  }
}

export function stringValue(parsed: Parsed, name: string): string | undefined {
  const v = parsed.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function stringList(parsed: Parsed, name: string): string[] {
  const v = parsed.values[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
}

export function flag(parsed: Parsed, name: string): boolean {
  return parsed.values[name] === true;
}

/** A positive integer flag value, or a UsageError naming the flag. */
export function intValue(command: string, name: string, raw: string | undefined, min = 1): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min) {
    throw new UsageError(`${command}: --${name} expects an integer ≥ ${min}, got '${raw}'`);
  }
  return Number(raw);
}

export function numberValue(command: string, name: string, raw: string | undefined, min = 0): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < min) {
    throw new UsageError(`${command}: --${name} expects a number ≥ ${min}, got '${raw}'`);
  }
  return n;
}
