// Each selection strategy on its own, in-process: a small in-memory change set, file index and
// coverage map (no git, no CLI). Imports go through src/selection/strategies/* as named today.
import { universeJoiner } from '../../../../src/selection/universe.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChangedFile } from '../../../../src/changes/types.js';
import { mergeParsed, type Config, type MappingRule } from '../../../../src/config/index.js';
import { MapBuilder, MemoryCoverageMap } from '../../../../src/mappings/coverage/model.js';
import type { CoverageMap } from '../../../../src/mappings/coverage/types.js';
import { changedTestsStrategy } from '../../../../src/selection/strategies/changed-tests.js';
import { coverageMapStrategy } from '../../../../src/selection/strategies/coverage-map.js';
import { pathsOf } from '../../../../src/selection/strategies/paths.js';
import { previousFailuresStrategy } from '../../../../src/selection/strategies/previous-failures.js';
import { staticMappingStrategy } from '../../../../src/selection/strategies/static-mapping.js';
import { unrecordedTestsStrategy } from '../../../../src/selection/strategies/unrecorded-tests.js';
import type { CandidateGroup, StrategyContext, StrategyResult } from '../../../../src/selection/types.js';
import { createFileIndex } from '../../../../src/util/files.js';

const FILES = ['src/a.ts', 'src/b.ts', 'src/c.ts', 'test/a.test.ts', 'test/b.test.ts', 'test/c.test.ts', 'test/new.test.ts', 'test/helper.ts'];
const isTest = (p: string) => p.endsWith('.test.ts');

function ctx(changes: ChangedFile[], over: Partial<StrategyContext> & { mapping?: MappingRule[] } = {}): StrategyContext {
  const config: Config = { ...mergeParsed([]), mapping: over.mapping ?? [] };
  const files = createFileIndex('/nonexistent-root', FILES);
  const universe = FILES.filter(isTest).sort();
  const testFolderFiles = () => FILES.filter((f) => f.startsWith('test/')).sort();
  return {
    root: '/nonexistent-root',
    changes: { files: changes, labels: [], source: 'list', fullSuiteReasons: [], warnings: [] },
    config,
    isTest,
    files,
    universe: () => universe,
    testFolderFiles,
    universeJoin: universeJoiner(testFolderFiles),
    staleFiles: new Set(),
    granularity: 'file',
    ...over,
  };
}

/** Groups as plain (reason, tests) pairs, whether a group holds paths or a bitset. */
function plain(r: StrategyResult): Array<{ file: string; strategy: string; detail?: string; tests: string[] }> {
  return r.groups.map((g: CandidateGroup) => {
    const tests = 'tests' in g ? [...g.tests] : g.table.testNamesOf(bitIds(g.bits));
    return { ...g.reason, tests };
  });
}
function bitIds(bits: Uint32Array): number[] {
  const ids: number[] = [];
  for (let i = 0; i < bits.length * 32; i++) if (bits[i >>> 5] & (1 << (i & 31))) ids.push(i);
  return ids;
}

function memoryMap(rows: Record<string, string[]>, known: string[] = []): CoverageMap {
  const b = new MapBuilder({ format: 'native', commit: 'c0ffee' });
  for (const [src, tests] of Object.entries(rows)) for (const t of tests) b.addEdge(src, t);
  for (const k of known) b.addKnown(k);
  return new MemoryCoverageMap(b.build());
}

const rule = (source: string, test: string, line = 3): MappingRule => ({ sources: [source], tests: [test], file: 'tests.yml', line, index: 0 });

describe('pathsOf', () => {
  it('looks up new and old paths of renames, each owned by the changed file', () => {
    const { paths, owner } = pathsOf([
      { path: 'src/new.ts', status: 'renamed', oldPath: 'src/old.ts' },
      { path: 'src/a.ts', status: 'modified' },
    ]);
    expect(paths).toEqual(['src/new.ts', 'src/old.ts', 'src/a.ts']);
    expect(owner.get('src/old.ts')).toBe('src/new.ts');
  });
});

describe('changed-test', () => {
  it('a changed or added test selects itself; a renamed one runs under its new path; a deleted one is explained but not run', () => {
    const r = changedTestsStrategy.select(
      ctx([
        { path: 'test/a.test.ts', status: 'modified' },
        { path: 'test/new.test.ts', status: 'added' },
        { path: 'test/c.test.ts', status: 'renamed', oldPath: 'test/old-c.test.ts' },
        { path: 'test/gone.test.ts', status: 'deleted' },
        { path: 'src/a.ts', status: 'modified' },
        { path: 'test/helper.ts', status: 'modified' },
      ]),
    ) as StrategyResult;
    expect(plain(r)).toEqual([
      { strategy: 'changed-test', file: 'test/a.test.ts', detail: 'modified', tests: ['test/a.test.ts'] },
      { strategy: 'changed-test', file: 'test/new.test.ts', detail: 'added', tests: ['test/new.test.ts'] },
      { strategy: 'changed-test', file: 'test/c.test.ts', detail: 'renamed', tests: ['test/c.test.ts'] },
    ]);
    expect(r.explained).toEqual(['test/a.test.ts', 'test/new.test.ts', 'test/c.test.ts', 'test/gone.test.ts']);
  });
});

