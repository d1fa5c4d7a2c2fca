import { promises as fsp } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import { relativeTo } from '../util/paths.js';
import {
  adviceJson,
  adviseShardCount,
  allocateShards,
  checkPlanFits,
  computeSplit,
  estimateWarnings,
  loadTimingsFor,
  MAX_SECONDS,
  MAX_SHARDS,
  parseTestList,
  planFileOf,
  planJson,
  planList,
  planTable,
  readPlanFile,
  shardRunLine,
  testsIn,
  writePlanFile,
  type ShardPlan,
  type TestList,
} from '../sharding/index.js';
import { envTrue } from './env-flag.js';
import { numberValue, parseCommandArgs, stringList, stringValue, flag } from './args.js';
import type { CliIO, Command } from './command.js';
import { verifyHelp } from './shard-verify-help.js';

const help = `Usage: testsift shard --timings FILE… [--tests FILE|-] --total N [--index I]
                      [--format list|json] [-z] [--job-overhead S] [--plan] [--root DIR]
                      [--write-plan FILE] [--allow-missing-timings]
       testsift shard --from-plan FILE [--tests FILE|-] [--total N] [--index I] [--format list|json]
       testsift shard verify (--plan FILE | --tests FILE) REPORT…   (see 'testsift shard verify --help')

Split tests over N CI jobs so that every job takes about the same time (by recorded times).

Options:
  --timings FILE…     Timing report(s): knapsack JSON, pytest-split .test_durations,
                      parallel_tests runtime log or jest --json output (auto-detected).
                      Repeat the flag or list several files; a later file's time wins.
                      Without --index a missing or corrupt report is a warning (tests then
                      get estimates); for one job's part (--index) it is an error: see below.
  --tests FILE|-      The tests to split: detect's JSON (its "tests"), one path a line
                      ('# ' comment lines skipped: '#' then a space, or a bare '#'; a
                      path such as '#a.test.js' is kept), or NUL-separated paths (detect
                      -z, git ls-files -z; taken verbatim). Absolute paths are made
                      relative to the current directory. Default: the files in the
                      timing report(s).
  --total N           Number of shards, 1…${MAX_SHARDS} (default: $CI_NODE_TOTAL).
  --index I           1-based shard to print (default: $CI_NODE_INDEX; none: all shards).
  --format list|json  list (default): with --index one path a line; without it, each
                      shard as a '# shard i/N (12.3s)' header followed by its paths.
                      json: {"shards":[{"index","tests","seconds"}],"makespan","lowerBound"}.
  -z, --null          list with --index: NUL-terminated paths (as git -z), for paths with
                      a line break (without -z such a path is an error, exit 2).
  --job-overhead S    Seconds every job pays before its first test (boot, install), 0…${MAX_SECONDS}.
  --plan              Print predicted seconds per shard, the lower bound, the imbalance,
                      and wall-clock / machine time for N = 1…64 with the recommended N.
                      It covers every shard: --index is an error, $CI_NODE_INDEX ignored.
  --root DIR          Checkout the reports were recorded in; absolute paths in jest --json
                      are made relative to it (default: the current directory).

One split for all jobs (recommended in CI):
  --write-plan FILE   Also write the whole split to FILE (atomically): every test's shard, the
                      seconds used per test and the sha256 digest of the inputs. Run it once
                      (or 'detect-tests --shards N'), pass FILE to the jobs as an artifact.
  --from-plan FILE    Take this job's part from a plan instead of computing it; no --timings.
                      Exit 2 if the plan is missing, corrupt or edited, if its N differs from
                      --total / $CI_NODE_TOTAL, or if its tests differ from --tests.
  --allow-missing-timings
                      (or TESTSIFT_ALLOW_MISSING_TIMINGS=1) For one job's part without a plan:
                      go on when a --timings report cannot be read, splitting by test count
                      alone (every report ignored, the same in every job that misses one).
                      Without it such a job exits 2: jobs that have the report would split
                      differently, and tests would run twice or in no job, every job green.

Every job's part (--index, with or without a plan) prints one line on stderr:
  testsift shard: shard 2/4: 25 of 100 tests, predicted 61.0s; inputs 3f2a9c01b7d4 (tests …, timings …); …
The jobs of one pipeline must show the same inputs digest; run 'testsift shard verify' in a
final stage to prove from their JUnit or JSON reports that every test ran exactly once.

Paths are compared with '/' separators: backslashes in reports and --tests lists (written
on Windows) are read as '/'. jest --json files outside --root are an error.
Tests without a recorded time get the median time of the report's files in their nearest
folder (own folder first, then parents, then the whole report; 1s with no report at all).
A recorded duration that is negative, infinite or above ${MAX_SECONDS} s (~115 days) is named
in a warning and its test counts as unknown (estimated).
With more shards than tests some shards are empty: run the runner with --passWithNoTests
(Jest and Vitest) so an empty shard passes.

Exit codes: 0 success, 2 bad usage or invalid input (a job's missing timing report or unusable
plan included), 1 unexpected failure.
`;

