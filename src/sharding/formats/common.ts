import { TimingError } from '../../errors.js';
import { normalizeRelative } from '../../util/paths.js';
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
    `expected a non-negative number of seconds, got ${JSON.stringify(value) ?? String(value)}`,
  );
}

/** Adds `seconds` to a path's entry: per-test ids of one file add up to the file's time. */
export function addTo(report: TimingReport, path: string, seconds: number): void {
  const p = normalizeRelative(path);
  const before = report.get(p);
  report.set(p, before === undefined ? seconds : before + seconds);
}
