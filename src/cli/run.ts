import { readFileSync } from 'node:fs';
import { delimiter, resolve } from 'node:path';
import { detectTests } from '../detect.js';
import { InputError, UsageError } from '../errors.js';
import { summarize } from '../outputs/summary.js';
import { describePlan, shortCommand } from '../runner/describe.js';
import { identifyRunner, runnerArgs, type RunnerKind } from '../runner/identify.js';
import { integrationConfigured } from '../runner/integration.js';
import { planRun, type Via } from '../runner/plan-run.js';
import { shardSpec } from '../runner/shard-spec.js';
import { runPlanned } from '../runner/spawn.js';
import { parseSelectionText } from '../integrations/shared/selection.js';
import { findRepoRoot, findUpward } from '../util/repo.js';
import { flag, parseCommandArgs, stringList, stringValue, type Parsed } from './args.js';
import type { CliIO, Command } from './command.js';
import { DEFAULT_TIMINGS, DETECT_INPUT_HELP, DETECT_INPUT_OPTIONS, detectOptionsFrom, detectTimings } from './detect-options.js';
import { envTrue } from './env-flag.js';

const help = `Usage: testsift run [detect options] [run options] -- <runner command…>

Detect the tests the change needs, then run the runner on them (sharded by time when
--shard i/n or CI_NODE_INDEX/CI_NODE_TOTAL is given), and exit with the runner's exit code.

  testsift run -- npx vitest run
  testsift run --shard 2/4 --timings .testsift/timings.json -- npx jest --ci
  testsift run -- bundle exec rspec          (any runner that takes test files as arguments)

What runs:
  selective, some tests    the runner on exactly those files (see --via)
  selective, no test       nothing: the runner is not started, exit 0
  full suite               the runner command unchanged (reasons printed first); sharded,
                           Vitest and Jest get --shard=i/n and split their own test files
  a shard with no file     nothing: the runner is not started, exit 0
Selected files that do not exist, or too many to pass as arguments: the full suite, and why.

Run options:
  --via auto|env|args      How the files reach the runner. env: through TESTSIFT_SELECT (a temp
                           file), read by the testsift Vitest plugin or Jest filter, which run
                           exactly these paths. args: as arguments, relative to the current
                           folder (Jest: with --runTestsByPath, exact; Vitest: as filters that
                           match parts of paths, so a file whose path contains one runs too).
                           auto (default): env for Vitest/Jest when their config names the
                           plugin/filter (read as text), else args.
  --runner vitest|jest|generic
                           The runner, when the command does not show it (default: from the
                           command: vitest, npx vitest, node_modules/.bin/jest, …; else generic)
  --selection FILE         Run detect's JSON (.testsift/detect.json from detect-tests) instead
                           of detecting here: every CI job then runs the same decision
  --shard i/n              Run part i of n (default: $CI_NODE_INDEX/$CI_NODE_TOTAL)
  --timings FILE           Timing report(s) the split is balanced by (and the estimate); every
                           job must have them: a missing one is an error (exit 2). Default for
                           the split: $TESTSIFT_TIMINGS; none: split by test count.
  --from-plan FILE         Take this job's part from a shard plan (detect-tests --shards N);
                           default $TESTSIFT_SHARD_PLAN. The plan must fit the selection.
  --allow-missing-timings  (or TESTSIFT_ALLOW_MISSING_TIMINGS=1) Split by test count when a
                           timing report cannot be read, instead of failing
  --dry-run                Print what would run (command, environment, selection), run nothing

${DETECT_INPUT_HELP}

Exit codes: the runner's (128+n when signal n ended it); 0 when nothing needed to run;
            2 bad usage or invalid input (nothing started); 127 runner command not found.
`;

/** Detect flags that choose what is detected: with --selection, the decision is already made. */
const DETECTING = ['base', 'head', 'include-uncommitted', 'changed-files', 'label', 'deepen', 'config', 'mapping', 'coverage-map', 'previous-failures', 'granularity'];

interface Decision {
  mode: 'selective' | 'full';
  /** Repo-relative. */
  tests: string[];
  changedFiles: number;
  reasons: string[];
  summary: string;
  warnings: string[];
}

async function detectHere(a: Parsed, io: CliIO): Promise<{ cwd: string; decision: Decision }> {
  const opts = await detectOptionsFrom('run', a, io);
  const cwd = opts.cwd!;
  const result = await detectTests(opts);
  const warnings = [...result.warnings];
  const timings = await detectTimings(a, cwd, warnings);
  const summary = summarize(result, timings);
  return {
    cwd,
    decision: { mode: result.mode, tests: result.tests, changedFiles: result.changedFiles.length, reasons: result.reasons, summary: summary.text, warnings },
  };
}