type Format = 'list' | 'json';

/**
 * A flag, else the CI variable; the error names whichever the value came from. Bounded above
 * too: `--total 4294967296` would otherwise die allocating shards, with a stack trace.
 */
function fromFlagOrEnv(parsed: ReturnType<typeof parseCommandArgs>, io: CliIO, name: string, env: string): { value?: number; source: string } {
  const raw = stringValue(parsed, name);
  if (raw !== undefined) return { value: shardNumber(raw, `--${name}`), source: `--${name}` };
  const fromEnv = io.env[env];
  if (fromEnv === undefined || fromEnv === '') return { source: env };
  return { value: shardNumber(fromEnv, `$${env}`), source: `$${env}` };
}

function shardNumber(raw: string, source: string): number {
  const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!(n >= 1)) throw new UsageError(`shard: ${source} must be an integer ≥ 1, got '${raw}'`);
  if (n > MAX_SHARDS) throw new UsageError(`shard: ${source} must be at most ${MAX_SHARDS}, got ${raw}`);
  return n;
}

/** The tests from --tests; absolute paths (`find $PWD …`) are made relative to the current directory. */
async function readTests(arg: string, io: CliIO): Promise<TestList> {
  const list = await readTestsRaw(arg, io);
  return { ...list, tests: list.tests.map((t) => relativeTo(io.cwd, t)) };
}

