import { UsageError } from '../errors.js';
import { MAX_SHARDS } from '../sharding/allocate.js';

/** This job's part: shard `index` of `total` (1-based), and where that came from. */
export interface ShardSpec {
  index: number;
  total: number;
  source: string;
}

function positive(raw: string, source: string): number {
  const n = /^\s*\d+\s*$/.test(raw) ? Number(raw.trim()) : Number.NaN;
  if (!(n >= 1)) throw new UsageError(`run: ${source} must be an integer ≥ 1, got '${raw}'`);
  if (n > MAX_SHARDS) throw new UsageError(`run: ${source} must be at most ${MAX_SHARDS}, got ${raw}`);
  return n;
}

/**
 * `--shard i/n`, else CI_NODE_INDEX / CI_NODE_TOTAL (GitLab's `parallel:`), else no sharding.
 * Half a pair of variables is an error, not "no sharding": a job that ran everything, or the
 * first shard only, would be wrong either way.
 */
export function shardSpec(flag: string | undefined, env: Record<string, string | undefined>): ShardSpec | undefined {
  if (flag !== undefined) {
    const m = /^(.+)\/(.+)$/.exec(flag.trim());
    if (!m) throw new UsageError(`run: --shard expects i/n (e.g. 2/4), got '${flag}'`);
    const index = positive(m[1]!, '--shard index');
    const total = positive(m[2]!, '--shard total');
    if (index > total) throw new UsageError(`run: --shard ${flag}: the index is greater than the total; shard indexes are 1-based`);
    return { index, total, source: `--shard ${index}/${total}` };
  }
  const rawIndex = env.CI_NODE_INDEX?.trim() ? env.CI_NODE_INDEX : undefined;
  const rawTotal = env.CI_NODE_TOTAL?.trim() ? env.CI_NODE_TOTAL : undefined;
  if (rawIndex === undefined && rawTotal === undefined) return undefined;
  if (rawIndex === undefined || rawTotal === undefined) {
    throw new UsageError(
      `run: $${rawIndex === undefined ? 'CI_NODE_TOTAL' : 'CI_NODE_INDEX'} is set but $${rawIndex === undefined ? 'CI_NODE_INDEX' : 'CI_NODE_TOTAL'} is not: set both, or pass --shard i/n`,
    );
  }
  const index = positive(rawIndex, '$CI_NODE_INDEX');
  const total = positive(rawTotal, '$CI_NODE_TOTAL');
  if (index > total) throw new UsageError(`run: $CI_NODE_INDEX (${index}) is greater than $CI_NODE_TOTAL (${total}); shard indexes are 1-based`);
  return { index, total, source: `$CI_NODE_INDEX/$CI_NODE_TOTAL = ${index}/${total}` };
}
