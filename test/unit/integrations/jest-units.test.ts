import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { executedFromIstanbul, executedFromV8 } from '../../../src/integrations/jest/executed-sources.js';
import ts from 'typescript';
import { tableFor } from '../../../src/integrations/jest/block-tables.js';
import { loadJsParser } from '../../../src/integrations/jest/js-parser.js';
import { packageJsonConfigWarning } from '../../../src/integrations/jest/package-config.js';
import { applySelection, filterResultFor } from '../../../src/integrations/jest/filter.js';
import { filterFile, reporterFile, sequencerFile, setupFile, withTestsift } from '../../../src/integrations/jest/index.js';
import { majorOf, runningJestVersion } from '../../../src/integrations/jest/jest-version.js';
import { secondsOf } from '../../../src/integrations/jest/perf-seconds.js';
import { collectReads } from '../../../src/integrations/jest/reads-exchange.js';
import { repoRelative } from '../../../src/integrations/jest/root.js';
import TestsiftSequencer from '../../../src/integrations/jest/sequencer.js';
import TestsiftJestReporter from '../../../src/integrations/jest/reporter.js';
import { partialRunReasons, refuseToRecord } from '../../../src/integrations/jest/run-scope.js';
import { staticDependencies } from '../../../src/integrations/jest/static-deps.js';
import type { RunSelection } from '../../../src/integrations/shared/selection.js';
import { computeSplit, planFileOf, writePlanFile } from '../../../src/sharding/index.js';

const ROOT = '/repo';

describe('executed files from istanbul coverage (babel provider)', () => {
  it('counts a file executed when any statement or function counter is above zero', () => {
    const { executed, seen } = executedFromIstanbul({
      '/repo/src/a.js': { path: '/repo/src/a.js', s: { 0: 1, 1: 0 }, f: { 0: 0 } },
      '/repo/src/b.js': { path: '/repo/src/b.js', s: { 0: 0 }, f: { 0: 2 } },
      '/repo/src/loaded-never-run.js': { path: '/repo/src/loaded-never-run.js', s: { 0: 0 }, f: { 0: 0 } },
    });
    expect(executed).toEqual(['/repo/src/a.js', '/repo/src/b.js']);
    expect(seen).toEqual(['/repo/src/a.js', '/repo/src/b.js', '/repo/src/loaded-never-run.js']);
  });

  it('counts a file with no statements and no functions as executed: it was loaded (fail safe)', () => {
    expect(executedFromIstanbul({ '/repo/src/empty.js': { path: '/repo/src/empty.js', s: {}, f: {} } }).executed).toEqual(['/repo/src/empty.js']);
  });

  it('handles a result without coverage', () => {
    expect(executedFromIstanbul(undefined)).toEqual({ executed: [], seen: [] });
  });
});

describe('executed files from V8 coverage', () => {
  it('reads file URLs and counts any range with a positive count', () => {
    const url = (p: string): string => pathToFileURL(p).href;
    const { executed, seen } = executedFromV8([
      { result: { url: url('/repo/src/a.js'), functions: [{ ranges: [{ count: 1 }] }] } },
      { result: { url: url('/repo/src/never.js'), functions: [{ ranges: [{ count: 0 }] }, { ranges: [] }] } },
      { result: { url: 'node:internal/fs', functions: [{ ranges: [{ count: 5 }] }] } },
      { result: { url: '/repo/src/plain-path.js', functions: [{ ranges: [{ count: 0 }, { count: 3 }] }] } },
    ]);
    expect(executed).toEqual(['/repo/src/a.js', '/repo/src/plain-path.js']);
    expect(seen).toEqual(['/repo/src/a.js', '/repo/src/never.js', '/repo/src/plain-path.js']);
  });
});

