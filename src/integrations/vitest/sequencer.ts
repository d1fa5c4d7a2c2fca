import type { BaseSequencer, TestSequencerConstructor, TestSpecification, Vitest } from 'vitest/node';
import { shardTests } from '../../sharding/index.js';
import { missingSelectedMessage, noneFoundWarning, type RunSelection } from '../shared/selection.js';
import { specFile } from './adapter.js';

/** What the sequencer needs from the plugin. */
export interface SequencerPlan {
  selection?: RunSelection;
  /** Timing report path for time-balanced `--shard`. */
  timings?: string;
  /** Shard plan file: under `--shard` the split is taken from it (TESTSIFT_SHARD_PLAN). */
  shardPlan?: string;
  /** A missing timing report under `--shard` is an error unless this is set (TESTSIFT_ALLOW_MISSING_TIMINGS=1). */
  allowMissingTimings?: boolean;
  /** Repository root (for reports with absolute paths). */
  root: string;
  /** Repo-relative key of a test file (absolute path in). */
  key(absPath: string): string;
  log(message: string): void;
  /** A loud message (stderr); `log` when absent. */
  warn?(message: string): void;
}

/**
 * A sequencer that runs exactly the selected files and, under `--shard=i/n` with a timing
 * report or a shard plan, gives this job its part of the same time-balanced split `testsift
 * shard` computes (or the plan holds), and logs the digest of its inputs.
 * It extends whatever sequencer the project configured, so a user's own ordering survives.
 *
 * Selection is applied in both `shard()` and `sort()`: Vitest calls `shard()` first (only with
 * --shard) and then `sort()`, and the pool runs exactly what `sort()` returns.
 */
export function createSequencer(Base: TestSequencerConstructor, plan: SequencerPlan): TestSequencerConstructor {
  const wanted = plan.selection?.mode === 'selective' ? new Set(plan.selection.tests) : undefined;
  let announced = false;
  /** None of a non-empty selection is among the run's files: a path mismatch, everything runs. */
  let mismatch = false;

  const select = (files: TestSpecification[]): TestSpecification[] => {
    if (!wanted || mismatch) return files;
    const found = new Set<string>();
    const kept = files.filter((f) => {
      const key = plan.key(specFile(f));
      if (!wanted.has(key)) return false;
      found.add(key);
      return true;
    });
    // The first call sees every file of the run (shard() or, without --shard, sort()); later
    // calls see one shard, where the other shards' files are missing by design.
    if (!announced) {
      announced = true;
      if (kept.length === 0 && wanted.size > 0 && files.length > 0) {
        mismatch = true;
        (plan.warn ?? plan.log)(noneFoundWarning(plan.selection!, 'this Vitest run', plan.root, files.length));
        return files;
      }
      plan.log(`selection from ${plan.selection!.origin}: running ${kept.length} of ${files.length} test files`);
      const missing = missingSelectedMessage(
        plan.selection!.tests,
        found,
        'this Vitest run',
        'another project or config, or not matched by include or the CLI filters',
        plan.root,
      );
      if (missing) plan.log(missing);
    }
    return kept;
  };

  /**
   * An empty shard of a valid selection is a correct outcome (fewer selected files than shards),
   * so that job passes. The plugin sets passWithNoTests only for a selection that says "no test".
   */
  const allowEmpty = (ctx: Vitest, out: TestSpecification[]): TestSpecification[] => {
    if (out.length === 0 && wanted && !mismatch) (ctx.config as { passWithNoTests: boolean }).passWithNoTests = true;
    return out;
  };

  return class TestsiftSequencer extends (Base as unknown as typeof BaseSequencer) {
    constructor(ctx: Vitest) {
      super(ctx);
      (this as unknown as { ctx: Vitest }).ctx = ctx;
    }

    override async shard(files: TestSpecification[]): Promise<TestSpecification[]> {
      const selected = select(files);
      const ctx = (this as unknown as { ctx: Vitest }).ctx;
      const shard = ctx.config.shard;
      if ((!plan.timings && !plan.shardPlan) || !shard) return allowEmpty(ctx, await super.shard(selected));
      const keys = [...new Set(selected.map((f) => plan.key(specFile(f))))].sort();
      // With a plan, even an empty run is checked against it: the plan may expect tests here.
      if (keys.length === 0 && !plan.shardPlan) return allowEmpty(ctx, []);
      // The same call as `testsift shard`. With a plan, this job's part of it (after checking
      // the plan's N and tests against this run); without, computed here, and a missing or
      // corrupt report fails the run unless allowed: jobs that have it would split otherwise.
      const {
        shard: mine,
        warnings,
        line,
      } = await shardTests({
        tests: keys,
        timings: plan.timings,
        total: shard.count,
        index: shard.index,
        root: plan.root,
        ...(plan.shardPlan ? { plan: plan.shardPlan } : {}),
        allowMissingTimings: plan.allowMissingTimings ?? false,
      });
      for (const w of warnings) plan.log(w);
      if (line) plan.log(line);
      const set = new Set(mine?.tests ?? []);
      return allowEmpty(
        ctx,
        selected.filter((f) => set.has(plan.key(specFile(f)))),
      );
    }

    override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
      return super.sort(allowEmpty((this as unknown as { ctx: Vitest }).ctx, select(files)));
    }
  } as unknown as TestSequencerConstructor;
}
