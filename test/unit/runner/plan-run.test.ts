/**
 * The decisions of `testsift run` before anything starts: which runner a command is, whether its
 * testsift hook is configured (config read as text), the shard from flags or CI variables, and
 * what planRun would start in the cases the end-to-end tests do not reach cheaply.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestsiftError } from '../../../src/errors.js';
import { identifyRunner } from '../../../src/runner/identify.js';
import { integrationConfigured } from '../../../src/runner/integration.js';
import { planRun, runnerPath, type RunInput } from '../../../src/runner/plan-run.js';
import { shardSpec } from '../../../src/runner/shard-spec.js';
import { computeSplit, planFileOf, writePlanFile } from '../../../src/sharding/index.js';

describe('identifyRunner', () => {
  it.each([
    [['vitest', 'run'], 'vitest', 0],
    [['npx', 'vitest', 'run'], 'vitest', 1],
    [['npx', '--yes', 'vitest'], 'vitest', 2],
    [['node_modules/.bin/vitest', 'run'], 'vitest', 0],
    [['node', 'node_modules/vitest/vitest.mjs', 'run'], 'vitest', 1],
    [['pnpm', 'exec', 'vitest'], 'vitest', 2],
    [['yarn', 'jest', '--ci'], 'jest', 1],
    [['node', '--expose-gc', 'node_modules/jest/bin/jest.js'], 'jest', 2],
    [['C:\\p\\node_modules\\.bin\\jest.cmd'], 'jest', 0],
    [['env', 'FOO=1', 'jest'], 'jest', 2],
    [['bundle', 'exec', 'rspec'], 'generic', 0],
    [['npm', 'test'], 'generic', 1],
    [['node', '--test'], 'generic', 0],
  ] as const)('%j is %s', (command, kind, at) => {
    expect(identifyRunner(command)).toEqual({ kind, at });
  });
});

describe('shardSpec', () => {
  it('takes --shard i/n before the CI variables', () => {
    expect(shardSpec('2/4', { CI_NODE_INDEX: '1', CI_NODE_TOTAL: '2' })).toMatchObject({ index: 2, total: 4 });
    expect(shardSpec(undefined, { CI_NODE_INDEX: '1', CI_NODE_TOTAL: '2' })).toMatchObject({ index: 1, total: 2 });
    expect(shardSpec(undefined, {})).toBeUndefined();
    expect(shardSpec(undefined, { CI_NODE_INDEX: '', CI_NODE_TOTAL: '' })).toBeUndefined();
  });
  it.each([
    ['5/4', {}, 'greater than the total'],
    ['0/4', {}, 'integer ≥ 1'],
    ['2', {}, 'expects i/n'],
    [undefined, { CI_NODE_TOTAL: '4' }, '$CI_NODE_TOTAL is set but $CI_NODE_INDEX is not'],
    [undefined, { CI_NODE_INDEX: '3', CI_NODE_TOTAL: '2' }, 'greater than $CI_NODE_TOTAL'],
  ] as const)('%j %j is a usage error', (flag, env, message) => {
    let err: unknown;
    try {
      shardSpec(flag, env);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TestsiftError);
    expect((err as TestsiftError).exitCode).toBe(2);
    expect((err as Error).message).toContain(message);
  });
});

describe('integrationConfigured (config read as text)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'testsift-integration-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const project = (files: Record<string, string>): string => {
    const root = mkdtempSync(join(dir, 'p-'));
    for (const [p, c] of Object.entries(files)) {
      mkdirSync(join(root, p, '..'), { recursive: true });
      writeFileSync(join(root, p), c);
    }
    return root;
  };

  it('Vitest: the plugin imported, commented out, absent, or in the --config given', () => {
    expect(integrationConfigured('vitest', [], project({ 'vitest.config.ts': "import testsift from 'testsift/vitest';\n" })).configured).toBe(true);
    expect(integrationConfigured('vitest', [], project({ 'vitest.config.ts': "// import testsift from 'testsift/vitest';\n" })).configured).toBe(false);
    expect(integrationConfigured('vitest', [], project({ 'vite.config.mjs': 'export default {};\n' })).configured).toBe(false);
    const other = project({ 'vitest.config.ts': 'export default {};\n', 'ci/vitest.ci.ts': "import t from 'testsift/vitest';\n" });
    expect(integrationConfigured('vitest', ['run', '--config', 'ci/vitest.ci.ts'], other).configured).toBe(true);
    expect(integrationConfigured('vitest', ['run'], other).configured).toBe(false);
  });

  it('Jest: withTestsift, the filter by name, a package.json key, a command-line --filter', () => {
    expect(
      integrationConfigured('jest', [], project({ 'jest.config.mjs': "import { withTestsift } from 'testsift/jest';\nexport default withTestsift({});\n" })).configured,
    ).toBe(true);
    expect(integrationConfigured('jest', [], project({ 'jest.config.js': "module.exports = { filter: 'testsift/jest/filter' };\n" })).configured).toBe(true);
    expect(integrationConfigured('jest', [], project({ 'jest.config.js': "module.exports = { reporters: ['testsift/jest/reporter'] };\n" })).configured).toBe(false);
    const pkg = project({ 'package.json': JSON.stringify({ jest: { filter: 'testsift/jest/filter' } }), 'sub/x.txt': '' });
    expect(integrationConfigured('jest', [], join(pkg, 'sub')).configured).toBe(true);
    expect(integrationConfigured('jest', ['--filter=testsift/jest/filter'], project({})).configured).toBe(true);
    // The command line's --filter replaces the config's.
    const wrapped = project({ 'jest.config.js': "module.exports = { filter: 'testsift/jest/filter' };\n" });
    expect(integrationConfigured('jest', ['--filter', './my-filter.js'], wrapped).configured).toBe(false);
  });
});

describe('planRun', () => {
  let root: string;
  const TESTS = Array.from({ length: 400 }, (_, i) => `test/${'deeply/nested/folder/'.repeat(3)}case-${String(i).padStart(3, '0')}.test.js`);
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'testsift-planrun-'));
    mkdirSync(join(root, 'test', ...'deeply/nested/folder/'.repeat(3).split('/').filter(Boolean)), { recursive: true });
    for (const t of TESTS) writeFileSync(join(root, t), '');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const input = (o: Partial<RunInput>): RunInput => ({
    command: ['rspec'],
    runner: 'generic',
    at: 0,
    via: 'args',
    integration: false,
    cwd: root,
    repoRoot: root,
    mode: 'selective',
    tests: TESTS,
    changedFiles: 1,
    timings: [],
    allowMissingTimings: false,
    ...o,
  });

  it('too many files for a command line (Windows budget): the full suite, with the reason, not fewer files', async () => {
    const plan = await planRun(input({ platform: 'win32' }));
    expect(plan.action).toBe('spawn');
    if (plan.action !== 'spawn') return;
    expect(plan.command).toEqual(['rspec']);
    expect(plan.messages.join('\n')).toContain('more than can safely be passed');
    const fits = await planRun(input({ platform: 'linux' }));
    expect(fits.action === 'spawn' && fits.command.length).toBe(401);
  });

  it('too long when sharded: the decision is on the whole selection, so every job runs the full suite alike', async () => {
    const jobs = await Promise.all(
      [1, 2, 3].map((index) => planRun(input({ platform: 'win32', runner: 'vitest', command: ['vitest', 'run'], shard: { index, total: 3, source: 'test' } }))),
    );
    expect(jobs.map((j) => j.action === 'spawn' && j.command)).toEqual([1, 2, 3].map((i) => ['vitest', 'run', `--shard=${i}/3`]));
  });

  it('a path that starts with a dash is not taken for a flag', () => {
    expect(runnerPath('/r', '/r', '-odd.test.js')).toBe('./-odd.test.js');
    expect(runnerPath('/r', '/r/pkg', 'pkg/test/a.test.js')).toBe('test/a.test.js');
  });

  it('with a shard plan: the part the plan gives; a plan for other tests is an error (exit 2)', async () => {
    const tests = TESTS.slice(0, 10);
    const planPath = join(root, 'plan.json');
    const split = computeSplit(tests, new Map(), 2);
    await writePlanFile(planPath, planFileOf(split, { files: [], unreadable: [] }));
    const mine = await planRun(input({ tests, shard: { index: 2, total: 2, source: 'test' }, plan: { path: planPath, label: 'plan.json' } }));
    expect(mine.action === 'spawn' && mine.command.slice(1)).toEqual(split.plan.shards[1]!.tests);
    expect(mine.messages.join('\n')).toContain(`inputs ${split.digest.inputs.slice(0, 12)}`);
    await expect(
      planRun(input({ tests: TESTS.slice(0, 9), shard: { index: 2, total: 2, source: 'test' }, plan: { path: planPath, label: 'plan.json' } })),
    ).rejects.toThrow(/the plan's tests differ/);
  });

  it('full suite, sharded, Vitest with the plugin and a plan: --shard=i/n and TESTSIFT_SHARD_PLAN', async () => {
    const tests = TESTS.slice(0, 4);
    const planPath = join(root, 'full-plan.json');
    await writePlanFile(planPath, planFileOf(computeSplit(tests, new Map(), 2), { files: [], unreadable: [] }));
    const plan = await planRun(
      input({
        mode: 'full',
        tests,
        runner: 'vitest',
        command: ['vitest', 'run'],
        integration: true,
        via: 'env',
        shard: { index: 1, total: 2, source: 'test' },
        plan: { path: planPath, label: 'p' },
      }),
    );
    expect(plan).toMatchObject({ action: 'spawn', command: ['vitest', 'run', '--shard=1/2'], set: { TESTSIFT_SHARD_PLAN: planPath }, unset: ['TESTSIFT_SELECT'] });
  });
});