describe('block tables in source lines (the code Jest ran, through the source map)', () => {
  const SOURCE = [
    "import * as path from 'path';", // 1
    '', // 2
    '/**', // 3
    ' * Removed by the compiler: code below moves up.', // 4
    ' */', // 5
    'export function base(p: string): string {', // 6
    '  // inside', // 7
    '  return path.basename(p);', // 8
    '}', // 9
    '', // 10
    'export const twice = (n: number): number => {', // 11
    '  return n * 2;', // 12
    '};', // 13
    '',
  ].join('\n');
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const compile = (map: boolean): string =>
    ts.transpileModule(SOURCE, {
      fileName: 'lib.ts',
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2019,
        esModuleInterop: true,
        removeComments: true,
        inlineSourceMap: map,
        inlineSources: map,
      },
    }).outputText;
  const hitFor = (code: string, source = SOURCE, extra: Record<string, unknown> = {}) => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'testsift-blocks-')));
    writeFileSync(join(dir, 'lib.ts'), source);
    writeFileSync(join(dir, 'code-abc.js'), code);
    return { file: join(dir, 'lib.ts'), body: true, ends: [], code: 'abc', ...extra };
  };
  const parse = loadJsParser();

  it('finds a parser (Jest depends on @babel/parser)', () => {
    expect(parse).toBeDefined();
  });

  it('puts functions on their source lines although comments were removed and import helpers added', () => {
    const r = tableFor(hitFor(compile(true)), dir!, parse);
    const lines = 'table' in r ? r.table.blocks.map(({ id, name, start, end }) => ({ id, name, start, end })) : r;
    expect(lines).toEqual([
      { id: 0, name: '', start: 1, end: 13 },
      { id: 1, name: 'base', start: 6, end: 9 },
      { id: 2, name: 'twice', start: 11, end: 13 },
    ]);
  });

  it('drops the file without a source map: compiled lines are not source lines', () => {
    expect(tableFor(hitFor(compile(false)), dir!, parse)).toEqual({ reason: 'the transformer left no source map, so its lines are not the source lines' });
  });

  it('drops the file when the map puts a function on lines that do not hold its name (a map of other code)', () => {
    // The compiled code claimed to be the source unchanged (its lines are shifted by the helpers),
    // in a source long enough for every compiled line to exist.
    const r = tableFor(hitFor(compile(false), SOURCE + '// more\n'.repeat(60), { identity: true }), dir!, parse);
    expect(r).toMatchObject({ reason: expect.stringMatching(/^the source map puts function \w+ at lines \d+-\d+, which do not hold it$/) });
  });

  it('drops the file when a function maps past the end of the source', () => {
    const r = tableFor(hitFor(compile(true), SOURCE.split('\n').slice(0, 10).join('\n')), dir!, parse);
    expect(r).toMatchObject({ reason: expect.stringMatching(/maps outside the source file/) });
  });

  const BRANCHY = [
    "import * as path from 'path';", // 1
    '', // 2
    '/** Removed by the compiler. */', // 3
    'export function base(p: string): string {', // 4
    '  if (!p) {', // 5
    "    return '';", // 6
    '  }', // 7
    '  const b = path.basename(p);', // 8
    '  return b;', // 9
    '}', // 10
    '',
  ].join('\n');
  const shown = (r: ReturnType<typeof tableFor>): unknown =>
    'table' in r ? r.table.blocks.map((b) => `${b.name || '-'}:${b.kind ?? 'module'}:${b.start}-${b.end}${b.parent === undefined ? '' : `^${b.parent}`}`) : r;

  it('with V8 block counts (branches), keeps the blocks inside functions, on their source lines', () => {
    const code = ts.transpileModule(BRANCHY, {
      fileName: 'lib.ts',
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2019,
        esModuleInterop: true,
        removeComments: true,
        inlineSourceMap: true,
        inlineSources: true,
      },
    }).outputText;
    const hit = hitFor(code, BRANCHY);
    expect(shown(tableFor(hit, dir!, parse, true))).toEqual(['-:module:1-10', 'base:function:4-10', 'base:if:5-7^1', 'base:after:8-9^1']);
    // Function counts only: a branch block could never be seen to run, so none is kept.
    expect(shown(tableFor(hit, dir!, parse, false))).toEqual(['-:module:1-10', 'base:function:4-10']);
  });

  it('drops the branches of compiler glue with the glue: hung from the module body they could claim module-level lines', () => {
    // Glue (a Babel-style helper) whose every line the map puts on the import line, which does
    // not hold its name: left out, and its if/after blocks with it.
    const code = ['function _glue(e) {', '  if (e) {', '    return e;', '  }', '  return 1;', '}', 'exports.x = _glue(1);', ''].join('\n');
    const map = { version: 3, sources: ['lib.ts'], names: [], mappings: 'AAAA;AAAA;AAAA;AAAA;AAAA;AAAA;AAAA' };
    const withMap = `${code}//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}\n`;
    const r = tableFor(hitFor(withMap, "import { x } from 'x';\nexport const y = x;\n"), dir!, parse, true);
    expect(shown(r)).toEqual(['-:module:1-2']);
  });
});

