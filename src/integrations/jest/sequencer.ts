import { shardTests } from '../../sharding/index.js';
import { loadBaseSequencer, type JestTest, type ShardOptions } from './base-sequencer.js';
import { isAbsolute, resolve } from 'node:path';
import { ENV, envFlag, envValue, timingPaths } from './env.js';
import { repoRelative, resolveRoot } from './root.js';
import { relativeTo } from '../../util/paths.js';

const Base = loadBaseSequencer();

/**
 * `testsift/jest/sequencer`: Jest's default sequencer with a time-balanced `shard()`. With
 * `--shard=i/n`, it splits the test files with the same allocator as `testsift shard`, by the
 * times in TESTSIFT_TIMINGS (a knapsack JSON, `jest --json` output, … ; several joined with the
 * path delimiter, later ones winning). Jest passes sequencers no options, hence the env var.
 * Without a report every file gets an estimate and the split is by count. `sort()` is Jest's.
 *
 * With TESTSIFT_SHARD_PLAN (a plan from `detect-tests --shards N` / `testsift shard --write-plan`)
 * the part comes from the plan, after checking its N and its tests against this run. Every job
 * logs one line with the digest of its inputs, so the jobs of a pipeline can be compared.
 *
 * Fail loudly: if our allocation fails, the run fails. Falling back to Jest's own hash split
 * would not be safe: the other jobs of the same run may well have split by time, and the two
 * splits disagree, so some files would run twice and others in no job at all. For the same
 * reason a TESTSIFT_TIMINGS report that cannot be read fails the run (other jobs may have read
 * it) unless TESTSIFT_ALLOW_MISSING_TIMINGS=1, which splits by test count instead.
 */
export default class TestsiftSequencer extends Base {
  override async shard(tests: JestTest[], options: ShardOptions): Promise<JestTest[]> {
    if (tests.length === 0) return tests;
    const first = tests[0]!;
    const root = resolveRoot(first.context.config.rootDir);
    // Files outside the root still need a stable key; they cannot be in a report anyway.
    const keyOf = (t: JestTest): string => repoRelative(root, t.path) ?? relativeTo(root, t.path);
    const keys = [...new Set(tests.map(keyOf))];
    const plan = envValue(process.env, ENV.shardPlan);
    let result;
    try {
      result = await shardTests({
        tests: keys,
        timings: timingPaths(process.env, process.cwd()),
        total: options.shardCount,
        index: options.shardIndex,
        root,
        ...(plan ? { plan: isAbsolute(plan) ? plan : resolve(process.cwd(), plan) } : {}),
        allowMissingTimings: envFlag(process.env, ENV.allowMissingTimings),
      });
    } catch (err) {
      throw new Error(
        `testsift/jest/sequencer: time-balanced sharding failed for --shard=${options.shardIndex}/${options.shardCount}: ${(err as Error).message}. ` +
          "Not falling back to Jest's own split: other jobs may have split by time, and files would run twice or never. " +
          `Fix the cause, or run without the testsift sequencer in every job.`,
        { cause: err },
      );
    }
    const { shard, warnings, line } = result;
    for (const w of warnings) process.stderr.write(`testsift: ${w}\n`);
    if (line) process.stderr.write(`testsift: ${line}\n`);
    const mine = new Set(shard?.tests ?? []);
    if (mine.size === 0) {
      process.stderr.write(
        `testsift: shard ${options.shardIndex}/${options.shardCount} has no test files (${keys.length} files for ${options.shardCount} shards); Jest exits 1 on an empty run unless given --passWithNoTests\n`,
      );
    }
    return tests.filter((t) => mine.has(keyOf(t)));
  }
}
