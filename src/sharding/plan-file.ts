import { promises as fsp } from 'node:fs';
import { InputError } from '../errors.js';
import { writeFileAtomic } from '../util/fs.js';
import { allocatePrepared, MAX_SHARDS, prepareTests } from './allocate.js';
import { digestOf, sortedSeconds, SPLIT_ALGORITHM, type ShardDigest } from './digest.js';
import { isSeconds } from './durations.js';
import { jsonErrorLine } from './formats/json-error.js';
import type { AllocateOptions, ShardPlan, TimingReport } from './types.js';

/**
 * A shard plan: the split computed once (by `detect-tests --shards N` or `testsift shard
 * --write-plan`) and handed to every job as an artifact, so no job recomputes it from inputs it
 * may see differently (a timing report one job has and another lost). It holds the whole
 * assignment, the seconds used per test, and the digest of those inputs.
 */
export interface ShardPlanFile {
  format: typeof PLAN_FORMAT;
  version: 1;
  /** sha256 of the inputs (see digest.ts): jobs print its first 12 digits. */
  digest: string;
  testsDigest: string;
  timingsDigest: string;
  algorithm: string;
  total: number;
  /** How many tests the plan places (each in exactly one shard). */
  tests: number;
  /** The timing reports given, and those of them that could not be read. */
  timings: { files: string[]; unreadable: string[] };
  makespan: number;
  lowerBound: number;
  jobOverhead: number;
  shards: Array<{ index: number; seconds: number; tests: string[] }>;
  /** Seconds used per test (recorded or estimated), the timing half of the digest. */
  seconds: Record<string, number>;
  /** Tests whose seconds are estimates. */
  estimated: string[];
}

export const PLAN_FORMAT = 'testsift-shard-plan';

/** A split together with the digest of its inputs. */
export interface ComputedSplit {
  plan: ShardPlan;
  digest: ShardDigest;
  /** Seconds used per test, sorted by path. */
  paths: string[];
  seconds: Float64Array;
}

/** The split of `tests` by `report` into `total` shards, with its digest. */
export function computeSplit(tests: readonly string[], report: TimingReport, total: number, opts: AllocateOptions = {}): ComputedSplit {
  const prepared = prepareTests(tests, report);
  const plan = allocatePrepared(prepared, total, opts);
  const { paths, seconds } = sortedSeconds(prepared);
  return { plan, digest: digestOf(paths, seconds, total), paths, seconds };
}

export function planFileOf(split: ComputedSplit, timings: { files: string[]; unreadable: string[] }, jobOverhead = 0): ShardPlanFile {
  // No prototype: a test named `__proto__` must be a key like any other.
  const seconds: Record<string, number> = Object.create(null) as Record<string, number>;
  split.paths.forEach((p, i) => (seconds[p] = split.seconds[i]!));
  return {
    format: PLAN_FORMAT,
    version: 1,
    digest: split.digest.inputs,
    testsDigest: split.digest.tests,
    timingsDigest: split.digest.timings,
    algorithm: SPLIT_ALGORITHM,
    total: split.plan.shards.length,
    tests: split.paths.length,
    timings,
    makespan: split.plan.makespan,
    lowerBound: split.plan.lowerBound,
    jobOverhead,
    shards: split.plan.shards.map((s) => ({ index: s.index, seconds: s.seconds, tests: s.tests })),
    seconds,
    estimated: Object.keys(split.plan.estimated),
  };
}

