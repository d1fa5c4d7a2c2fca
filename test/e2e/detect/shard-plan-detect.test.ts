import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DETECT_TESTS_BIN, NO_CI, runCli } from '../../helpers/cli.js';
import { makeScenario, type Scenario } from '../../helpers/scenario.js';

let s: Scenario;
afterEach(() => s?.repo.cleanup());

const JOB_ENV = { ...NO_CI, CI_NODE_INDEX: undefined, CI_NODE_TOTAL: '2', TESTSIFT_ALLOW_MISSING_TIMINGS: undefined };

describe('detect-tests --shards N (issue item 2: the split computed once, in the detect job)', () => {
  it('writes .testsift/shard-plan.json for the tests of tests.txt; the jobs take their parts from it and together run each test once', async () => {
    s = await makeScenario();
    s.repo.write({ 'src/cart.ts': `${readFileSync(join(s.repo.root, 'src/cart.ts'), 'utf8')}// touched\n`, 'test/new.test.ts': '// new\n' }).commit('cart');
    writeFileSync(join(s.repo.root, 'timings.json'), JSON.stringify({ 'test/cart.test.ts': 40, 'test/count.test.ts': 2 }));
    const detect = await runCli(['--base', 'main', '--shards', '2', '--timings', 'timings.json'], { cwd: s.repo.root, bin: DETECT_TESTS_BIN, env: NO_CI });
    expect(detect.code, detect.stderr).toBe(0);
    expect(detect.stderr).toMatch(/wrote shard plan \.testsift\/shard-plan\.json: 3 tests in 2 shards \(makespan 40\.0s\); inputs digest [0-9a-f]{12}/);
    const selected = readFileSync(join(s.repo.root, '.testsift/tests.txt'), 'utf8').trim().split('\n');
    expect(selected).toEqual(['test/cart.test.ts', 'test/count.test.ts', 'test/new.test.ts']);

    const parts: string[][] = [];
    for (const i of ['1', '2']) {
      // The jobs have no timing report at all: they do not need one.
      const r = await runCli(['shard', '--from-plan', '.testsift/shard-plan.json', '--tests', '.testsift/tests.txt', '--index', i], { cwd: s.repo.root, env: JOB_ENV });
      expect(r.code, r.stderr).toBe(0);
      parts.push(
        r.stdout
          .trim()
          .split('\n')
          .filter((l) => l !== ''),
      );
    }
    expect(parts[0]).toEqual(['test/cart.test.ts']); // 40 s alone balances the rest
    expect([...parts[0]!, ...parts[1]!].sort()).toEqual(selected);
  });

  it('--write-plan sets the path; a lost timing report is a warning here (the shared plan splits by count), and --write-plan without --shards is a usage error (--timings alone feeds the time estimate)', async () => {
    s = await makeScenario();
    s.repo.write({ 'src/money.ts': 'export function cents(x: number) {\n  return Math.round(x * 1000) / 10;\n}\n' }).commit('money');
    const r = await runCli(['detect', '--base', 'main', '--shards', '3', '--timings', 'gone.json', '--write-plan', 'out/plan.json'], { cwd: s.repo.root, env: NO_CI });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('warning: ignoring timing report');
    expect(existsSync(join(s.repo.root, 'out/plan.json'))).toBe(true);
    const plan = JSON.parse(readFileSync(join(s.repo.root, 'out/plan.json'), 'utf8')) as { total: number; tests: number; timings: { unreadable: string[] } };
    expect(plan.total).toBe(3);
    expect(plan.tests).toBe(2);
    expect(plan.timings.unreadable).toEqual([join(s.repo.root, 'gone.json')]);
    const bad = await runCli(['detect', '--base', 'main', '--write-plan', 'plan.json'], { cwd: s.repo.root, env: NO_CI });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--write-plan is for the shard plan: give --shards N too');
    const estimate = await runCli(['detect', '--base', 'main', '--timings', 'timings.json'], { cwd: s.repo.root, env: NO_CI });
    expect(estimate.code, estimate.stderr).toBe(0);
  });
});
