import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { isSeconds, MAX_SECONDS, DEFAULT_ALPHA, mergeTimingReports, pruneMissing, readTimingReport, writeTimingReport, type MergeStrategy } from '../sharding/index.js';
import { flag, numberValue, parseCommandArgs, stringValue } from './args.js';
import type { CliIO, Command } from './command.js';

const help = `Usage: testsift timings merge IN… --output OUT [--strategy latest|ema] [--alpha 0.3]
                              [--prune-missing] [--root DIR]

Merge timing reports (oldest first) into one knapsack JSON report, e.g. the partial reports
of parallel CI jobs into the main report. Inputs may be in any format 'testsift shard'
reads (knapsack JSON, .test_durations, parallel_tests log, jest --json); the output is
knapsack JSON with sorted keys, written atomically (OUT may be one of the inputs).

Options:
  --output OUT              Where to write the merged report (required).
  --strategy latest|ema     latest (default): a later report's time replaces an earlier one.
                            ema: exponential moving average, so one slow run moves a file's
                            time only by --alpha.
  --alpha A                 Weight of the newer value for ema, 0 < A ≤ 1 (default ${DEFAULT_ALPHA}).
  --prune-missing           Drop files that do not exist under --root (deleted or renamed).
                            If that would drop every file, --root is taken to be wrong:
                            an error, and nothing is written.
  --root DIR                Checkout for --prune-missing and for jest --json absolute paths
                            (default: the current directory).

Any unreadable input is an error (exit 2) and nothing is written. An entry whose duration is
negative, infinite or above ${MAX_SECONDS} s (~115 days) is named in a warning and left out.
Exit codes: 0 success, 2 bad usage or invalid input, 1 unexpected failure.
`;

async function merge(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseCommandArgs('timings merge', argv, {
    output: { type: 'string', short: 'o' },
    strategy: { type: 'string' },
    alpha: { type: 'string' },
    'prune-missing': { type: 'boolean' },
    root: { type: 'string' },
  });
  const output = stringValue(parsed, 'output');
  if (parsed.positionals.length === 0) throw new UsageError('timings merge: give at least one input report');
  if (output === undefined) throw new UsageError('timings merge: --output OUT is required');
  const strategy = (stringValue(parsed, 'strategy') ?? 'latest') as MergeStrategy;
  if (strategy !== 'latest' && strategy !== 'ema') throw new UsageError(`timings merge: --strategy expects latest or ema, got '${strategy}'`);
  const alpha = numberValue('timings merge', 'alpha', stringValue(parsed, 'alpha')) ?? DEFAULT_ALPHA;
  if (!(alpha > 0 && alpha <= 1)) throw new UsageError(`timings merge: --alpha expects a number in (0, 1], got ${alpha}`);
  const root = resolve(io.cwd, stringValue(parsed, 'root') ?? '.');

  // Read everything before writing anything: a bad input leaves the output (maybe an input) intact.
  const reports = [];
  const warnings: string[] = [];
  for (const input of parsed.positionals) reports.push(await readTimingReport(resolve(io.cwd, input), { root, warnings }));
  // Entries with unusable durations are left out of the output (an older report's time stays).
  for (const w of warnings) io.stderr(`testsift timings merge: warning: ${w}\n`);
  let merged = mergeTimingReports(reports, { strategy, alpha });
  let pruned: string[] = [];
  if (flag(parsed, 'prune-missing')) {
    const before = merged.size;
    ({ report: merged, pruned } = pruneMissing(merged, (p) => existsSync(join(root, p))));
    // No test file found at all: far likelier a wrong --root than a suite deleted in one go, and
    // writing `{}` would throw away every recorded time (the output is often the main report).
    if (before > 0 && merged.size === 0) {
      throw new UsageError(
        `timings merge: --prune-missing would drop all ${before} files: none exists under --root ${root} (e.g. ${pruned[0]}); ` +
          `pass --root with the checkout the paths are relative to. Nothing written.`,
      );
    }
  }
  await writeTimingReport(resolve(io.cwd, output), merged);
  let written = 0;
  for (const v of merged.values()) if (isSeconds(v)) written++;
  io.stdout(`merged ${reports.length} report(s) (${strategy}): ${written} files → ${output}${pruned.length ? `; pruned ${pruned.length} missing` : ''}\n`);
  return 0;
}

const command: Command = {
  name: 'timings',
  summary: 'Timing reports: merge',
  help,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === 'merge') return merge(rest, io);
    throw new UsageError(
      `timings: ${sub === undefined ? 'missing subcommand' : `unknown subcommand '${sub}'`} (expected: merge)\nRun 'testsift timings --help' for usage.`,
    );
  },
};

export default command;
