// The full-suite rules (src/policy): each rule on its own, and decideMode putting them together.
import { describe, expect, it } from 'vitest';
import type { ChangedFile, ChangeSet } from '../../../src/changes/types.js';
import { mergeParsed, type Config } from '../../../src/config/index.js';
import { decideMode, type PolicyInput } from '../../../src/policy/index.js';
import { configChangeReasons, coreFileReasons, labelReasons, unmappedReasons } from '../../../src/policy/rules.js';
import { listFiles } from '../../../src/util/list-files.js';

const defaults: Config = mergeParsed([]);
const isTest = (p: string) => /\.test\.ts$/.test(p);

function changeSet(files: ChangedFile[], extra: Partial<ChangeSet> = {}): ChangeSet {
  return { files, labels: [], source: 'list', fullSuiteReasons: [], warnings: [], ...extra };
}
const modified = (path: string): ChangedFile => ({ path, status: 'modified' });

function input(files: ChangedFile[], over: Partial<PolicyInput> = {}): PolicyInput {
  const changes = changeSet(files);
  return { config: defaults, changes, effective: changes, explained: new Set(), isTest, reasons: [], ...over };
}

describe('listFiles', () => {
  it('lists up to five names, then counts the rest', () => {
    expect(listFiles(['a'])).toBe('a');
    expect(listFiles(['a', 'b', 'c', 'd', 'e'])).toBe('a, b, c, d, e');
    expect(listFiles(['a', 'b', 'c', 'd', 'e', 'f', 'g'])).toBe('a, b, c, d, e (+2 more)');
  });
});

describe('labelReasons', () => {
  it('a configured label asks for the full suite; other labels do not', () => {
    const cs = changeSet([], { labels: ['bug', 'pipeline:run-all-tests'] });
    expect(labelReasons(defaults, cs)).toEqual(["label 'pipeline:run-all-tests' requests the full suite"]);
    expect(labelReasons(defaults, changeSet([], { labels: ['bug'] }))).toEqual([]);
    expect(labelReasons({ ...defaults, fullSuite: { ...defaults.fullSuite, labels: ['all'] } }, changeSet([], { labels: ['all'] }))).toEqual([
      "label 'all' requests the full suite",
    ]);
  });
});

describe('coreFileReasons', () => {
  it('a changed core file (package.json, a lockfile, CI config) names the file and the pattern', () => {
    const reasons = coreFileReasons(defaults, changeSet([modified('package.json'), modified('src/a.ts')]));
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/^core file changed: package\.json \(full_suite\.changes '.*package\.json.*'\)$/);
    expect(coreFileReasons(defaults, changeSet([modified('src/a.ts'), modified('README.md')]))).toEqual([]);
  });

  it('matches the old path of a rename and deleted files too', () => {
    const cfg: Config = { ...defaults, fullSuite: { ...defaults.fullSuite, changes: ['setup/**'] } };
    expect(coreFileReasons(cfg, changeSet([{ path: 'lib/boot.ts', status: 'renamed', oldPath: 'setup/boot.ts' }]))).toEqual([
      "core file changed: setup/boot.ts (full_suite.changes 'setup/**')",
    ]);
    expect(coreFileReasons(cfg, changeSet([{ path: 'setup/x.ts', status: 'deleted' }]))).toEqual(["core file changed: setup/x.ts (full_suite.changes 'setup/**')"]);
  });

  it('one reason per pattern, its files sorted and counted past five', () => {
    const cfg: Config = { ...defaults, fullSuite: { ...defaults.fullSuite, changes: ['ci/**'] } };
    const files = ['ci/g', 'ci/f', 'ci/e', 'ci/d', 'ci/c', 'ci/b', 'ci/a'].map(modified);
    expect(coreFileReasons(cfg, changeSet(files))).toEqual(["core file changed: ci/a, ci/b, ci/c, ci/d, ci/e (+2 more) (full_suite.changes 'ci/**')"]);
  });
});

describe('configChangeReasons', () => {
  it('a change to a configuration file detect read, under its new or old path', () => {
    expect(configChangeReasons(['tests.yml'], changeSet([modified('tests.yml')]))).toEqual(['testsift configuration changed: tests.yml']);
    expect(configChangeReasons(['tests.yml'], changeSet([{ path: 'old.yml', status: 'renamed', oldPath: 'tests.yml' }]))).toEqual([
      'testsift configuration changed: tests.yml',
    ]);
    expect(configChangeReasons(['tests.yml', 'ci/more.yml'], changeSet([modified('ci/more.yml'), modified('tests.yml')]))).toEqual([
      'testsift configuration changed: ci/more.yml, tests.yml',
    ]);
  });

  it('other yml files, and no watched files, are no reason', () => {
    expect(configChangeReasons(['tests.yml'], changeSet([modified('other.yml')]))).toEqual([]);
    expect(configChangeReasons([], changeSet([modified('tests.yml')]))).toEqual([]);
  });
});