describe('package.json "jest" key beside a config file', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('warns: Jest refuses both, or ignores one', () => {
    dir = mkdtempSync(join(tmpdir(), 'testsift-pkg-'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'x', jest: { testEnvironment: 'node' } }));
    expect(packageJsonConfigWarning(dir)).toContain('Multiple configurations found');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'x' }));
    expect(packageJsonConfigWarning(dir)).toBeUndefined();
  });
});

describe('per-file seconds', () => {
  it('uses Jest 30 environment-load start when present', () => {
    expect(secondsOf({ loadTestEnvironmentStart: 1_000, start: 1_200, end: 3_500 }, undefined, 9_999)).toBe(2.5);
  });

  it('uses start..end on Jest 29', () => {
    expect(secondsOf({ start: 1_200, end: 3_500 }, undefined, 9_999)).toBe(2.3);
  });

  it('falls back to our own clock for a file that failed to run (zeroed perfStats)', () => {
    expect(secondsOf({ start: 0, end: 0, loadTestEnvironmentStart: 0 }, 5_000, 5_750)).toBe(0.75);
    expect(secondsOf(undefined, undefined, 5_750)).toBe(0);
  });
});

describe('applySelection', () => {
  const paths = ['/repo/tests/math.test.js', '/repo/tests/extra/math.test.js', '/repo/tests/a.test.js', '/elsewhere/x.test.js'];
  const sel = (tests: string[], mode: RunSelection['mode'] = 'selective'): RunSelection => ({ mode, tests, origin: 'TESTSIFT_SELECT' });

  it('keeps exactly the selected repo-relative paths, never substring matches', () => {
    const out = applySelection(paths, sel(['tests/math.test.js']), ROOT);
    expect(out.kept).toEqual(['/repo/tests/math.test.js']);
    expect(out.messages[0]).toBe('running 1 of 4 test files selected by TESTSIFT_SELECT');
  });

  it('keeps everything in full mode', () => {
    expect(applySelection(paths, sel([], 'full'), ROOT).kept).toEqual(paths);
  });

  it('names selected tests this run does not have, and warns about an empty run', () => {
    // The selected file exists (another project runs it): this project runs none of its files.
    const out = applySelection(paths, sel(['tests/gone.test.js']), ROOT, () => true);
    expect(out.kept).toEqual([]);
    expect(out.messages.join('\n')).toContain('1 selected test file(s) are not among this Jest run');
    expect(out.messages.join('\n')).toContain('tests/gone.test.js');
    expect(out.messages.join('\n')).toContain('--passWithNoTests');
  });

  it('runs everything when no selected test is found and none exists under the root (a path mismatch)', () => {
    const out = applySelection(paths, sel(['lib/tests/math.test.js', 'lib/tests/a.test.js']), ROOT, () => false);
    expect(out.kept).toEqual(paths);
    expect(out.messages).toEqual([
      `WARNING: none of the 2 test file(s) selected by TESTSIFT_SELECT is among this Jest run's 4 test files (paths are relative to /repo: lib/tests/math.test.js, lib/tests/a.test.js); a path mismatch, not a selection: running the whole suite`,
    ]);
  });

  it('runs everything, saying why, for an unusable selection; runs none only for a valid "no test needed"', () => {
    const unusable: RunSelection = { mode: 'full', tests: [], origin: 'sel.json', unusable: 'the selection file "sel.json" named by TESTSIFT_SELECT does not exist' };
    const full = applySelection(paths, unusable, ROOT);
    expect(full.kept).toEqual(paths);
    expect(full.messages).toEqual(['WARNING: the selection file "sel.json" named by TESTSIFT_SELECT does not exist; running the whole suite']);
    const none = applySelection(paths, sel([]), ROOT);
    expect(none.kept).toEqual([]);
    expect(none.messages[0]).toBe('selection from TESTSIFT_SELECT says no test is needed: running none');
  });
});

