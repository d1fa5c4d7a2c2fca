import { resolve } from 'node:path';
import { detectTests } from '../detect.js';
import { TestsiftError, UsageError } from '../errors.js';
import { mapStats, type MapStats } from '../mappings/coverage/map-stats.js';
import { detectMapFormat, readMapRecord } from '../mappings/coverage/index.js';
import { htmlReport } from '../outputs/html-report.js';
import { summarize } from '../outputs/summary.js';
import { adviseShardCount, allocateShards, MAX_SHARDS } from '../sharding/index.js';
import type { TimingReport } from '../sharding/types.js';
import { writeFileAtomic } from '../util/fs.js';
import { findRepoRoot } from '../util/repo.js';
import { testsiftVersion } from '../util/version.js';
import { intValue, parseCommandArgs, stringValue } from './args.js';
import type { CliIO, Command } from './command.js';
import { DETECT_INPUT_HELP, DETECT_INPUT_OPTIONS, detectOptionsFrom, detectTimings, withWarnings } from './detect-options.js';
import { sizeOf } from './map.js';

const DEFAULT_OUTPUT = '.testsift/report.html';

const help = `Usage: testsift report [detect options] [--timings FILE] [--shards N] [-o FILE]

Write one self-contained HTML page (no network access: inline CSS, JS and SVG) showing
what detect selects and why (changed file → test files with reasons, with a filter box),
the shards as a Gantt chart from the recorded times, and the coverage map's statistics.

Report:
  -o, --output FILE        Where to write the page (default: ${DEFAULT_OUTPUT})
  --shards N               Shards in the chart (default: $CI_NODE_TOTAL; else, with timings,
                           the count 'shard --plan' recommends; else 1)

${DETECT_INPUT_HELP}

Exit codes: 0 success (a full-suite fallback included), 2 bad usage or invalid input,
            1 unexpected failure.
`;

/** `--shards`, else $CI_NODE_TOTAL, else the recommendation (only meaningful with timings), else 1. */
function shardCount(raw: string | undefined, io: CliIO, tests: string[], timings: TimingReport | undefined): { n: number; note: string } {
  const check = (n: number | undefined, source: string) => {
    if (n !== undefined && n > MAX_SHARDS) throw new UsageError(`report: ${source} must be at most ${MAX_SHARDS}, got ${n}`);
    return n;
  };
  const flag = check(intValue('report', 'shards', raw), '--shards');
  if (flag !== undefined) return { n: flag, note: '--shards' };
  const env = io.env.CI_NODE_TOTAL;
  if (env !== undefined && env.trim() !== '') {
    if (!/^\d+$/.test(env.trim()) || Number(env) < 1) throw new UsageError(`report: $CI_NODE_TOTAL must be an integer ≥ 1, got '${env}'`);
    return { n: check(Number(env), '$CI_NODE_TOTAL')!, note: '$CI_NODE_TOTAL' };
  }
  if (!timings || timings.size === 0 || tests.length === 0) return { n: 1, note: 'no timings: one shard; pass --shards N' };
  const advice = adviseShardCount(tests, timings, { maxShards: Math.min(64, tests.length) });
  return { n: advice.best, note: "the count 'shard --plan' recommends; --shards N to change it" };
}

async function loadMapStats(root: string, path: string | undefined, warnings: string[]): Promise<{ stats?: MapStats; missing?: string }> {
  if (!path) return { missing: 'no coverage map was used' };
  const abs = resolve(root, path);
  try {
    const format = await detectMapFormat(abs);
    const record = await readMapRecord(abs, { root, format, onWarning: (m) => warnings.push(m) });
    return { stats: mapStats(path, format, await sizeOf(abs), record) };
  } catch (err) {
    // The page is still worth having without them: detect already dealt with a broken map.
    if (!(err instanceof TestsiftError)) throw err;
    return { missing: `statistics unavailable: ${err.message}` };
  }
}

const command: Command = {
  name: 'report',
  summary: 'Write a self-contained HTML report: selection with reasons, shard Gantt chart, map statistics',
  help,
  async run(argv, io) {
    const a = parseCommandArgs('report', argv, { ...DETECT_INPUT_OPTIONS, output: { type: 'string', short: 'o' }, shards: { type: 'string' } }, false);
    const opts = await detectOptionsFrom('report', a, io);
    const cwd = opts.cwd!;
    const result = await detectTests(opts);
    const warnings = [...result.warnings];
    const timings = await detectTimings(a, cwd, warnings);
    const summary = summarize(result, timings);
    const report: TimingReport = timings.report ?? new Map();
    const shards = shardCount(stringValue(a, 'shards'), io, result.tests, timings.report);
    const plan = allocateShards(result.tests, report, shards.n);
    const root = findRepoRoot(cwd) ?? cwd;
    const map = await loadMapStats(root, result.map?.path, warnings);
    const html = htmlReport({
      result: withWarnings(result, warnings),
      summary,
      plan,
      timings: report,
      shardsNote: shards.note,
      mapStats: map.stats,
      mapStatsMissing: map.missing,
      generatedAt: new Date().toISOString(),
      version: testsiftVersion() || '0.0.0',
    });
    const output = stringValue(a, 'output') ?? DEFAULT_OUTPUT;
    await writeFileAtomic(resolve(cwd, output), html);
    for (const w of warnings) io.stderr(`testsift: warning: ${w}\n`);
    io.stderr(`${summary.text}\n`);
    io.stderr(`testsift: report written to ${output}\n`);
    return 0;
  },
};

export default command;
