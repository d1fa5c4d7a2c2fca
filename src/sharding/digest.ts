import { createHash } from 'node:crypto';
import { DEFAULT_BUDGET_MS, type PreparedTests } from './allocate.js';

/**
 * The split's inputs as one fingerprint, so the jobs of one pipeline can be compared in their
 * logs: jobs that print the same inputs digest computed the same split (same sorted tests, same
 * seconds per test, same N, same algorithm); jobs that print different ones did not, and their
 * shards need not partition the tests. The seconds are those the allocator used — recorded or
 * estimated — which is exactly what decides the split: two different reports that give these
 * tests the same times give the same digest and the same shards.
 */
export interface ShardDigest {
  /** sha256 (hex) over the algorithm, N, and the two digests below. */
  inputs: string;
  /** sha256 (hex) over the sorted, de-duplicated test paths. */
  tests: string;
  /** sha256 (hex) over the seconds used for each test, in the same order. */
  timings: string;
}

/** Names the allocator and its fixed work budget: a change to either changes every digest. */
export const SPLIT_ALGORITHM = `testsift-lpt-moves-swaps/1 budget=${DEFAULT_BUDGET_MS}ms`;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Digest of sorted paths and their seconds (`seconds[i]` belongs to `sortedPaths[i]`). */
export function digestOf(sortedPaths: readonly string[], seconds: ArrayLike<number>, total: number): ShardDigest {
  // JSON arrays: unambiguous for any path (a newline in a name cannot fake a boundary), and a
  // double's JSON form is its shortest round-trip spelling, the same on every machine.
  const tests = sha256(JSON.stringify(sortedPaths));
  const timings = sha256(JSON.stringify(Array.from(seconds)));
  const inputs = sha256(JSON.stringify([SPLIT_ALGORITHM, total, tests, timings]));
  return { inputs, tests, timings };
}

/** Paths in code-unit order with their seconds, from the allocator's canonical order. */
export function sortedSeconds(prepared: Pick<PreparedTests, 'paths' | 'seconds'>): { paths: string[]; seconds: Float64Array } {
  const idx = Array.from(prepared.paths, (_, i) => i).sort((a, b) => (prepared.paths[a]! < prepared.paths[b]! ? -1 : prepared.paths[a]! > prepared.paths[b]! ? 1 : 0));
  return { paths: idx.map((i) => prepared.paths[i]!), seconds: Float64Array.from(idx, (i) => prepared.seconds[i]!) };
}

/** As printed in logs: 12 hex digits of the inputs, 8 of each part; enough to tell jobs apart by eye. */
export function shortDigest(d: ShardDigest): string {
  return `${d.inputs.slice(0, 12)} (tests ${d.tests.slice(0, 8)}, timings ${d.timings.slice(0, 8)})`;
}

/**
 * The one line every sharded run prints (CLI and runner integrations), so the jobs of a pipeline
 * can be compared: the same `inputs` in every job means the same split.
 */
export function shardRunLine(o: { index: number; total: number; tests: number; ofTests: number; seconds: number; digest: ShardDigest; source: string }): string {
  return `shard ${o.index}/${o.total}: ${o.tests} of ${o.ofTests} tests, predicted ${o.seconds.toFixed(1)}s; ` + `inputs ${shortDigest(o.digest)}; ${o.source}`;
}