describe('filter result shape per Jest major', () => {
  // What each major's @jest/core does with the result (SearchSource.getTestPaths).
  const jest29 = (r: { filtered: unknown }): Set<unknown> => new Set((r.filtered as Array<{ test: string }>).map((x) => x.test));
  const jest30 = (r: { filtered: unknown }): Set<unknown> => new Set(r.filtered as string[]);
  const kept = ['/repo/a.test.js', '/repo/b.test.js'];

  it('gives Jest 30 paths', () => {
    expect(filterResultFor(30, kept)).toEqual({ filtered: kept });
  });

  it('gives Jest 29 {test} objects', () => {
    expect(filterResultFor(29, kept)).toEqual({ filtered: [{ test: kept[0] }, { test: kept[1] }] });
  });

  it('reads right for both when the major is unknown', () => {
    const r = filterResultFor(undefined, kept);
    expect([...jest30(r)]).toEqual(kept);
    expect([...jest29(r)]).toEqual(kept);
    expect(Array.isArray(r.filtered)).toBe(true);
  });

  it('finds the installed Jest major', () => {
    expect(majorOf(runningJestVersion())).toBe(30);
    expect(majorOf('29.7.0')).toBe(29);
    expect(majorOf(undefined)).toBeUndefined();
  });
});

describe('reads written by the setup file', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('groups reads by test file and skips a line cut short by a crash', () => {
    dir = mkdtempSync(join(tmpdir(), 'testsift-reads-'));
    const line = (p: string): string => `${JSON.stringify(p)}\n`;
    writeFileSync(join(dir, 'a-1.reads'), line('/repo/t/a.test.js') + line('/repo/data/x.json') + '"/repo/data/cut');
    writeFileSync(join(dir, 'a-2.reads'), line('/repo/t/a.test.js') + line('/repo/data/y.json'));
    writeFileSync(join(dir, 'b-1.reads'), line('/repo/t/b.test.js'));
    writeFileSync(join(dir, 'ignored.txt'), line('/repo/t/c.test.js'));
    const reads = collectReads(dir);
    expect([...reads.keys()].sort()).toEqual(['/repo/t/a.test.js', '/repo/t/b.test.js']);
    expect([...reads.get('/repo/t/a.test.js')!].sort()).toEqual(['/repo/data/x.json', '/repo/data/y.json']);
    expect(reads.get('/repo/t/b.test.js')!.size).toBe(0);
  });

  it('returns nothing for a missing folder', () => {
    expect(collectReads('/nonexistent/testsift-reads').size).toBe(0);
  });
});

describe('run scope', () => {
  it('refuses watch and -t runs', () => {
    expect(refuseToRecord({ watch: true })).toBe('watch mode');
    expect(refuseToRecord({ watchAll: true })).toBe('watch mode');
    expect(refuseToRecord({ testNamePattern: 'adds' })).toBe('a test name filter (-t)');
    expect(refuseToRecord({ testNamePattern: '', testPathPatterns: { patterns: [] } })).toBeUndefined();
  });

  it('names what narrowed a run, in Jest 29 and 30 spellings', () => {
    expect(partialRunReasons({ testPathPatterns: { patterns: ['math'] } }, false)).toEqual(['test path patterns']);
    expect(partialRunReasons({ testPathPattern: 'math' }, false)).toEqual(['test path patterns']);
    expect(partialRunReasons({ onlyChanged: true, changedSince: 'main', findRelatedTests: true, onlyFailures: true }, true)).toEqual([
      'a selective TESTSIFT_SELECT',
      '--onlyChanged/--lastCommit',
      '--changedSince',
      '--findRelatedTests',
      '--onlyFailures',
    ]);
    expect(partialRunReasons({ testPathPatterns: { patterns: [] }, changedSince: null }, false)).toEqual([]);
  });
});

