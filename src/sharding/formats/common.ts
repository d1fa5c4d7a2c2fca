import { TimingError } from '../../errors.js';
import { durationProblem } from '../durations.js';
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

/** Per-entry warnings of one report shown in full; past this many, only counted (a report can have 30,000 entries). */
export const ENTRY_WARNINGS_SHOWN = 10;

/**
 * Entries of one report whose duration is unusable (negative, infinite, absurdly large). Each is
 * dropped, so its test counts as unknown and gets an estimate, and each is named — file, line,
 * entry — in a warning: one bad number must not throw away a whole report, and must not
 * silently become Infinity in every sum either.
 */
export class BadEntries {
  private readonly shown: string[] = [];
  private hidden = 0;
  /** Test files with a dropped entry: their recorded time is incomplete, so the file is unknown. */
  readonly files = new Set<string>();

  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {}

  /** `keyInText`: the key appears quoted in the text (so its line can be found and its number quoted). */
  add(key: string, testFile: string, value: number, problem: string, keyInText = true): void {
    if (this.full(testFile)) return;
    const line = keyInText ? lineOf(this.text, JSON.stringify(key)) : undefined;
    this.push(key, keyInText ? shownNumber(this.text, key, value) : String(value), problem, line);
  }

  /** An entry of a line-based format: the number as written and its line. */
  addAt(key: string, testFile: string, written: string, problem: string, line: number): void {
    if (this.full(testFile)) return;
    this.push(key, clip(written), problem, line);
  }

  /** Records the file; true when the warning is only to be counted. */
  private full(testFile: string): boolean {
    this.files.add(testKey(testFile));
    if (this.shown.length < ENTRY_WARNINGS_SHOWN) return false;
    this.hidden++;
    return true;
  }

  private push(key: string, shownValue: string, problem: string, line: number | undefined): void {
    const where = `${this.file}${line === undefined ? '' : `:${line}`} (${clip(key)})`;
    this.shown.push(`${where}: duration ${shownValue} ${problem}; the test is treated as unknown (estimated)`);
  }

  /**
   * Mark every file with a bad entry as known but untimed (NaN, see TimingReport), and append the
   * warnings to `sink`. Kept, not deleted: `shard` without --tests splits the report's files, and
   * a file must not vanish from the split because its time was nonsense.
   */
  apply(report: TimingReport, sink: string[] | undefined): TimingReport {
    for (const f of this.files) report.set(f, Number.NaN);
    if (sink) {
      sink.push(...this.shown);
      if (this.hidden > 0) sink.push(`${this.file}: ${this.hidden} more entries with unusable durations, also treated as unknown`);
    }
    return report;
  }
}

/**
 * A duration as the formats store it. A number that is no usable duration (see durations.ts) is
 * recorded in `bad` and gives undefined: the entry is dropped with a warning. A value that is no
 * number at all (a string, an object) means the file is not a timing report of this format: a
 * TimingError naming the file, the line of the key and what was expected.
 */
export function checkSeconds(file: string, text: string, key: string, value: unknown, bad: BadEntries, testFile = key): number | undefined {
  if (typeof value === 'number') {
    const problem = durationProblem(value);
    if (problem === undefined) return value;
    bad.add(key, testFile, value, problem);
    return undefined;
  }
  throw new TimingError({ file, line: lineOf(text, JSON.stringify(key)), key: clip(key) }, `expected a number of seconds, got ${preview(value)}`);
}

/**
 * A rejected number as the person wrote it. JSON.stringify turns `1e400` (parsed as Infinity)
 * into "null", which sends them looking for a null that is not there; the text after the key is
 * quoted instead, with what JSON.parse made of it when that differs.
 */
function shownNumber(text: string, key: string, value: number): string {
  const quoted = JSON.stringify(key);
  const at = text.indexOf(quoted);
  // After the key: `: 1e400` in an object, `, 1e400]` in a pytest-split pair.
  const raw = at < 0 ? undefined : /^\s*[:,]\s*(-?[0-9][0-9.eE+-]*)/.exec(text.slice(at + quoted.length, at + quoted.length + 400))?.[1];
  if (raw === undefined || Number(raw) !== value) return String(value);
  return raw === String(value) ? raw : `${clip(raw)} (${value})`;
}

/** Longest text of an input value quoted in a message. */
const PREVIEW_CHARS = 80;

function clip(s: string): string {
  return s.length > PREVIEW_CHARS ? `${s.slice(0, PREVIEW_CHARS)}…` : s;
}

/**
 * A short, bounded description of any JSON value for an error message. Never recursive and
 * never JSON.stringify of a container: a value nested 100,000 levels deep (or 50 MB long) must
 * give a one-line message, not a stack overflow while the message is being built.
 */
export function preview(value: unknown): string {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return clip(JSON.stringify(value));
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) return 'an empty object';
    return clip(
      `an object with key${keys.length === 1 ? '' : 's'} ${keys
        .slice(0, 3)
        .map((k) => JSON.stringify(k))
        .join(', ')}${keys.length > 3 ? ', …' : ''}`,
    );
  }
  return typeof value;
}

/** Adds `seconds` to a path's entry: per-test ids of one file add up to the file's time. */
export function addTo(report: TimingReport, path: string, seconds: number): void {
  const p = testKey(path);
  const before = report.get(p);
  report.set(p, before === undefined ? seconds : before + seconds);
}
