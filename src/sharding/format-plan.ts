import { UsageError } from '../errors.js';
import { firstLineBreakPath, nulList } from '../util/list-text.js';
import type { ShardCountAdvice } from './plan.js';
import { imbalanceOf, testsIn } from './plan.js';
import type { Shard, ShardPlan } from './types.js';

/** Seconds as printed: milliseconds are the most a timing report can honestly claim. */
export function roundSeconds(s: number): number {
  return Math.round(s * 1000) / 1000;
}

/** docs/formats.md `shard --format json`: exactly `{shards: [{index, tests, seconds}], makespan, lowerBound}`. */
export function planJson(plan: ShardPlan, only?: Shard): string {
  const shards = (only ? [only] : plan.shards).map((s) => ({ index: s.index, tests: s.tests, seconds: roundSeconds(s.seconds) }));
  return `${JSON.stringify({ shards, makespan: roundSeconds(plan.makespan), lowerBound: roundSeconds(plan.lowerBound) }, null, 2)}\n`;
}

/**
 * List format. One shard: its paths, one a line (what `xargs` or a runner wants), or
 * NUL-terminated with `nul` (`-z`). All shards: each under a `# shard i/N (12.3s)` header;
 * `--tests` skips `# ` lines, so this reads back. A path with a line break cannot be written
 * one a line: UsageError (exit 2) pointing at `-z` or `--format json`.
 */
export function planList(plan: ShardPlan, only?: Shard, opts: { nul?: boolean } = {}): string {
  if (only && opts.nul) return nulList(only.tests);
  if (opts.nul) throw new UsageError('shard: -z prints the paths of one shard: give --index (or $CI_NODE_INDEX), or use --format json for every shard');
  const broken = firstLineBreakPath(only ? only.tests : plan.shards.flatMap((s) => s.tests));
  if (broken !== undefined) {
    throw new UsageError(
      `shard: the test path ${JSON.stringify(broken)} contains a line break, so a list of one path a line would split it; ` +
        'use -z with --index (NUL-terminated paths, as git -z writes them) or --format json',
    );
  }
  if (only) return only.tests.map((t) => `${t}\n`).join('');
  const n = plan.shards.length;
  return plan.shards.map((s) => [`# shard ${s.index}/${n} (${s.seconds.toFixed(1)}s)`, ...s.tests].join('\n') + '\n').join('');
}

/** `shard --plan`: the split for N (if given) and the N = 1…64 table with the recommendation. */
export function planTable(advice: ShardCountAdvice, opts: { plan?: ShardPlan; jobOverhead: number }): string {
  const out: string[] = [];
  const { plan } = opts;
  if (plan) {
    const n = plan.shards.length;
    out.push(`Split of ${testsIn(plan)} tests into ${n} shards (job overhead ${opts.jobOverhead}s):`, '');
    out.push('  shard   tests     seconds');
    for (const s of plan.shards) out.push(`  ${String(s.index).padStart(5)}  ${String(s.tests.length).padStart(6)}  ${s.seconds.toFixed(1).padStart(10)}`);
    out.push('');
    out.push(`  makespan ${plan.makespan.toFixed(1)}s   lower bound ${plan.lowerBound.toFixed(1)}s   imbalance ${(imbalanceOf(plan) * 100).toFixed(2)}%`);
    out.push('');
  }
  out.push(`How many shards (job overhead ${opts.jobOverhead}s; * = recommended: the fewest jobs within 1% of the fastest wall-clock):`, '');
  out.push('      N  wall-clock (s)  machine time (s)  imbalance');
  for (const r of advice.rows) {
    const mark = r.shards === advice.best ? '*' : ' ';
    out.push(
      `  ${mark}${String(r.shards).padStart(4)}  ${r.wallClock.toFixed(1).padStart(13)}  ${r.machineTime.toFixed(1).padStart(16)}  ${(r.imbalance * 100).toFixed(2).padStart(8)}%`,
    );
  }
  return `${out.join('\n')}\n`;
}

/** `shard --plan --format json`. */
export function adviceJson(advice: ShardCountAdvice, opts: { plan?: ShardPlan; jobOverhead: number }): string {
  const r = roundSeconds;
  const body = {
    jobOverhead: opts.jobOverhead,
    plan: opts.plan && {
      shards: opts.plan.shards.map((s) => ({ index: s.index, tests: s.tests.length, seconds: r(s.seconds) })),
      makespan: r(opts.plan.makespan),
      lowerBound: r(opts.plan.lowerBound),
      imbalance: imbalanceOf(opts.plan),
    },
    counts: advice.rows.map((x) => ({ shards: x.shards, wallClock: r(x.wallClock), machineTime: r(x.machineTime), lowerBound: r(x.lowerBound), imbalance: x.imbalance })),
    best: advice.best,
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}