describe('static dependencies (fallback for a file without coverage)', () => {
  const graph: Record<string, string[]> = {
    '/repo/t/a.test.js': ['../src/a', 'fs', 'left-pad', './missing'],
    '/repo/src/a.js': ['./b', './a'],
    '/repo/src/b.js': ['../t/a.test.js'],
  };
  const resolved: Record<string, string> = {
    '/repo/t/a.test.js|../src/a': '/repo/src/a.js',
    '/repo/t/a.test.js|left-pad': '/repo/node_modules/left-pad/index.js',
    '/repo/src/a.js|./b': '/repo/src/b.js',
    '/repo/src/a.js|./a': '/repo/src/a.js',
    '/repo/src/b.js|../t/a.test.js': '/repo/t/a.test.js',
  };
  const context = {
    hasteFS: { getDependencies: (f: string) => graph[f] ?? null },
    resolver: {
      isCoreModule: (n: string) => n === 'fs',
      resolveModule: (from: string, name: string) => {
        const r = resolved[`${from}|${name}`];
        if (!r) throw new Error(`Cannot find module '${name}'`);
        return r;
      },
    },
  };

  it('follows literal requires transitively inside the root, skipping core modules, dependencies and misses', () => {
    expect(staticDependencies(context, '/repo/t/a.test.js', ROOT).sort()).toEqual(['/repo/src/a.js', '/repo/src/b.js', '/repo/t/a.test.js']);
  });

  it('maps a file to itself when Jest offers no dependency index', () => {
    expect(staticDependencies(undefined, '/repo/t/a.test.js', ROOT)).toEqual(['/repo/t/a.test.js']);
  });
});

describe('repoRelative', () => {
  it('keeps files inside the root and drops dependencies and outsiders', () => {
    expect(repoRelative(ROOT, '/repo/src/a.js')).toBe('src/a.js');
    expect(repoRelative(ROOT, '/repo/node_modules/x/index.js')).toBeUndefined();
    expect(repoRelative(ROOT, '/repo/packages/p/node_modules/x.js')).toBeUndefined();
    expect(repoRelative(ROOT, '/other/a.js')).toBeUndefined();
    expect(repoRelative(ROOT, '/repo')).toBeUndefined();
  });
});

