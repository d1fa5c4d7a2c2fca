import { resolve } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import type { DetectOptions, DetectResult } from '../detect.js';
import type { TimingSource } from '../outputs/summary.js';
import { TimingError, UsageError } from '../errors.js';
import { mergeTimingReports } from '../sharding/merge.js';
import { readTimingReport } from '../sharding/read.js';
import type { TimingReport } from '../sharding/types.js';
import { isFile } from '../util/fs.js';
import { findRepoRoot, findUpward } from '../util/repo.js';
import { flag, intValue, stringList, stringValue, type Parsed } from './args.js';
import type { CliIO } from './command.js';

/** The flags that choose what detect looks at: shared by `detect` and `report`. */
export const DETECT_INPUT_OPTIONS = {
  base: { type: 'string' },
  head: { type: 'string' },
  'include-uncommitted': { type: 'boolean' },
  'changed-files': { type: 'string' },
  'allow-empty-list': { type: 'boolean' },
  label: { type: 'string', multiple: true },
  deepen: { type: 'string' },
  config: { type: 'string' },
  mapping: { type: 'string', multiple: true },
  'coverage-map': { type: 'string', multiple: true },
  'previous-failures': { type: 'string', multiple: true },
  granularity: { type: 'string' },
  timings: { type: 'string', multiple: true },
  root: { type: 'string' },
} satisfies NonNullable<ParseArgsConfig['options']>;

/** `--help` for {@link DETECT_INPUT_OPTIONS} (detect and report). */
export const DETECT_INPUT_HELP = `Changes:
  --base REF               Diff base (default: CI_MERGE_REQUEST_DIFF_BASE_SHA, origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME,
                           origin/$GITHUB_BASE_REF, then origin/HEAD, origin/main, origin/master, main, master)
  --head REF               Diff head (default: HEAD)
  --include-uncommitted    Also staged, unstaged and untracked files
  --changed-files FILE|-   Changed paths, one a line (as a CI job writes them); '-' reads stdin.
                           Replaces git as the source of changes. An empty list runs the full
                           suite (a failed 'git diff' upstream leaves one too)
  --allow-empty-list       An empty --changed-files list selects no test
  --label NAME             A merge-request label (repeatable; also CI_MERGE_REQUEST_LABELS,
                           TESTSIFT_LABELS, GitHub pull_request labels)
  --deepen N               In a shallow clone, deepen up to N times to find the merge-base
                           (default 0; 3 with --ci)
Mappings:
  --config FILE            tests.yml (default: the nearest tests.yml from here up to the repository
                           root, else built-in defaults)
  --mapping FILE           A further tests.yml (repeatable; rules concatenate)
  --coverage-map PATH      Coverage map (repeatable; any supported format). Default: coverage_map
                           from tests.yml, else the nearest .testsift/map.json from here up to
                           the repository root. 'none': select without a map.
  --previous-failures XML  JUnit XML of a previous run: its failed tests run again (repeatable)
  --granularity auto|file|block
                           auto (default): where the map has block data for a changed file that
                           did not change since recording, select the tests that executed the
                           changed function or branch; else the file's tests, saying why.
                           file: whole files only. block: auto, warning when the map has none.
  --timings FILE           Timing report(s) for the time estimate (repeatable; any format that
                           'shard' reads). Default: the nearest .testsift/timings.json (the
                           Vitest plugin and the Jest reporter write it).
  --root DIR               Run as if started in DIR (like git -C): e.g. a package of a monorepo

Paths: paths you give resolve from the current directory; the list output is relative to it
(the JSON keeps repo-relative 'tests' and adds 'cwd' and 'cwdTests' when they differ).`;

export const DEFAULT_TIMINGS = '.testsift/timings.json';

/** The detect options the flags give; `deepenDefault` is 3 under --ci. */
export async function detectOptionsFrom(command: string, a: Parsed, io: CliIO, deepenDefault = 0): Promise<DetectOptions> {
  const cwd = resolve(io.cwd, stringValue(a, 'root') ?? '.');
  const granularity = stringValue(a, 'granularity') ?? 'auto';
  if (granularity !== 'auto' && granularity !== 'file' && granularity !== 'block')
    throw new UsageError(`${command}: --granularity must be auto, file or block, got '${granularity}'`);
  const changedFiles = stringValue(a, 'changed-files');
  const configs = [...(stringValue(a, 'config') ? [stringValue(a, 'config')!] : []), ...stringList(a, 'mapping')];
  return {
    cwd,
    base: stringValue(a, 'base'),
    head: stringValue(a, 'head'),
    includeUncommitted: flag(a, 'include-uncommitted'),
    changedFiles: changedFiles === undefined ? undefined : changedFiles === '-' ? '-' : resolve(cwd, changedFiles),
    stdinText: changedFiles === '-' ? await io.readStdin() : undefined,
    allowEmptyList: flag(a, 'allow-empty-list'),
    labels: stringList(a, 'label'),
    config: configs.length > 0 ? configs : undefined,
    coverageMap: stringList(a, 'coverage-map').length > 0 ? stringList(a, 'coverage-map') : undefined,
    previousFailures: stringList(a, 'previous-failures').map((p) => resolve(cwd, p)),
    granularity,
    deepen: intValue(command, 'deepen', stringValue(a, 'deepen'), 0) ?? deepenDefault,
    env: io.env,
  };
}

/**
 * The timing report(s) for the estimate: --timings, else the nearest `.testsift/timings.json`
 * from the current directory up to the repository root (beside the map), when it exists. Only an estimate rides on it, so an
 * unreadable report is a warning and "est. unknown", never an error.
 */
export async function detectTimings(a: Parsed, cwd: string, warnings: string[]): Promise<TimingSource & { files: string[] }> {
  const root = findRepoRoot(cwd) ?? cwd;
  const given = stringList(a, 'timings');
  const nearest = given.length > 0 ? undefined : findUpward(cwd, root, DEFAULT_TIMINGS);
  const files = given.length > 0 ? given.map((f) => resolve(cwd, f)) : nearest && isFile(nearest) ? [nearest] : [];
  if (files.length === 0) return { missing: 'no timings', files };
  const reports: TimingReport[] = [];
  for (const file of files) {
    try {
      reports.push(await readTimingReport(file, { root }));
    } catch (err) {
      if (!(err instanceof TimingError)) throw err;
      warnings.push(`timing report ${err.message}: the time estimate leaves it out`);
    }
  }
  const label = given.length > 0 ? given.join(', ') : DEFAULT_TIMINGS;
  if (reports.length === 0) return { missing: `timings unreadable (${label})`, files };
  // As in `shard`: a later report's time wins.
  return { report: mergeTimingReports(reports, { strategy: 'latest' }), file: label, files };
}

/**
 * The result with the timing reports' warnings added. Not a spread: that would run the lazy
 * getters (`selection`, `allTests`), which the list format never needs.
 */
export function withWarnings(r: DetectResult, warnings: string[]): DetectResult {
  return Object.create(r, { warnings: { value: warnings, enumerable: true } }) as DetectResult;
}
