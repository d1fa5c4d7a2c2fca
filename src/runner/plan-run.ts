import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import { checkPlanFits, loadTimingsFor, readPlanFile, shardRunLine, shardTests, testsIn } from '../sharding/index.js';
import { formatTimingReport } from '../sharding/write.js';
import { toPosix } from '../util/paths.js';
import { hasFlag, runnerArgs, type RunnerKind } from './identify.js';
import type { ShardSpec } from './shard-spec.js';

/** How the selected files reach the runner: the testsift plugin/filter (exact paths) or arguments. */
export type Via = 'env' | 'args';

export interface RunInput {
  /** The runner command as the user gave it. */
  command: string[];
  runner: RunnerKind;
  /** Index in `command` of the word naming the runner. */
  at: number;
  via: Via;
  /** The testsift plugin (Vitest) or filter and sequencer (Jest) is configured. */
  integration: boolean;
  /** Absolute: where the runner starts. */
  cwd: string;
  /** Absolute: the repository root that test paths are relative to. */
  repoRoot: string;
  mode: 'selective' | 'full';
  /** Repo-relative: the selection, or every test file in full mode. */
  tests: readonly string[];
  changedFiles: number;
  shard?: ShardSpec;
  /** Absolute timing report paths for the split (not the estimate). */
  timings: string[];
  /** Absolute path of a shard plan, and how to name it. */
  plan?: { path: string; label: string };
  allowMissingTimings: boolean;
  platform?: NodeJS.Platform;
}

/** A file the runner reads, written to a private temp folder; `env` names its path for the runner. */
export interface RunFile {
  env: string;
  name: string;
  content: string;
}

export type RunPlan =
  | { action: 'skip'; messages: string[] }
  | {
      action: 'spawn';
      command: string[];
      cwd: string;
      /** Environment variables to set for the runner, and inherited ones to drop. */
      set: Record<string, string>;
      unset: string[];
      files: RunFile[];
      messages: string[];
    };

/** The environment variable through which the plugin and the Jest filter take a selection. */
export const SELECT_ENV = 'TESTSIFT_SELECT';

/**
 * Beyond this many characters of arguments a command may fail to start (E2BIG; Linux allows
 * ~2 MB with the environment, macOS 1 MB, Windows 32k). Past it the files do not go as
 * arguments: the full suite runs instead, and says why.
 */
