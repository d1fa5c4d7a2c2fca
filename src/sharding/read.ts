import { promises as fsp } from 'node:fs';
import { TimingError } from '../errors.js';
import { parseJestJson, isJestJson } from './formats/jest-json.js';
import { jsonErrorLine } from './formats/json-error.js';
import { parseKeyedDurations } from './formats/knapsack-json.js';
import { parseRuntimeLog } from './formats/parallel-runtime-log.js';
import { parsePytestSplitPairs } from './formats/pytest-split-list.js';
import type { TimingReport } from './types.js';

export interface ReadTimingOptions {
  /** The checkout the report was recorded in: absolute paths (Jest `--json`) are made relative to it. Default: cwd. */
  root?: string;
  /**
   * Where warnings about single entries go: durations that are negative, infinite or absurd
   * (see durations.ts) are dropped, so those tests count as unknown, and named here by file, line
   * and entry. Not given: dropped without a word, so the CLI and the sequencers always pass one.
   */
  warnings?: string[];
}

/**
 * Read a timing report in any of the four formats, told apart by content rather than file name
 * (CI artifacts get renamed): a JSON object of numbers (knapsack, pytest-split dict), a JSON list
 * of pairs (pytest-split legacy), `jest --json` output, or a parallel_tests `path:seconds` log.
 */
export async function readTimingReport(path: string, opts: ReadTimingOptions = {}): Promise<TimingReport> {
  let text: string;
  try {
    text = await fsp.readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new TimingError({ file: path }, code === 'ENOENT' ? 'file not found' : `cannot read: ${code ?? String(err)}`, { cause: err });
  }
  return parseTimingReport(path, text, opts);
}

export function parseTimingReport(file: string, text: string, opts: ReadTimingOptions = {}): TimingReport {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const first = body.trimStart()[0];
  if (first === undefined) {
    throw new TimingError({ file }, 'empty file: expected a knapsack JSON report, a .test_durations file, a jest --json result or a parallel_tests runtime log');
  }
  if (first === '{' || first === '[') return parseJson(file, body, opts);
  const log = parseRuntimeLog(body, file, opts.warnings);
  if (log) return log;
  throw new TimingError({ file, line: 1 }, 'unknown format: not JSON, and no line of the form `path:seconds` (parallel_tests runtime log)');
}

function parseJson(file: string, text: string, opts: ReadTimingOptions): TimingReport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new TimingError({ file, line: jsonErrorLine(text) }, `invalid JSON: ${(err as Error).message}`, { cause: err });
  }
  if (Array.isArray(json)) return parsePytestSplitPairs(file, text, json, opts.warnings);
  const obj = json as Record<string, unknown>;
  if (isJestJson(obj)) return parseJestJson(file, text, obj, opts.root ?? process.cwd(), opts.warnings);
  return parseKeyedDurations(file, text, obj, opts.warnings);
}
