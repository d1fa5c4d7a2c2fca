import { shardTests } from '../../sharding/index.js';
import { loadBaseSequencer, type JestTest, type ShardOptions } from './base-sequencer.js';
import { timingPaths } from './env.js';
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
 * Fail loudly: if our allocation fails, the run fails. Falling back to Jest's own hash split
 * would not be safe: the other jobs of the same run may well have split by time, and the two
 * splits disagree, so some files would run twice and others in no job at all. (A missing or
 * corrupt report is no failure: it degrades to estimates, the same in every job.)
 */
export default class TestsiftSequencer extends Base {
  override async shard(tests: JestTest[], options: ShardOptions): Promise<JestTest[]> {
    if (tests.length === 0) return tests;
    const first = tests[0]!;
    const root = resolveRoot(first.context.config.rootDir);
    // Files outside the root still need a stable key; they cannot be in a report anyway.
    const keyOf = (t: JestTest): string => repoRelative(root, t.path) ?? relativeTo(root, t.path);
    const keys = [...new Set(tests.map(keyOf))];
    let result;
    try {
      result = await shardTests({
        tests: keys,
        timings: timingPaths(process.env, process.cwd()),
        total: options.shardCount,
        index: options.shardIndex,
        root,
      });
    } catch (err) {
      throw new Error(
        `testsift/jest/sequencer: time-balanced sharding failed for --shard=${options.shardIndex}/${options.shardCount}: ${(err as Error).message}. ` +
          "Not falling back to Jest's own split: other jobs may have split by time, and files would run twice or never. " +
          `Fix the cause, or run without the testsift sequencer in every job.`,
        { cause: err },
      );
    }
    const { shard, warnings } = result;
    for (const w of warnings) process.stderr.write(`testsift: ${w}\n`);
    const mine = new Set(shard?.tests ?? []);
    if (mine.size === 0) {
      process.stderr.write(
        `testsift: shard ${options.shardIndex}/${options.shardCount} has no test files (${keys.length} files for ${options.shardCount} shards); Jest exits 1 on an empty run unless given --passWithNoTests\n`,
      );
    }
    return tests.filter((t) => mine.has(keyOf(t)));
  }
}