describe('tests.yml (static mapping)', () => {
  it('a rule gives the existing test for a changed source, naming the rule; the source is explained', () => {
    const r = staticMappingStrategy.select(
      ctx([{ path: 'src/a.ts', status: 'modified' }], { mapping: [rule('src/(?<name>.+)\\.ts', 'test/%{name}.test.ts')] }),
    ) as StrategyResult;
    expect(plain(r)).toEqual([{ strategy: 'tests.yml', file: 'src/a.ts', detail: 'tests.yml:3', tests: ['test/a.test.ts'] }]);
    expect(r.explained).toEqual(['src/a.ts']);
    expect(r.fullSuiteReasons).toEqual([]);
  });

  it('matches the old path of a rename, on behalf of the new path', () => {
    const r = staticMappingStrategy.select(
      ctx([{ path: 'lib/moved.ts', status: 'renamed', oldPath: 'src/b.ts' }], { mapping: [rule('src/(?<name>.+)\\.ts', 'test/%{name}.test.ts')] }),
    ) as StrategyResult;
    expect(plain(r)).toEqual([{ strategy: 'tests.yml', file: 'lib/moved.ts', detail: 'tests.yml:3', tests: ['test/b.test.ts'] }]);
    expect(r.explained).toEqual(['lib/moved.ts']);
  });

  it('a template naming no existing test, or an existing non-test, explains nothing (the latter with a warning)', () => {
    const none = staticMappingStrategy.select(
      ctx([{ path: 'src/zzz.ts', status: 'added' }], { mapping: [rule('src/(?<name>.+)\\.ts', 'test/%{name}.test.ts')] }),
    ) as StrategyResult;
    expect(none.groups).toEqual([]);
    expect(none.explained).toEqual([]);
    const helper = staticMappingStrategy.select(ctx([{ path: 'src/a.ts', status: 'modified' }], { mapping: [rule('src/a\\.ts', 'test/helper.ts')] })) as StrategyResult;
    expect(helper.groups).toEqual([]);
    expect(helper.explained).toEqual([]);
    expect(helper.warnings).toEqual([expect.stringContaining('gives test/helper.ts for src/a.ts: it exists but is not a test of the universe')]);
  });

  it('a rule with a catastrophic regex is not run: a full-suite reason naming it', () => {
    const r = staticMappingStrategy.select(ctx([{ path: 'src/a.ts', status: 'modified' }], { mapping: [rule('(a+)+b', 'test/a.test.ts', 7)] })) as StrategyResult;
    expect(r.groups).toEqual([]);
    expect(r.fullSuiteReasons).toEqual([expect.stringMatching(/^tests\.yml rule tests\.yml:7: source '\(a\+\)\+b' has .* it is not run, so the full suite runs/)]);
  });

  it('no rules: nothing, nothing explained', () => {
    expect(staticMappingStrategy.select(ctx([{ path: 'src/a.ts', status: 'modified' }]))).toEqual({ groups: [], explained: [] });
  });
});

describe('coverage-map', () => {
  const map = memoryMap({ 'src/a.ts': ['test/a.test.ts', 'test/b.test.ts'], 'src/b.ts': ['test/b.test.ts'] }, ['src/unused.ts']);

  it('a changed file known to the map selects the tests of its row', () => {
    const r = coverageMapStrategy.select(ctx([{ path: 'src/a.ts', status: 'modified' }], { map })) as StrategyResult;
    expect(plain(r)).toEqual([{ strategy: 'coverage-map', file: 'src/a.ts', detail: 'map row', tests: ['test/a.test.ts', 'test/b.test.ts'] }]);
    expect(r.explained).toEqual(['src/a.ts']);
  });

  it('a renamed file is looked up under its old path too (the map knew it by that name)', () => {
    const r = coverageMapStrategy.select(ctx([{ path: 'lib/b2.ts', status: 'renamed', oldPath: 'src/b.ts' }], { map })) as StrategyResult;
    expect(plain(r)).toEqual([{ strategy: 'coverage-map', file: 'lib/b2.ts', detail: 'map row src/b.ts', tests: ['test/b.test.ts'] }]);
    expect(r.explained).toEqual(['lib/b2.ts']);
  });

  it('a deleted file selects the tests that executed it', () => {
    const r = coverageMapStrategy.select(ctx([{ path: 'src/b.ts', status: 'deleted' }], { map })) as StrategyResult;
    expect(plain(r)).toEqual([{ strategy: 'coverage-map', file: 'src/b.ts', detail: 'map row', tests: ['test/b.test.ts'] }]);
  });

  it('a known file no test executed is explained with no tests; an unknown file is not explained', () => {
    const r = coverageMapStrategy.select(
      ctx(
        [
          { path: 'src/unused.ts', status: 'modified' },
          { path: 'src/c.ts', status: 'modified' },
        ],
        { map },
      ),
    ) as StrategyResult;
    expect(r.groups).toEqual([]);
    expect(r.explained).toEqual(['src/unused.ts']);
  });

  it('no map: nothing', () => {
    expect(coverageMapStrategy.select(ctx([{ path: 'src/a.ts', status: 'modified' }]))).toEqual({ groups: [], explained: [] });
  });
});

