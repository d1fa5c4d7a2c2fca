import { resolve } from 'node:path';
import type { DetectResult } from '../detect.js';
import { computeSplit, estimateWarnings, loadTimingsFor, planFileOf, testsIn, writePlanFile } from '../sharding/index.js';
import type { CliIO } from './command.js';

/** Where `detect --shards N` writes the plan unless --write-plan says otherwise. */
export const DEFAULT_PLAN_PATH = '.testsift/shard-plan.json';

/**
 * `detect --shards N`: split the tests detect chose (the whole universe in full mode: the same
 * list as `--format list` / tests.txt) into N shards once, and write the plan the jobs take
 * their part from (TESTSIFT_SHARD_PLAN, `testsift shard --from-plan`). Computed in the one job
 * that runs detect, so every test job sees the same split whatever timing files it has.
 * A timing report that cannot be read is a warning here, not an error: the plan is then split
 * by test count, less balanced but still shared by every job.
 */
export async function writeDetectPlan(result: DetectResult, o: { cwd: string; shards: number; timings: string[]; output?: string; io: CliIO }): Promise<void> {
  const warnings: string[] = [];
  const loaded = await loadTimingsFor(
    o.timings.map((t) => resolve(o.cwd, t)),
    { root: o.cwd, warnings },
  );
  const split = computeSplit(result.tests, loaded.report, o.shards);
  warnings.push(...estimateWarnings(split.plan, loaded.report));
  for (const w of warnings) o.io.stderr(`testsift: warning: ${w}\n`);
  const path = o.output ?? DEFAULT_PLAN_PATH;
  await writePlanFile(resolve(o.cwd, path), planFileOf(split, { files: loaded.files, unreadable: loaded.unreadable }));
  o.io.stderr(
    `testsift: wrote shard plan ${path}: ${testsIn(split.plan)} tests in ${o.shards} shards ` +
      `(makespan ${split.plan.makespan.toFixed(1)}s); inputs digest ${split.digest.inputs.slice(0, 12)}\n`,
  );
}