export function argBudget(platform: NodeJS.Platform = process.platform): number {
  return platform === 'win32' ? 30_000 : 256 * 1024;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

const RUNNER_NAME: Record<RunnerKind, string> = { vitest: 'Vitest', jest: 'Jest', generic: 'the runner' };

/** A repo-relative test as an argument for a runner started in `cwd`; never mistaken for a flag. */
export function runnerPath(repoRoot: string, cwd: string, test: string): string {
  const rel = toPosix(relative(cwd, join(repoRoot, test))) || '.';
  return rel.startsWith('-') ? `./${rel}` : rel;
}

/**
 * What `testsift run` starts, decided before anything starts. Fail safe at every step:
 * - a selective decision with no test: nothing starts (exit 0, said so); so does a shard whose
 *   part is empty;
 * - a full decision: the runner command unchanged (sharded: the runner's own `--shard=i/n`, or
 *   for a generic runner its part of every test file);
 * - selected files that do not exist, or too many to pass as arguments: the full suite, with the
 *   reason, never a run of fewer files (with a shard plan, an error: the plan must hold);
 * - never two splits on top of each other (the command's own `--shard` and ours).
 */
export async function planRun(input: RunInput): Promise<RunPlan> {
  const messages: string[] = [];
  const args = runnerArgs(input.command, input.at);
  if (input.shard && input.runner !== 'generic' && hasFlag(args, '--shard')) {
    throw new UsageError(
      `run: the runner command has its own --shard, and testsift run shards too (${input.shard.source}): tests would be split twice and most would run in no job. ` +
        'Drop --shard from the runner command: testsift run gives each job its part.',
    );
  }
  if (input.mode === 'full') return planFull(input, messages);

  if (input.tests.length === 0) {
    return { action: 'skip', messages: [`testsift: selective, no test file needed for ${plural(input.changedFiles, 'changed file')}: nothing to run`] };
  }
  // Checked on the whole selection, before the split: every job of a pipeline then decides the
  // same way. Were it checked on each job's part, one job could fall back to the runner's own
  // split of the full suite while another ran its part of ours, and a test could run in neither.
  const missing = missingFiles(input, input.tests);
  if (missing) {
    if (input.plan) throw new InputError({ file: input.plan.label }, `${missing}: the shard plan cannot be run in this checkout`);
    messages.push(`warning: ${missing}; running the full suite instead`);
    return planFull(input, messages, 'selected test files are missing');
  }
  const long = input.via === 'args' ? tooLong(input, input.tests) : undefined;
  if (long) {
    if (input.plan)
      throw new UsageError(`run: ${long}; configure the testsift ${input.runner === 'jest' ? 'Jest filter' : 'Vitest plugin'} (--via env) to pass them in a file`);
    messages.push(
      `warning: ${long}; running the full suite instead${input.runner === 'generic' ? '' : ' (the testsift plugin or filter would take them in a file: --via env)'}`,
    );
    return planFull(input, messages, 'the command line would be too long');
  }
  let files = [...input.tests];
  if (input.shard) {
    files = await shardPart(input, files, messages);
    if (files.length === 0) {
      messages.push(
        `shard ${input.shard.index}/${input.shard.total} has no test files (${plural(input.tests.length, 'selected test file')} for ${input.shard.total} shards): nothing to run`,
      );
      return { action: 'skip', messages };
    }
  }
  return handOver(input, files, messages);
}

/** The arguments that pass `files` to the runner. */
function fileArgs(input: RunInput, files: readonly string[]): string[] {
  const paths = files.map((f) => runnerPath(input.repoRoot, input.cwd, f));
  return input.runner === 'jest' ? ['--runTestsByPath', ...paths] : paths;
}

/** Why `files` cannot go as arguments (too long a command line), or undefined. */
function tooLong(input: RunInput, files: readonly string[]): string | undefined {
  const length = [...input.command, ...fileArgs(input, files)].reduce((n, a) => n + a.length + 1, 0);
  const budget = argBudget(input.platform);
  return length > budget ? `${plural(files.length, 'test file')} make a command line of ${length} characters, more than can safely be passed (${budget})` : undefined;
}

/** One line naming the files (of those about to run) that do not exist, or undefined. */
function missingFiles(input: RunInput, files: readonly string[]): string | undefined {
  const missing = files.filter((f) => !existsSync(join(input.repoRoot, f)));
  if (missing.length === 0) return undefined;
  const shown = missing.slice(0, 5).join(', ') + (missing.length > 5 ? ', …' : '');
  return `${plural(missing.length, 'selected test file')} ${missing.length === 1 ? 'does' : 'do'} not exist (paths relative to ${input.repoRoot}): ${shown}`;
}

/** This job's part of `tests`: from the plan, or split here (the same call as `testsift shard`). */
async function shardPart(input: RunInput, tests: string[], messages: string[]): Promise<string[]> {
  const shard = input.shard!;
  const what = input.mode === 'full' ? 'the test files of the full suite' : 'the selection';
  if (input.plan) {
    const loaded = await readPlanFile(input.plan.path);
    checkPlanFits(loaded, { total: shard.total, totalSource: shard.source, tests, testsSource: what });
    const part = loaded.plan.shards[shard.index - 1]!;
    messages.push(
      shardRunLine({
        index: shard.index,
        total: shard.total,
        tests: part.tests.length,
        ofTests: testsIn(loaded.plan),
        seconds: part.seconds,
        digest: loaded.digest,
        source: `split from plan ${input.plan.label}`,
      }),
    );
    return part.tests;
  }
  const r = await shardTests({
    tests,
    timings: input.timings,
    total: shard.total,
    index: shard.index,
    root: input.repoRoot,
    allowMissingTimings: input.allowMissingTimings,
  });
  for (const w of r.warnings) messages.push(`warning: ${w}`);
  if (r.line) messages.push(r.line);
  return r.shard?.tests ?? [];
}

/** The selected files to the runner: through the integration (exact), or as arguments. */
function handOver(input: RunInput, files: string[], messages: string[]): RunPlan {
  const name = RUNNER_NAME[input.runner];
  if (input.via === 'env') {
    messages.push(`running ${plural(files.length, 'test file')} through ${SELECT_ENV} (${name} runs exactly these paths)`);
    return {
      action: 'spawn',
      command: [...input.command],
      cwd: input.cwd,
      set: {},
      unset: [],
      files: [{ env: SELECT_ENV, name: 'selection.json', content: `${JSON.stringify({ mode: 'selective', tests: files })}\n` }],
      messages,
    };
  }
  const command = [...input.command, ...fileArgs(input, files)];
  const how =
    input.runner === 'vitest'
      ? 'as arguments: Vitest matches them as parts of paths, so a test file whose path contains one of them runs too (more tests, never fewer; the testsift plugin matches exactly)'
      : input.runner === 'jest'
        ? 'as arguments with --runTestsByPath (exact paths)'
        : 'as arguments';
  messages.push(`running ${plural(files.length, 'test file')} ${how}`);
  return { action: 'spawn', command, cwd: input.cwd, set: {}, unset: [SELECT_ENV], files: [], messages };
}

/**
 * The full suite: the runner as given, no selection (an inherited TESTSIFT_SELECT is dropped, so
 * it cannot narrow the run). Sharded, Vitest and Jest split their own test files (`--shard=i/n`:
 * by time with the testsift plugin or sequencer and a timing report, by their own rule
 * otherwise); a generic runner gets its part of detect's test files, or, when that part cannot
 * be given (`fallback` says why), every test file in every job.
 */
async function planFull(input: RunInput, messages: string[], fallback?: string): Promise<RunPlan> {
  const spawn = (command: string[], set: Record<string, string> = {}, files: RunFile[] = []): RunPlan => ({
    action: 'spawn',
    command,
    cwd: input.cwd,
    set,
    unset: [SELECT_ENV],
    files,
    messages,
  });
  const shard = input.shard;
  if (!shard) {
    messages.push(`running the full suite: ${input.command.join(' ')} (unfiltered)`);
    return spawn([...input.command]);
  }
  const part = `--shard=${shard.index}/${shard.total}`;
  if (input.runner !== 'generic' && (input.integration || !input.plan)) {
    const name = RUNNER_NAME[input.runner];
    if (input.plan) {
      const loaded = await readPlanFile(input.plan.path);
      checkPlanFits(loaded, {
        total: shard.total,
        totalSource: shard.source,
        tests: fallback ? undefined : input.tests,
        testsSource: 'the test files of the full suite',
      });
      messages.push(`running the full suite, part ${shard.index}/${shard.total} of plan ${input.plan.label} (${part}; ${name} checks its test files against the plan)`);
      return spawn([...input.command, part], { TESTSIFT_SHARD_PLAN: input.plan.path });
    }
    const set: Record<string, string> = {};
    const files: RunFile[] = [];
    if (input.timings.length > 0) {
      // Read here first: a job whose timing report is missing fails before the runner starts.
      const warnings: string[] = [];
      const loaded = await loadTimingsFor(input.timings, {
        root: input.repoRoot,
        warnings,
        job: `${shard.index}/${shard.total}`,
        allowMissing: input.allowMissingTimings,
      });
      for (const w of warnings) messages.push(`warning: ${w}`);
      if (input.integration) {
        // The plugin takes one report: several are merged (a later one's time wins, as here).
        if (input.timings.length === 1 && loaded.unreadable.length === 0) set.TESTSIFT_TIMINGS = input.timings[0]!;
        else files.push({ env: 'TESTSIFT_TIMINGS', name: 'timings.json', content: formatTimingReport(loaded.report) });
        if (input.allowMissingTimings) set.TESTSIFT_ALLOW_MISSING_TIMINGS = '1';
      }
    }
    const how = !input.integration
      ? `${name}'s own split, not by time: no testsift ${input.runner === 'jest' ? 'sequencer' : 'plugin'} found in its config`
      : input.timings.length > 0
        ? 'split by recorded time by the testsift integration'
        : input.runner === 'jest'
          ? 'split by the testsift sequencer, by test count (no --timings)'
          : "Vitest's own split (no --timings)";
    messages.push(`running the full suite, ${name} takes part ${shard.index}/${shard.total} of its test files (${part}: ${how})`);
    return spawn([...input.command, part], set, files);
  }
  // A generic runner (or a plan without the integration): this job's part as arguments.
  const everything = (why: string): RunPlan => {
    messages.push(`warning: ${why}: every shard runs the whole suite (${input.command.join(' ')}, unfiltered)`);
    return spawn([...input.command]);
  };
  if (fallback) return everything(fallback);
  if (input.tests.length === 0) return everything('detect lists no test file for the full suite (check tests: in tests.yml)');
  const files = await shardPart(input, [...input.tests], messages);
  if (files.length === 0) {
    messages.push(`shard ${shard.index}/${shard.total} has no test files (${plural(input.tests.length, 'test file')} for ${shard.total} shards): nothing to run`);
    return { action: 'skip', messages };
  }
  const missing = missingFiles(input, files);
  if (missing) {
    if (input.plan) throw new InputError({ file: input.plan.label }, `${missing}: the shard plan cannot be run in this checkout`);
    return everything(missing);
  }
  const long = tooLong(input, files);
  if (long) {
    if (input.plan) throw new UsageError(`run: this shard's ${long}`);
    return everything(`this shard's ${long}`);
  }
  messages.push(`running the full suite, part ${shard.index}/${shard.total}: ${plural(files.length, 'test file')} as arguments`);
  return spawn([...input.command, ...fileArgs(input, files)]);
}