describe('unrecorded-test', () => {
  it('every test of the universe the map never recorded runs, except the changed ones (changed-test has them)', () => {
    const map = memoryMap({ 'src/a.ts': ['test/a.test.ts'] });
    const r = unrecordedTestsStrategy.select(ctx([{ path: 'test/new.test.ts', status: 'added' }], { map })) as StrategyResult;
    expect(plain(r)).toEqual([
      { strategy: 'unrecorded-test', file: 'test/b.test.ts', detail: 'not in the coverage map', tests: ['test/b.test.ts'] },
      { strategy: 'unrecorded-test', file: 'test/c.test.ts', detail: 'not in the coverage map', tests: ['test/c.test.ts'] },
    ]);
    expect(r.explained).toEqual([]);
  });

  it('no map: nothing', () => {
    expect(unrecordedTestsStrategy.select(ctx([]))).toEqual({ groups: [], explained: [] });
  });
});

describe('previous-failure', () => {
  const dir = mkdtempSync(join(tmpdir(), 'testsift-prev-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const report = (name: string, xml: string) => {
    const p = join(dir, name);
    writeFileSync(p, xml);
    return p;
  };
  const junit = (cases: string) => `<?xml version="1.0"?>\n<testsuites><testsuite name="s">${cases}</testsuite></testsuites>\n`;

  it('a failed case of a test of the universe runs again (renamed by this change: under its new path); passed cases do not', () => {
    const p = report(
      'r.xml',
      junit(
        '<testcase classname="test/a.test.ts" name="x" file="test/a.test.ts"><failure>boom</failure></testcase>' +
          '<testcase classname="test/b.test.ts" name="ok" file="test/b.test.ts"/>' +
          '<testcase classname="test/old-c.test.ts" name="y" file="test/old-c.test.ts"><failure/></testcase>',
      ),
    );
    const r = previousFailuresStrategy([p]).select(ctx([{ path: 'test/c.test.ts', status: 'renamed', oldPath: 'test/old-c.test.ts' }])) as StrategyResult;
    expect(plain(r).map((g) => [g.strategy, g.file, g.tests])).toEqual([
      ['previous-failure', 'test/a.test.ts', ['test/a.test.ts']],
      ['previous-failure', 'test/c.test.ts', ['test/c.test.ts']],
    ]);
    expect(plain(r)[0].detail).toMatch(new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+$`));
    expect(r.explained).toEqual([]);
    expect(r.fullSuiteReasons).toEqual([]);
  });

  it('a missing report is a warning; an unreadable or malformed one is a full-suite reason', () => {
    const missing = previousFailuresStrategy([join(dir, 'absent.xml')]).select(ctx([])) as StrategyResult;
    expect(missing.fullSuiteReasons).toEqual([]);
    expect(missing.warnings).toEqual([expect.stringContaining('absent.xml not found')]);
    const bad = previousFailuresStrategy([report('bad.xml', '<testsuites><testsuite><testcase name="x"><failure>')]).select(ctx([])) as StrategyResult;
    // (the cut-short case also names no test file: a second reason)
    expect(bad.fullSuiteReasons).toContainEqual(expect.stringMatching(/bad\.xml is not a well-formed JUnit report .*so the full suite runs$/));
    const folder = previousFailuresStrategy([dir]).select(ctx([])) as StrategyResult;
    expect(folder.fullSuiteReasons).toEqual([expect.stringContaining('(it is a directory)')]);
  });

  it('a failure naming no test of the universe is a full-suite reason; one in a test this change deletes is a warning', () => {
    const p = report('odd.xml', junit('<testcase classname="Nowhere" name="z" file="spec/nowhere_spec.rb"><failure/></testcase>'));
    const r = previousFailuresStrategy([p]).select(ctx([])) as StrategyResult;
    expect(r.groups).toEqual([]);
    expect(r.fullSuiteReasons).toEqual([expect.stringContaining('names no test file of the test universe')]);
    const gone = report('gone.xml', junit('<testcase classname="test/gone.test.ts" name="z" file="test/gone.test.ts"><failure/></testcase>'));
    const d = previousFailuresStrategy([gone]).select(ctx([{ path: 'test/gone.test.ts', status: 'deleted' }])) as StrategyResult;
    expect(d.fullSuiteReasons).toEqual([]);
    expect(d.warnings).toEqual([expect.stringContaining('which this change deletes: nothing to run again')]);
  });
});
