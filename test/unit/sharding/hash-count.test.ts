import TestSequencer from '@jest/test-sequencer';
import { BaseSequencer } from 'vitest/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashCountShards } from '../../../src/sharding/index.js';
import { realReports } from '../../helpers/real-reports.js';

const ROOT = '/work/checkout';

/** The runners' own sharding, run for real on fake file entries (only paths matter to it). */
async function vitestShard(paths: string[], index: number, count: number): Promise<string[]> {
  const ctx = { config: { root: ROOT, shard: { index, count } } };
  const seq = new BaseSequencer(ctx as never);
  const specs = paths.map((p) => ({ moduleId: `${ROOT}/${p}` }));
  const out = await seq.shard(specs as never);
  return (out as unknown as Array<{ moduleId: string }>).map((s) => s.moduleId.slice(ROOT.length + 1));
}

function jestShard(paths: string[], shardIndex: number, shardCount: number): string[] {
  const Seq = (TestSequencer as unknown as { default?: typeof TestSequencer }).default ?? TestSequencer;
  const seq = new Seq({ contexts: [], globalConfig: {} } as never);
  const tests = paths.map((p) => ({ path: `${ROOT}/${p}`, context: { config: { rootDir: ROOT } } }));
  const out = seq.shard(tests as never, { shardIndex, shardCount }) as unknown as Array<{ path: string }>;
  return out.map((t) => t.path.slice(ROOT.length + 1));
}

describe('hashCountShards (the Jest/Vitest baseline the bench compares against)', () => {
  let paths: string[];
  beforeAll(async () => {
    const reports = await realReports();
    paths = [...reports.find((r) => r.name.startsWith('discourse'))!.report.keys()];
  });

  it('matches Vitest’s own BaseSequencer.shard on a real report', async () => {
    for (const count of [3, 8, 64]) {
      const ours = hashCountShards(paths, count, 'vitest');
      for (const index of [1, 2, count]) expect(ours[index - 1]).toEqual(await vitestShard(paths, index, count));
    }
  });

  it('matches Jest’s own TestSequencer.shard on a real report', () => {
    for (const count of [3, 8, 64]) {
      const ours = hashCountShards(paths, count, 'jest');
      for (const index of [1, 2, count]) expect(ours[index - 1]).toEqual(jestShard(paths, index, count));
    }
  });

  it('slices equal counts, the remainder spread over the first shards', () => {
    const shards = hashCountShards(paths.slice(0, 10), 4);
    expect(shards.map((s) => s.length)).toEqual([3, 3, 2, 2]);
    expect(new Set(shards.flat())).toEqual(new Set(paths.slice(0, 10)));
  });
});
