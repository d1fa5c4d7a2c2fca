import type { BaseSequencer, TestSequencerConstructor, TestSpecification, Vitest } from 'vitest/node';
import { shardTests } from '../../sharding/index.js';
import { missingSelectedMessage, noneFoundWarning, type RunSelection } from '../shared/selection.js';
import { specFile } from './adapter.js';

/** What the sequencer needs from the plugin. */
export interface SequencerPlan {
  selection?: RunSelection;
  /** Timing report path for time-balanced `--shard`. */
  timings?: string;
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
 * report, gives this job its part of the same time-balanced plan `testsift shard` computes.
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
      const missing = missingSelectedMessage(plan.selection!.tests, found, 'this Vitest run', 'another project or config, or not matched by include or the CLI filters', plan.root);
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
      if (!plan.timings || !shard) return allowEmpty(ctx, await super.shard(selected));
      const keys = [...new Set(selected.map((f) => plan.key(specFile(f))))].sort();
      if (keys.length === 0) return allowEmpty(ctx, []);
      // The same call as `testsift shard`: a missing or corrupt report degrades to estimates
      // with a warning, identically in every job, so the jobs still partition the files.
      const { plan: allocation, shard: mine, warnings } = await shardTests({
        tests: keys,
        timings: plan.timings,
        total: shard.count,
        index: shard.index,
        root: plan.root,
      });
      for (const w of warnings) plan.log(w);
      const set = new Set(mine?.tests ?? []);
      plan.log(
        `shard ${shard.index}/${shard.count} by recorded time: ${set.size} of ${keys.length} files, ` +
          `predicted ${(mine?.seconds ?? 0).toFixed(2)}s (makespan ${allocation.makespan.toFixed(2)}s)`,
      );
      return allowEmpty(ctx, selected.filter((f) => set.has(plan.key(specFile(f)))));
    }

    override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
      return super.sort(allowEmpty((this as unknown as { ctx: Vitest }).ctx, select(files)));
    }
  } as unknown as TestSequencerConstructor;
}
