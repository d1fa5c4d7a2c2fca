import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allocateShards, readTimingReport, shardTests } from '../../../src/sharding/index.js';
import { REAL_TIMINGS } from '../../helpers/real-reports.js';
import { scratchDirs } from '../../helpers/repo-fixture.js';

const scratch = scratchDirs('testsift-shard-');

const DISCOURSE = join(REAL_TIMINGS, 'discourse__discourse__knapsack_rspec_report.json');

describe('shardTests', () => {
  it('gives the same plan as allocateShards on the read report, and the requested shard', async () => {
    const report = await readTimingReport(DISCOURSE);
    const tests = [...report.keys()].filter((_, i) => i % 5 === 0);
    const { plan, shard, warnings } = await shardTests({ tests, timings: DISCOURSE, total: 6, index: 4 });
    expect(plan).toEqual(allocateShards(tests, report, 6));
    expect(shard).toBe(plan.shards[3]);
    expect(warnings).toEqual([]);
  });

  it('falls back to estimates with a warning when the report is missing or corrupt, and still places every test', async () => {
    const dir = scratch();
    const corrupt = join(dir, 'corrupt.json');
    writeFileSync(corrupt, '{"spec/a_spec.rb": 1.0,');
    const tests = ['spec/a_spec.rb', 'spec/b_spec.rb', 'spec/c_spec.rb', 'spec/d_spec.rb', 'spec/e_spec.rb'];
    for (const timings of [join(dir, 'missing.json'), corrupt]) {
      const { plan, warnings } = await shardTests({ tests, timings, total: 2 });
      expect(warnings.join('\n')).toContain(timings);
      expect(plan.shards.flatMap((s) => s.tests).sort()).toEqual(tests);
      expect(plan.shards.map((s) => s.tests.length).sort()).toEqual([2, 3]);
    }
  });

  it('merges several reports, a later one winning, skipping the unreadable', async () => {
    const dir = scratch();
    const first = join(dir, 'first.json');
    const second = join(dir, 'second.json');
    writeFileSync(first, JSON.stringify({ 'a.test.ts': 100, 'b.test.ts': 1, 'c.test.ts': 1 }));
    writeFileSync(second, JSON.stringify({ 'a.test.ts': 1, 'b.test.ts': 100 }));
    const { plan, warnings } = await shardTests({ tests: ['a.test.ts', 'b.test.ts', 'c.test.ts'], timings: [first, join(dir, 'gone.json'), second], total: 2 });
    expect(plan.shards[0]!.tests).toEqual(['b.test.ts']);
    expect(warnings).toHaveLength(1);
  });

  it('warns when no test matches the report (paths from another root)', async () => {
    const { plan, warnings } = await shardTests({ tests: ['elsewhere/x_spec.rb'], timings: DISCOURSE, total: 2 });
    expect(Object.keys(plan.estimated)).toEqual(['elsewhere/x_spec.rb']);
    expect(warnings.join('\n')).toContain('--root');
  });

  it('rejects an index outside 1..total', async () => {
    await expect(shardTests({ tests: ['a'], total: 2, index: 3 })).rejects.toThrow(RangeError);
  });
});
