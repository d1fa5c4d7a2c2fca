import { createHash } from 'node:crypto';

/**
 * The runners' own `--shard=i/n`, as a baseline: Jest and Vitest hash each test path with sha1,
 * sort by the hash and cut the list into equal *counts*, spreading the remainder over the first
 * shards (Vitest 4 `calculateShardRange`, Jest `_shardPosition`). Vitest hashes the path with a
 * leading `/` (`resolve(root, id).slice(root.length)`), Jest the plain relative path.
 * Returns 1-based shards' tests; time plays no part, which is the point of comparing.
 */
export function hashCountShards(tests: readonly string[], total: number, flavor: 'vitest' | 'jest' = 'vitest'): string[][] {
  const hashed = tests.map((path) => ({
    path,
    hash: createHash('sha1')
      .update(flavor === 'vitest' ? `/${path}` : path)
      .digest('hex'),
  }));
  hashed.sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
  const base = Math.floor(hashed.length / total);
  const extra = hashed.length % total;
  const shards: string[][] = [];
  let start = 0;
  for (let i = 0; i < total; i++) {
    const size = base + (i < extra ? 1 : 0);
    shards.push(hashed.slice(start, start + size).map((h) => h.path));
    start += size;
  }
  return shards;
}