describe('time-balanced sequencer', () => {
  let dir: string | undefined;
  const VARS = ['TESTSIFT_TIMINGS', 'TESTSIFT_SHARD_PLAN', 'TESTSIFT_ALLOW_MISSING_TIMINGS'] as const;
  const saved = Object.fromEntries(VARS.map((v) => [v, process.env[v]]));
  afterEach(() => {
    for (const v of VARS) {
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Jest's `Test` objects for files in a fresh folder (not in git: the folder is the root). */
  function jestTests(names: string[]): { root: string; tests: Array<{ path: string; context: { config: { rootDir: string } } }> } {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'testsift-seq-')));
    const root = dir;
    return { root, tests: names.map((n) => ({ path: join(root, n), context: { config: { rootDir: root } } })) };
  }

  it("fails the job, naming the cause, when the split cannot be made, rather than using Jest's own split", async () => {
    const { root, tests } = jestTests(['a.test.js', 'b.test.js', 'c.test.js']);
    // A jest --json report recorded in another checkout: its names are outside this root.
    writeFileSync(join(root, 'jest.json'), JSON.stringify({ numTotalTests: 1, testResults: [{ name: '/elsewhere/a.test.js', startTime: 0, endTime: 1000 }] }));
    process.env.TESTSIFT_TIMINGS = join(root, 'jest.json');
    const sequencer = new TestsiftSequencer();
    for (const shardIndex of [1, 2]) {
      await expect(sequencer.shard(tests, { shardIndex, shardCount: 2 })).rejects.toThrow(
        new RegExp(`time-balanced sharding failed for --shard=${shardIndex}/2: .*/elsewhere/a\\.test\\.js is outside the root .*Not falling back to Jest's own split`),
      );
    }
  });

  it('fails the job when TESTSIFT_TIMINGS names a report it cannot read: other jobs may have it and split otherwise (issue item 2)', async () => {
    const { root, tests } = jestTests(['a.test.js', 'b.test.js', 'c.test.js', 'd.test.js', 'e.test.js']);
    process.env.TESTSIFT_TIMINGS = join(root, 'absent.json');
    await expect(new TestsiftSequencer().shard(tests, { shardIndex: 1, shardCount: 2 })).rejects.toThrow(
      /absent\.json: file not found\. Shard 1\/2 cannot compute its part without this timing report.*TESTSIFT_ALLOW_MISSING_TIMINGS=1/,
    );
  });

  it('with TESTSIFT_ALLOW_MISSING_TIMINGS=1 splits every file into exactly one shard by count, the same in every job', async () => {
    const { root, tests } = jestTests(['a.test.js', 'b.test.js', 'c.test.js', 'd.test.js', 'e.test.js']);
    process.env.TESTSIFT_TIMINGS = join(root, 'absent.json');
    process.env.TESTSIFT_ALLOW_MISSING_TIMINGS = '1';
    const sequencer = new TestsiftSequencer();
    const shards = [];
    for (const shardIndex of [1, 2]) shards.push((await sequencer.shard(tests, { shardIndex, shardCount: 2 })).map((t) => t.path));
    expect(shards.map((s) => s.length).sort()).toEqual([2, 3]);
    expect(shards.flat().sort()).toEqual(tests.map((t) => t.path).sort());
  });

  it('with TESTSIFT_SHARD_PLAN runs its part of the plan, ignoring the timing report, and refuses a plan for other tests or another N', async () => {
    const { root, tests } = jestTests(['a.test.js', 'b.test.js', 'c.test.js', 'd.test.js']);
    const plan = join(root, 'plan.json');
    const split = computeSplit(
      ['a.test.js', 'b.test.js', 'c.test.js', 'd.test.js'],
      new Map([
        ['a.test.js', 9],
        ['b.test.js', 1],
        ['c.test.js', 1],
        ['d.test.js', 1],
      ]),
      2,
    );
    await writePlanFile(plan, planFileOf(split, { files: [], unreadable: [] }));
    process.env.TESTSIFT_SHARD_PLAN = plan;
    process.env.TESTSIFT_TIMINGS = join(root, 'absent.json'); // lost: the plan does not need it
    const sequencer = new TestsiftSequencer();
    const parts = [];
    for (const shardIndex of [1, 2]) parts.push((await sequencer.shard(tests, { shardIndex, shardCount: 2 })).map((t) => t.path.slice(root.length + 1)));
    expect(parts).toEqual([['a.test.js'], ['b.test.js', 'c.test.js', 'd.test.js']]);
    await expect(sequencer.shard(tests, { shardIndex: 1, shardCount: 3 })).rejects.toThrow(
      /the plan splits the tests into 2 shards, but the runner's shard count says 3/,
    );
    await expect(sequencer.shard(tests.slice(1), { shardIndex: 1, shardCount: 2 })).rejects.toThrow(/1 test\(s\) of the plan are not among this run: a\.test\.js/);
  });
});