async function readTestsRaw(arg: string, io: CliIO): Promise<TestList> {
  if (arg === '-') return parseTestList('<stdin>', await io.readStdin());
  let text: string;
  try {
    text = await fsp.readFile(resolve(io.cwd, arg), 'utf8');
  } catch (err) {
    throw new InputError({ file: arg }, `cannot read --tests: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
  return parseTestList(arg, text);
}

function out(io: CliIO, format: Format, plan: ShardPlan, only: ShardPlan['shards'][number] | undefined, nul = false): void {
  io.stdout(format === 'json' ? planJson(plan, only) : planList(plan, only, { nul }));
}

const command: Command = {
  name: 'shard',
  summary: 'Split tests over N CI jobs balanced by recorded time',
  help,
  subcommands: { verify: verifyHelp },
  async run(argv, io) {
    if (argv[0] === 'verify') return (await import('./shard-verify.js')).runVerify(argv.slice(1), io);
    const parsed = parseCommandArgs('shard', argv, {
      timings: { type: 'string', multiple: true },
      tests: { type: 'string' },
      total: { type: 'string' },
      index: { type: 'string' },
      format: { type: 'string' },
      'job-overhead': { type: 'string' },
      plan: { type: 'boolean' },
      null: { type: 'boolean', short: 'z' },
      root: { type: 'string' },
      'write-plan': { type: 'string' },
      'from-plan': { type: 'string' },
      'allow-missing-timings': { type: 'boolean' },
    });
    // `--timings a.json b.json`: the extra files arrive as positionals.
    const timingFiles = [...stringList(parsed, 'timings'), ...parsed.positionals].map((f) => resolve(io.cwd, f));
    const format = (stringValue(parsed, 'format') ?? 'list') as Format;
    if (format !== 'list' && format !== 'json') throw new UsageError(`shard: --format expects list or json, got '${format}'`);
    const jobOverhead = numberValue('shard', 'job-overhead', stringValue(parsed, 'job-overhead')) ?? 0;
    if (jobOverhead > MAX_SECONDS) throw new UsageError(`shard: --job-overhead expects at most ${MAX_SECONDS} seconds, got ${jobOverhead}`);
    const planMode = flag(parsed, 'plan');
    // The plan is of all shards; an --index that changed nothing would look like it did something.
    if (planMode && stringValue(parsed, 'index') !== undefined) {
      throw new UsageError("shard: --plan prints every shard and takes no --index\nRun 'testsift shard --help' for usage.");
    }
    const root = resolve(io.cwd, stringValue(parsed, 'root') ?? '.');
    const fromPlan = stringValue(parsed, 'from-plan');
    const writePlan = stringValue(parsed, 'write-plan');
    const conflict = (a: string, b: string): never => {
      throw new UsageError(`shard: ${a} and ${b} do not go together\nRun 'testsift shard --help' for usage.`);
    };
    if (fromPlan !== undefined) {
      // The plan fixes the split: flags that would change it are contradictions, not hints.
      if (timingFiles.length > 0) conflict('--from-plan', '--timings (the plan already holds the times it was split by)');
      if (planMode) conflict('--from-plan', '--plan');
      if (writePlan !== undefined) conflict('--from-plan', '--write-plan');
      if (stringValue(parsed, 'job-overhead') !== undefined) conflict('--from-plan', '--job-overhead');
    }
    if (planMode && writePlan !== undefined) conflict('--plan', '--write-plan');

    const total = fromFlagOrEnv(parsed, io, 'total', 'CI_NODE_TOTAL');
    if (total.value === undefined && !planMode && fromPlan === undefined) {
      throw new UsageError("shard: --total is required (or set CI_NODE_TOTAL)\nRun 'testsift shard --help' for usage.");
    }
    const index = planMode ? { source: '' } : fromFlagOrEnv(parsed, io, 'index', 'CI_NODE_INDEX');
    if (index.value !== undefined && total.value !== undefined && index.value > total.value) {
      throw new UsageError(`shard: ${index.source} (${index.value}) is greater than ${total.source} (${total.value}); shard indexes are 1-based`);
    }
    const testsArg = stringValue(parsed, 'tests');

    if (fromPlan !== undefined) {
      const planPath = resolve(io.cwd, fromPlan);
      const loaded = await readPlanFile(planPath);
      const tests = testsArg === undefined ? undefined : (await readTests(testsArg, io)).tests;
      checkPlanFits(loaded, { total: total.value, totalSource: total.source, tests, testsSource: testsArg === undefined ? undefined : `--tests ${testsArg}` });
      if (index.value !== undefined && index.value > loaded.total) {
        throw new UsageError(`shard: ${index.source} (${index.value}) is greater than the plan's ${loaded.total} shards; shard indexes are 1-based`);
      }
      const only = index.value === undefined ? undefined : loaded.plan.shards[index.value - 1]!;
      if (only) io.stderr(`testsift shard: ${runLine(loaded.plan, only, loaded.digest, `split from plan ${fromPlan}`)}\n`);
      out(io, format, loaded.plan, only, flag(parsed, 'null'));
      return 0;
    }

    if (timingFiles.length === 0 && testsArg === undefined) {
      throw new UsageError("shard: give --timings FILE (and/or --tests FILE)\nRun 'testsift shard --help' for usage.");
    }
    const warnings: string[] = [];
    const allowMissing = flag(parsed, 'allow-missing-timings') || envTrue(io.env.TESTSIFT_ALLOW_MISSING_TIMINGS);
    const job = index.value === undefined ? undefined : `${index.value}/${total.value}`;
    const loaded = await loadTimingsFor(timingFiles, { root, warnings, job, allowMissing });
    const report = loaded.report;
    let tests: string[];
    if (testsArg !== undefined) {
      const list = await readTests(testsArg, io);
      tests = list.tests;
      if (list.mode === 'full' && tests.length === 0 && report.size > 0) {
        // A full run with an empty universe cannot be right: run what the report knows rather than nothing.
        warnings.push(`--tests ${testsArg} is a full-suite selection with no tests; sharding the timing report's files instead`);
        tests = [...report.keys()];
      }
    } else {
      tests = [...report.keys()];
      if (tests.length === 0) {
        for (const w of warnings) io.stderr(`testsift shard: warning: ${w}\n`);
        throw new InputError({ file: timingFiles.join(', ') }, 'no tests to shard: no readable timing report lists any file, and no --tests was given');
      }
    }

    if (planMode) {
      const plan = total.value === undefined ? undefined : allocateShards(tests, report, total.value, { jobOverhead });
      const advice = adviseShardCount(tests, report, { jobOverhead });
      if (plan) warnings.push(...estimateWarnings(plan, report));
      for (const w of warnings) io.stderr(`testsift shard: warning: ${w}\n`);
      io.stdout(format === 'json' ? adviceJson(advice, { plan, jobOverhead }) : planTable(advice, { plan, jobOverhead }));
      return 0;
    }

    const split = computeSplit(tests, report, total.value!, { jobOverhead });
    const { plan } = split;
    warnings.push(...estimateWarnings(plan, report));
    for (const w of warnings) io.stderr(`testsift shard: warning: ${w}\n`);
    if (writePlan !== undefined) {
      await writePlanFile(resolve(io.cwd, writePlan), planFileOf(split, { files: loaded.files, unreadable: loaded.unreadable }, jobOverhead));
      io.stderr(
        `testsift shard: wrote shard plan ${writePlan}: ${testsIn(plan)} tests in ${plan.shards.length} shards; inputs digest ${split.digest.inputs.slice(0, 12)}\n`,
      );
    }
    const only = index.value === undefined ? undefined : plan.shards[index.value - 1];
    if (only) io.stderr(`testsift shard: ${runLine(plan, only, split.digest, loaded.source)}\n`);
    out(io, format, plan, only, flag(parsed, 'null'));
    return 0;
  },
};

function runLine(plan: ShardPlan, shard: ShardPlan['shards'][number], digest: Parameters<typeof shardRunLine>[0]['digest'], source: string): string {
  return shardRunLine({ index: shard.index, total: plan.shards.length, tests: shard.tests.length, ofTests: testsIn(plan), seconds: shard.seconds, digest, source });
}

export default command;