/** Written atomically: a job never reads half a plan. */
export async function writePlanFile(path: string, plan: ShardPlanFile): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(plan, null, 1)}\n`);
}

/** A plan read back and checked, with the ShardPlan the output formats print. */
export interface LoadedPlan {
  file: string;
  total: number;
  digest: ShardDigest;
  plan: ShardPlan;
  /** Every test's 1-based shard. */
  shardOf: Map<string, number>;
}

/**
 * Read a plan and check everything a job relies on; any doubt is an InputError (exit 2) naming
 * the file, never a guessed part: the job that cannot read the plan must fail, not run some
 * tests. Checked: the format, N, every test in exactly one shard, and the digest recomputed from
 * the tests and seconds in the file (a plan edited or cut short after it was written).
 */
export async function readPlanFile(file: string): Promise<LoadedPlan> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(
      { file },
      code === 'ENOENT'
        ? 'shard plan not found: every job must get the plan written for this pipeline (pass it on as an artifact); a job never guesses its part'
        : `cannot read the shard plan: ${code ?? String(err)}`,
      { cause: err },
    );
  }
  return parsePlanFile(file, text);
}

export function parsePlanFile(file: string, text: string): LoadedPlan {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InputError({ file, line: jsonErrorLine(text) }, `invalid JSON in the shard plan: ${(err as Error).message}`, { cause: err });
  }
  const bad = (key: string, problem: string): never => {
    throw new InputError({ file, key }, `${problem} (not a shard plan written by this version of testsift, or changed since)`);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return bad('', 'expected a JSON object');
  const o = json as Partial<Record<keyof ShardPlanFile, unknown>>;
  if (o.format !== PLAN_FORMAT) bad('format', `expected "${PLAN_FORMAT}"`);
  if (o.version !== 1) bad('version', 'expected version 1');
  const total = o.total;
  if (typeof total !== 'number' || !Number.isInteger(total) || total < 1 || total > MAX_SHARDS) return bad('total', `expected an integer in 1..${MAX_SHARDS}`);
  if (!Array.isArray(o.shards) || o.shards.length !== total) return bad('shards', `expected a list of ${total} shards`);
  const secondsObj = o.seconds;
  if (typeof secondsObj !== 'object' || secondsObj === null || Array.isArray(secondsObj)) return bad('seconds', 'expected an object of seconds per test');
  const seconds = secondsObj as Record<string, unknown>;
  const shardOf = new Map<string, number>();
  const shards: ShardPlan['shards'] = [];
  (o.shards as unknown[]).forEach((raw, i) => {
    const key = `shards[${i}]`;
    const s = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    if (s.index !== i + 1) bad(`${key}.index`, `expected ${i + 1}`);
    if (typeof s.seconds !== 'number' || !Number.isFinite(s.seconds) || s.seconds < 0) bad(`${key}.seconds`, 'expected a finite number ≥ 0');
    if (!Array.isArray(s.tests)) return bad(`${key}.tests`, 'expected a list of test paths');
    for (const t of s.tests as unknown[]) {
      if (typeof t !== 'string') bad(`${key}.tests`, 'expected test paths as strings');
      const path = t as string;
      const before = shardOf.get(path);
      if (before !== undefined) bad(`${key}.tests`, `${JSON.stringify(path)} is in shard ${before} and shard ${i + 1}: a plan places every test once`);
      if (!Object.prototype.hasOwnProperty.call(seconds, path) || !isSeconds(seconds[path])) bad(`seconds`, `no usable seconds for ${JSON.stringify(path)}`);
      shardOf.set(path, i + 1);
    }
    shards.push({ index: i + 1, tests: [...(s.tests as string[])], seconds: s.seconds as number });
  });
  const paths = Object.keys(seconds).sort();
  if (paths.length !== shardOf.size) {
    const lost = paths.find((p) => !shardOf.has(p));
    bad('shards', `${JSON.stringify(lost)} has seconds but is in no shard`);
  }
  const digest = digestOf(
    paths,
    paths.map((p) => seconds[p] as number),
    total,
  );
  if (digest.inputs !== o.digest || digest.tests !== o.testsDigest || digest.timings !== o.timingsDigest) {
    bad('digest', 'does not match the tests and seconds in the file: the plan was changed or cut after it was written');
  }
  const estimatedList = Array.isArray(o.estimated) ? (o.estimated as unknown[]).filter((x): x is string => typeof x === 'string' && shardOf.has(x)) : [];
  const estimated: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const p of estimatedList.sort()) estimated[p] = seconds[p] as number;
  const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fallback);
  const makespan = num(o.makespan, Math.max(...shards.map((s) => s.seconds)));
  return { file, total, digest, shardOf, plan: { shards, makespan, lowerBound: num(o.lowerBound, makespan), estimated } };
}

/**
 * A job's view against the plan: the same N, and (when the job knows its tests) the same tests.
 * Either mismatch means the plan is from another pipeline, commit or selection: an InputError
 * naming what differs, never a partial run.
 */
export function checkPlanFits(loaded: LoadedPlan, job: { total?: number; totalSource?: string; tests?: readonly string[]; testsSource?: string }): void {
  if (job.total !== undefined && job.total !== loaded.total) {
    throw new InputError(
      { file: loaded.file },
      `the plan splits the tests into ${loaded.total} shards, but ${job.totalSource ?? 'this job'} says ${job.total}: ` +
        'every job must use the plan written for this number of jobs',
    );
  }
  if (job.tests === undefined) return;
  const mine = new Set(job.tests);
  const extra = [...mine].filter((t) => !loaded.shardOf.has(t)).sort();
  const absent = [...loaded.shardOf.keys()].filter((t) => !mine.has(t)).sort();
  if (extra.length === 0 && absent.length === 0) return;
  const few = (list: string[]): string => `${list.slice(0, 5).join(', ')}${list.length > 5 ? `, … (${list.length} in all)` : ''}`;
  const parts = [];
  if (extra.length > 0) parts.push(`${extra.length} test(s) ${job.testsSource ?? 'this job'} has are not in the plan (they would run in no job): ${few(extra)}`);
  if (absent.length > 0) parts.push(`${absent.length} test(s) of the plan are not among ${job.testsSource ?? "this job's tests"}: ${few(absent)}`);
  throw new InputError(
    { file: loaded.file },
    `the plan's tests differ from the tests of this job: ${parts.join('; ')}. The plan must come from the same commit and selection as the job`,
  );
}
