import { durationProblem } from '../durations.js';
import { testKey } from '../path-key.js';
import type { TimingReport } from '../types.js';
import { BadEntries } from './common.js';

/** The only lines a parallel_tests runtime log contributes; RSpec output mixed in is skipped. */
const DATA_LINE = /^(.+):([0-9.]+)$/;

/**
 * parallel_tests runtime log (`tmp/parallel_runtime_rspec.log`): `path:seconds` per line. Real
 * logs carry noise ("Randomized with seed 1234", blank lines), so non-matching lines are ignored;
 * `undefined` when no line matches, so the caller can report an unknown format. A time that is a
 * number but no usable duration (400 digits: Infinity; more than ~115 days) is warned about by
 * line and its file treated as unknown.
 */
export function parseRuntimeLog(text: string, file = '<runtime log>', warnings?: string[]): TimingReport | undefined {
  const report: TimingReport = new Map();
  const bad = new BadEntries(file, text);
  let matched = false;
  let lineNo = 0;
  for (const raw of text.split('\n')) {
    lineNo++;
    const m = DATA_LINE.exec(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
    if (!m) continue;
    const seconds = Number(m[2]);
    if (Number.isNaN(seconds)) continue; // "1.2.3" matches the pattern but is no number
    matched = true;
    const path = testKey(m[1]!);
    const problem = durationProblem(seconds);
    if (problem !== undefined) {
      bad.addAt(m[1]!, path, m[2]!, problem, lineNo);
      continue;
    }
    // A file appears once per log; if a log was appended to, the later line is the newer time.
    report.set(path, seconds);
  }
  return matched ? bad.apply(report, warnings) : undefined;
}
