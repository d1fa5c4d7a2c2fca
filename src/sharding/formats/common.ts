import { TimingError } from '../../errors.js';
import { testKey } from '../path-key.js';
import type { TimingReport } from '../types.js';

/** 1-based line of the first occurrence of `needle` in `text`, for error messages. */
export function lineOf(text: string, needle: string): number | undefined {
  const at = text.indexOf(needle);
  if (at < 0) return undefined;
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * A duration as the formats store it: a finite, non-negative number of seconds. Anything else is
 * a TimingError naming the file, the line of the key and what was expected.
 */
export function checkSeconds(file: string, text: string, key: string, value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  throw new TimingError(
    { file, line: lineOf(text, JSON.stringify(key)), key },
    `expected a finite, non-negative number of seconds, got ${shown(text, key, value)}`,
  );
}

/**
 * A rejected value as the person wrote it. JSON.stringify turns `1e400` (parsed as Infinity)
 * into "null", which sends them looking for a null that is not there; for numbers the text
 * after the key is quoted instead, with what JSON.parse made of it when that differs.
 */
function shown(text: string, key: string, value: unknown): string {
  if (typeof value !== 'number') return JSON.stringify(value) ?? String(value);
  const quoted = JSON.stringify(key);
  const at = text.indexOf(quoted);
  // After the key: `: 1e400` in an object, `, 1e400]` in a pytest-split pair.
  const raw = at < 0 ? undefined : /^\s*[:,]\s*(-?[0-9][0-9.eE+-]*)/.exec(text.slice(at + quoted.length, at + quoted.length + 400))?.[1];
  if (raw === undefined || Number(raw) !== value) return String(value);
  return raw === String(value) ? raw : `${raw} (${value})`;
}

/** Adds `seconds` to a path's entry: per-test ids of one file add up to the file's time. */
export function addTo(report: TimingReport, path: string, seconds: number): void {
  const p = testKey(path);
  const before = report.get(p);
  report.set(p, before === undefined ? seconds : before + seconds);
}