describe('unmappedReasons', () => {
  it('a file no strategy explains, not a test and not ignored, is unmapped: the full suite with `unmapped: full`', () => {
    const cs = changeSet([modified('src/a.ts'), modified('src/b.ts'), modified('test/a.test.ts'), modified('docs/x.md')]);
    const out = unmappedReasons(defaults, cs, new Set(['src/a.ts']), isTest);
    expect(out.unmapped).toEqual(['src/b.ts']);
    expect(out.ignored).toEqual(['docs/x.md']);
    expect(out.reasons).toEqual(['unmapped change: src/b.ts — not a test, not ignored, not matched by tests.yml and not known to the coverage map']);
  });

  it('`unmapped: ignore` reports the same files but gives no reason', () => {
    const cfg: Config = { ...defaults, fullSuite: { ...defaults.fullSuite, unmapped: 'ignore' } };
    const out = unmappedReasons(cfg, changeSet([modified('src/b.ts')]), new Set(), isTest);
    expect(out).toEqual({ reasons: [], unmapped: ['src/b.ts'], ignored: [] });
  });

  it('a rename counts as ignored only when both paths are ignored', () => {
    const out = unmappedReasons(
      defaults,
      changeSet([
        { path: 'docs/a.md', status: 'renamed', oldPath: 'src/a.ts' },
        { path: 'docs/b.md', status: 'renamed', oldPath: 'notes/b.md' },
      ]),
      new Set(),
      isTest,
    );
    expect(out.unmapped).toEqual(['docs/a.md']);
    expect(out.ignored).toEqual(['docs/b.md']);
  });

  it('ignore globs come from the config', () => {
    const cfg: Config = { ...defaults, ignore: ['assets/**'] };
    const out = unmappedReasons(cfg, changeSet([modified('assets/logo.svg'), modified('docs/x.md')]), new Set(), isTest);
    expect(out.ignored).toEqual(['assets/logo.svg']);
    expect(out.unmapped).toEqual(['docs/x.md']);
  });
});

describe('decideMode', () => {
  it('selective when no rule fires', () => {
    expect(decideMode(input([modified('src/a.ts')], { explained: new Set(['src/a.ts']) }))).toEqual({
      mode: 'selective',
      reasons: [],
      unmapped: [],
      ignored: [],
    });
  });

  it('every rule that fires adds its reason, in a fixed order: change set, configuration, labels, core files, earlier reasons, unmapped', () => {
    const changes = changeSet([modified('tests.yml'), modified('package.json'), modified('src/new.ts')], {
      labels: ['pipeline:run-all-tests'],
      fullSuiteReasons: ['shallow clone'],
    });
    const d = decideMode({ config: defaults, changes, effective: changes, explained: new Set(), isTest, configFiles: ['tests.yml'], reasons: ['map is stale'] });
    expect(d.mode).toBe('full');
    expect(d.reasons[0]).toBe('shallow clone');
    expect(d.reasons[1]).toBe('testsift configuration changed: tests.yml');
    expect(d.reasons[2]).toBe("label 'pipeline:run-all-tests' requests the full suite");
    expect(d.reasons[3]).toMatch(/^core file changed: package\.json/);
    expect(d.reasons[4]).toBe('map is stale');
    expect(d.reasons[5]).toMatch(/^unmapped change: tests\.yml, package\.json, src\/new\.ts/);
    expect(d.reasons).toHaveLength(6);
  });

  it('unmapped files come from the effective change (with files changed since the map), labels and core files from the change itself', () => {
    const changes = changeSet([modified('src/a.ts')]);
    const effective = changeSet([modified('src/a.ts'), modified('package.json'), modified('src/stale.ts')]);
    const d = decideMode({ config: defaults, changes, effective, explained: new Set(['src/a.ts', 'package.json']), isTest, reasons: [] });
    expect(d.unmapped).toEqual(['src/stale.ts']);
    expect(d.reasons).toEqual([expect.stringMatching(/^unmapped change: src\/stale\.ts /)]);
  });

  it('an earlier reason alone forces the full suite; with `unmapped: ignore` an unmapped file does not', () => {
    expect(decideMode(input([], { reasons: ['coverage map m is corrupt'] })).mode).toBe('full');
    const cfg: Config = { ...defaults, fullSuite: { ...defaults.fullSuite, unmapped: 'ignore' } };
    const d = decideMode(input([modified('src/x.ts')], { config: cfg }));
    expect(d).toEqual({ mode: 'selective', reasons: [], unmapped: ['src/x.ts'], ignored: [] });
  });

  it('a changed test explains itself; a changed ignored file is listed as ignored', () => {
    const d = decideMode(input([modified('test/a.test.ts'), modified('README.md')]));
    expect(d).toEqual({ mode: 'selective', reasons: [], unmapped: [], ignored: ['README.md'] });
  });
});