/** detect's JSON as `detect --format json` / detect-tests wrote it: its `tests` are repo-relative. */
function readDecision(file: string, cwd: string): Decision {
  const path = resolve(cwd, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError({ file }, `cannot read the selection: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
  if (!text.trim().startsWith('{')) throw new InputError({ file }, 'expected detect\'s JSON ({"mode", "tests", …}: .testsift/detect.json, or detect --format json)');
  const selection = parseSelectionText(text, file);
  const json = JSON.parse(text) as { changedFiles?: unknown; reasons?: unknown; summary?: { text?: unknown } };
  const changedFiles = Array.isArray(json.changedFiles) ? json.changedFiles.length : 0;
  const reasons = Array.isArray(json.reasons) ? json.reasons.filter((r): r is string => typeof r === 'string') : [];
  const summary =
    typeof json.summary?.text === 'string'
      ? json.summary.text
      : `testsift: ${selection.mode === 'full' ? 'FULL SUITE' : 'selective'}, ${selection.tests.length} test files (from ${file})`;
  return { mode: selection.mode, tests: selection.tests, changedFiles, reasons, summary, warnings: [] };
}

const command: Command = {
  name: 'run',
  summary: 'Detect, then run the runner on the selection (sharded by time), passing its exit code through',
  help,
  async run(argv, io) {
    const dashes = argv.indexOf('--');
    if (dashes < 0 || dashes === argv.length - 1) {
      throw new UsageError("run: give the runner command after --, e.g. testsift run -- npx vitest run\nRun 'testsift run --help' for usage.");
    }
    const runnerCommand = argv.slice(dashes + 1);
    const a = parseCommandArgs(
      'run',
      argv.slice(0, dashes),
      {
        ...DETECT_INPUT_OPTIONS,
        via: { type: 'string' },
        runner: { type: 'string' },
        selection: { type: 'string' },
        shard: { type: 'string' },
        'from-plan': { type: 'string' },
        'allow-missing-timings': { type: 'boolean' },
        'dry-run': { type: 'boolean' },
      },
      false,
    );
    const viaFlag = stringValue(a, 'via') ?? 'auto';
    if (!['auto', 'env', 'args'].includes(viaFlag)) throw new UsageError(`run: --via must be auto, env or args, got '${viaFlag}'`);
    const runnerFlag = stringValue(a, 'runner');
    if (runnerFlag !== undefined && !['vitest', 'jest', 'generic'].includes(runnerFlag))
      throw new UsageError(`run: --runner must be vitest, jest or generic, got '${runnerFlag}'`);
    const shard = shardSpec(stringValue(a, 'shard'), io.env);
    const planFlag = stringValue(a, 'from-plan');
    if (planFlag !== undefined && !shard) throw new UsageError('run: --from-plan gives each job its part: give --shard i/n too (or set CI_NODE_INDEX and CI_NODE_TOTAL)');
    const selectionFile = stringValue(a, 'selection');
    if (selectionFile !== undefined) {
      const clash = DETECTING.find((k) => a.values[k] !== undefined);
      if (clash) throw new UsageError(`run: --selection and --${clash} do not go together: the selection file holds detect's decision`);
    }

    const { cwd, decision } =
      selectionFile !== undefined ? { cwd: resolve(io.cwd, stringValue(a, 'root') ?? '.'), decision: readDecision(selectionFile, io.cwd) } : await detectHere(a, io);
    const repoRoot = findRepoRoot(cwd) ?? cwd;

    for (const w of decision.warnings) io.stderr(`testsift: warning: ${w}\n`);
    if (decision.mode === 'full') for (const r of decision.reasons) io.stderr(`testsift: full suite: ${r}\n`);
    io.stderr(`${decision.summary}\n`);

    const identified = identifyRunner(runnerCommand);
    const runner = (runnerFlag as RunnerKind | undefined) ?? identified.kind;
    const integration = integrationConfigured(runner, runnerArgs(runnerCommand, identified.at), cwd);
    const via: Via = viaFlag === 'auto' ? (integration.configured ? 'env' : 'args') : (viaFlag as Via);
    if (viaFlag === 'auto' && runner !== 'generic' && decision.mode === 'selective') {
      io.stderr(`testsift run: ${runner}: ${integration.detail} (read as text, not run): files go ${via === 'env' ? 'through TESTSIFT_SELECT' : 'as arguments'}\n`);
    }

    const envPlan = io.env.TESTSIFT_SHARD_PLAN?.trim() ? io.env.TESTSIFT_SHARD_PLAN.trim() : undefined;
    const planLabel = planFlag ?? (shard ? envPlan : undefined);
    if (planFlag === undefined && envPlan !== undefined && !shard) io.stderr('testsift run: warning: TESTSIFT_SHARD_PLAN is set but this run is not sharded: ignored\n');
    const flagTimings = stringList(a, 'timings');
    const envTimings = (io.env.TESTSIFT_TIMINGS ?? '')
      .split(delimiter)
      .map((t) => t.trim())
      .filter((t) => t !== '');
    const timings = (flagTimings.length > 0 ? flagTimings : envTimings).map((t) => resolve(cwd, t));
    if (shard && !planLabel && timings.length === 0) {
      const nearest = findUpward(cwd, repoRoot, DEFAULT_TIMINGS);
      if (nearest)
        io.stderr(`testsift run: note: no --timings, so the split is not by recorded time; to balance it pass --timings ${DEFAULT_TIMINGS} (every job must have it)\n`);
    }

    const plan = await planRun({
      command: runnerCommand,
      runner,
      at: identified.at,
      via,
      integration: integration.configured,
      cwd,
      repoRoot,
      mode: decision.mode,
      tests: decision.tests,
      changedFiles: decision.changedFiles,
      shard,
      timings,
      plan: planLabel === undefined ? undefined : { path: resolve(io.cwd, planLabel), label: planLabel },
      allowMissingTimings: flag(a, 'allow-missing-timings') || envTrue(io.env.TESTSIFT_ALLOW_MISSING_TIMINGS),
    });
    for (const m of plan.messages) io.stderr(m.startsWith('testsift') ? `${m}\n` : `testsift run: ${m}\n`);
    if (plan.action === 'skip') return 0;
    if (flag(a, 'dry-run')) {
      io.stdout(describePlan(plan));
      return 0;
    }
    io.stderr(`testsift run: ${shortCommand(plan.command)}\n`);
    return runPlanned(plan, io.env, io.stderr);
  },
};

export default command;
