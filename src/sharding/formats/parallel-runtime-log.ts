import { testKey } from '../path-key.js';
import type { TimingReport } from '../types.js';

/** The only lines a parallel_tests runtime log contributes; RSpec output mixed in is skipped. */
const DATA_LINE = /^(.+):([0-9.]+)$/;

/**
 * parallel_tests runtime log (`tmp/parallel_runtime_rspec.log`): `path:seconds` per line. Real
 * logs carry noise ("Randomized with seed 1234", blank lines), so non-matching lines are ignored;
 * `undefined` when no line matches, so the caller can report an unknown format.
 */
export function parseRuntimeLog(text: string): TimingReport | undefined {
  const report: TimingReport = new Map();
  let matched = false;
  for (const raw of text.split('\n')) {
    const m = DATA_LINE.exec(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
    if (!m) continue;
    const seconds = Number(m[2]);
    if (!Number.isFinite(seconds)) continue; // "1.2.3" matches the pattern but is no number
    matched = true;
    // A file appears once per log; if a log was appended to, the later line is the newer time.
    report.set(testKey(m[1]!), seconds);
  }
  return matched ? report : undefined;
}
