/**
 * tests.yml sources that can backtrack for minutes: detect does not run a source of a known
 * catastrophic shape (the full suite, naming the rule), and stops any rule that runs past its
 * time budget over the changed paths. The budget is tested with a fake clock, not by timing.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { MappingRule } from '../../../src/config/types.js';
import { detectTests } from '../../../src/detect.js';
import { matchStatic, RuleBudgetError } from '../../../src/mappings/static/index.js';
import { makeStaticMappingStrategy } from '../../../src/selection/strategies/static-mapping.js';
import type { StrategyContext } from '../../../src/selection/types.js';
import { createFileIndex } from '../../../src/util/files.js';
import { runCli } from '../../helpers/cli.js';
import { TempRepo } from '../../helpers/git.js';
import { makeTree, removeTrees } from '../../helpers/tree.js';

afterAll(removeTrees);
let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

const rule = (source: string, test: string, line: number): MappingRule => ({ sources: [source], tests: [test], file: 'tests.yml', line, index: line });

/** A clock that advances `step` ms each time it is read: a match call measures `step` ms. */
const fakeClock = (step: number) => {
  let t = 0;
  return () => (t += step);
};

describe('the time budget per rule', () => {
  it('matchStatic throws RuleBudgetError naming the rule once its time over the paths passes the budget', () => {
    const files = createFileIndex(makeTree(['test/a.test.ts']));
    const rules = [rule('src/(.+)\\.ts', 'test/%s.test.ts', 2), rule('lib/.+', 'test/a.test.ts', 4)];
    // Each call "takes" 0.5 ms: 3 paths per rule fit a 5 ms budget…
    expect(matchStatic(rules, ['src/a.ts', 'src/b.ts', 'lib/x'], files, { budgetMs: 5, now: fakeClock(0.5) })).toHaveLength(2);
    // …and at 2 ms a call, the first rule passes 3 ms on its second path.
    let err: unknown;
    try {
      matchStatic(rules, ['src/a.ts', 'src/b.ts', 'lib/x'], files, { budgetMs: 3, now: fakeClock(2) });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RuleBudgetError);
    expect((err as RuleBudgetError).rule).toBe(rules[0]);
    expect((err as Error).message).toBe("source 'src/(.+)\\.ts' of tests.yml:2 took 4 ms (budget 3 ms) over the changed paths");
  });

  it('the strategy turns a rule past its budget into a full-suite reason naming it', async () => {
    const root = makeTree(['test/a.test.ts']);
    const files = createFileIndex(root);
    const ctx = {
      root,
      files,
      isTest: (p: string) => p.endsWith('.test.ts'),
      changes: { files: [{ path: 'src/a.ts', status: 'modified' }], labels: [], source: 'list', fullSuiteReasons: [], warnings: [] },
      config: { mapping: [rule('src/(.+)\\.ts', 'test/%s.test.ts', 7)] },
    } as unknown as StrategyContext;
    const r = await makeStaticMappingStrategy({ budgetMs: 10, now: fakeClock(11) }).select(ctx);
    expect(r.fullSuiteReasons).toEqual([
      "tests.yml rule tests.yml:7: source 'src/(.+)\\.ts' took over 10 ms over the changed paths (catastrophic backtracking?); matching stopped, so the full suite runs",
    ]);
    expect(r.explained).toEqual([]);
    const ok = await makeStaticMappingStrategy({ budgetMs: 10, now: fakeClock(1) }).select(ctx);
    expect(ok.fullSuiteReasons).toEqual([]);
    expect(ok.explained).toEqual(['src/a.ts']);
  });
});

describe('a catastrophic source in detect and verify-mapping', () => {
  const YML =
    "mapping:\n  - source: 'src/(?<n>[a-z]+)\\.ts'\n    test: 'test/%{n}.test.ts'\n  - source: '(a+)+b'\n    test: 'test/a.test.ts'\ntests: ['test/**/*.test.ts']\ncoverage_map: none\n";

  it('detect does not run it: the full suite, naming the rule and its line, even for a crafted path', async () => {
    repo = new TempRepo('testsift-redos-');
    repo.write({ 'tests.yml': YML, 'test/a.test.ts': '', 'test/b.test.ts': '', 'src/b.ts': '' }).commit('init');
    const r = await detectTests({ cwd: repo.root, changedFileList: ['src/b.ts', 'a'.repeat(24)], env: {} });
    expect(r.mode).toBe('full');
    expect(r.reasons).toContain(
      "tests.yml rule tests.yml:4: source '(a+)+b' has a repeat inside a repeat that can match the same characters (nested quantifier, like (a+)+), which can take exponential time on a crafted path; it is not run, so the full suite runs (testsift verify-mapping flags it)",
    );
    // The safe rule still ran: its selection is there for the JSON and explain.
    expect(r.selection.map((s) => s.test)).toEqual(['test/b.test.ts']);
  });

  it('verify-mapping flags it (exit 1) and --stale does not run it over the tree', async () => {
    const cwd = makeTree({ 'tests.yml': YML, 'test/a.test.ts': '', 'test/b.test.ts': '', 'src/b.ts': '', [`${'a'.repeat(40)}c`]: '' });
    const r = await runCli(['verify-mapping', 'tests.yml', '--stale'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "LINT tests.yml:4: source '(a+)+b': a repeat inside a repeat that can match the same characters (nested quantifier, like (a+)+) can take exponential time on a crafted path; detect does not run this rule and runs the full suite.",
    );
  });
});