describe('withTestsift', () => {
  it('adds reporter, setup file, filter and sequencer, keeping the user’s own', () => {
    const out = withTestsift({ reporters: ['summary'], setupFilesAfterEnv: ['./mine.js'], testSequencer: './seq.js' }, { record: false });
    expect(out.reporters).toEqual(['summary', [reporterFile, {}]]);
    expect(out.setupFilesAfterEnv).toEqual(['./mine.js', setupFile]);
    expect(out.filter).toBe(filterFile);
    expect(out.testSequencer).toBe('./seq.js');
    expect(out.collectCoverage).toBeUndefined();
  });

  it('leaves coverage to the user when recording: the recorder does not need it', () => {
    const prev = process.env.TESTSIFT_RECORD;
    delete process.env.TESTSIFT_RECORD;
    try {
      const out = withTestsift({}, { record: true, map: 'out/map.json' });
      expect(out.reporters).toEqual(['default', [reporterFile, { record: true, map: 'out/map.json' }]]);
      expect(out.testSequencer).toBe(sequencerFile);
      expect(out.collectCoverage).toBeUndefined();
      expect(out.coverageReporters).toBeUndefined();
    } finally {
      if (prev !== undefined) process.env.TESTSIFT_RECORD = prev;
    }
  });

  it('block data by default on Jest 30+ (the Jest this repository resolves), off when asked', () => {
    const saved = { ...process.env };
    try {
      const blocksFlag = (options: Record<string, unknown>, env: Record<string, string> = {}): string | undefined => {
        for (const k of Object.keys(process.env)) if (k.startsWith('TESTSIFT_')) delete process.env[k];
        Object.assign(process.env, env);
        new TestsiftJestReporter({ rootDir: process.cwd() }, { record: true, ...options });
        const flag = process.env.TESTSIFT_JEST_BLOCKS;
        for (const dir of [process.env.TESTSIFT_JEST_READS_DIR, process.env.TESTSIFT_JEST_CHILD_DIR]) if (dir) rmSync(dir, { recursive: true, force: true });
        return flag;
      };
      expect(blocksFlag({})).toBe('1');
      expect(blocksFlag({ blocks: false })).toBe('0');
      expect(blocksFlag({}, { TESTSIFT_GRANULARITY: 'file' })).toBe('0');
      expect(blocksFlag({ blocks: false }, { TESTSIFT_GRANULARITY: 'block' })).toBe('1');
      expect(withTestsift({}, { blocks: false }).reporters).toEqual(['default', [reporterFile, { blocks: false }]]);
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });

  it('passes branches (blocks inside functions) to the reporter, which tells the workers; off unless asked', () => {
    expect(withTestsift({}, { blocks: true, branches: true }).reporters).toEqual(['default', [reporterFile, { blocks: true, branches: true }]]);
    expect(withTestsift({}, { blocks: true }).reporters).toEqual(['default', [reporterFile, { blocks: true }]]);
    const saved = { ...process.env };
    try {
      for (const k of Object.keys(process.env)) if (k.startsWith('TESTSIFT_')) delete process.env[k];
      const workerFlag = (options: Record<string, unknown>, env: Record<string, string> = {}): string | undefined => {
        Object.assign(process.env, env);
        new TestsiftJestReporter({ rootDir: process.cwd() }, { record: true, ...options });
        const flag = process.env.TESTSIFT_JEST_BRANCHES;
        // The reporter's exchange folders go at process exit, which a Vitest worker may not reach.
        for (const dir of [process.env.TESTSIFT_JEST_READS_DIR, process.env.TESTSIFT_JEST_CHILD_DIR]) if (dir) rmSync(dir, { recursive: true, force: true });
        for (const k of Object.keys(process.env)) if (k.startsWith('TESTSIFT_')) delete process.env[k];
        return flag;
      };
      expect(workerFlag({ blocks: true, branches: true })).toBe('1');
      expect(workerFlag({ blocks: true })).toBe('0');
      expect(workerFlag({ blocks: true }, { TESTSIFT_BRANCHES: '1' })).toBe('1');
      expect(workerFlag({ blocks: true, branches: true }, { TESTSIFT_BRANCHES: '0' })).toBe('0');
      // Branches are blocks inside functions: nothing without block granularity.
      expect(workerFlag({ blocks: false, branches: true })).toBe('0');
      expect(workerFlag({ branches: true }, { TESTSIFT_GRANULARITY: 'file' })).toBe('0');
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });

  it('points at hook files next to it (that they exist in the build: test/e2e/integrations/jest-build.test.ts)', () => {
    // The src/ twins are what vitest imports here; the paths name the compiled siblings.
    for (const f of [reporterFile, sequencerFile, filterFile, setupFile]) expect(f).toMatch(/integrations[\\/]jest[\\/]/);
  });
});
