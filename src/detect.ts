import { relative, resolve } from 'node:path';
import { anyGlob } from './util/globs.js';
import { DEFAULT_DEEPEN_BY, fetchMissingCommit, getChangeSet, listTrackedFiles } from './changes/index.js';
import type { ChangeSet, ChangedFile } from './changes/types.js';
import { DEFAULT_MAX_MAP_AGE_HOURS } from './config/defaults.js';
import type { Config } from './config/types.js';
import { emptyUniverseWarnings } from './config/universe-warning.js';
import { InputError, MapError, TestsiftError, UsageError } from './errors.js';
import { loadCoverageMap } from './mappings/coverage/load.js';
import { peekNoCommitMetadata } from './mappings/coverage/peek.js';
import type { CoverageMap } from './mappings/coverage/types.js';
import { UnionCoverageMap } from './mappings/coverage/union-map.js';
import { decideMode } from './policy/index.js';
import { checkMapFreshness } from './policy/staleness.js';
import { failFastSubset } from './selection/fail-fast.js';
import { builtinStrategies, previousFailuresStrategy } from './selection/strategies/builtin.js';
import type { CandidateGroup, FileNote, SelectGranularity, SelectedTest, Selection, Strategy, StrategyContext, TestIdTable } from './selection/types.js';
import { universeJoiner } from './selection/universe.js';
import { recordedTestMatcher } from './selection/recorded-universe.js';
import { comparePaths, selectedTests, unionGroups, type KeepTests } from './selection/union.js';
import { createFileIndex, globBases } from './util/files.js';
import { existsSync } from './util/fs.js';
import { findRepoRoot } from './util/repo.js';
import { configPaths, loadDetectConfig, resolveMapPaths } from './config/detect-inputs.js';
import { toPosix } from './util/paths.js';
import { pushAll } from './util/arrays.js';

/** Options of `detectTests`; the CLI's flags map one to one. */
export interface DetectOptions {
  /** Where to run (repository or project root, or inside it). Default: process.cwd(). */
  cwd?: string;
  base?: string;
  head?: string;
  includeUncommitted?: boolean;
  /** A file of changed paths (one a line), or '-' with `stdinText`. Replaces git as the source. */
  changedFiles?: string;
  stdinText?: string;
  changedFileList?: string[];
  /** An empty changed-file list selects no test (else it runs the full suite: see ChangeOptions). */
  allowEmptyList?: boolean;
  /** tests.yml file(s). Default: `tests.yml` at the root if it exists, else built-in defaults. */
  config?: string | string[];
  /** Coverage map path(s); 'none' to select without one. Default: config `coverage_map`. */
  coverageMap?: string | string[];
  labels?: string[];
  /** JUnit XML report(s) of a previous run: their failed tests run again. */
  previousFailures?: string[];
  /**
   * `auto` (default): block data where the map has it for a file that did not change since it
   * was recorded, else file level with the reason; `file`: file level only; `block`: as auto,
   * and a warning when the map has no block data at all.
   */
  granularity?: SelectGranularity;
  /** How many times to deepen a shallow clone looking for the merge-base. */
  deepen?: number;
  env?: Record<string, string | undefined>;
  /** The clock for map-age checks (tests). */
  now?: Date;
  /**
   * The strategies that find tests, in order (each test's reasons come in this order). Default
   * `builtinStrategies`; pass your own list, e.g. `[...builtinStrategies, mine]`, to add a way of
   * finding tests. Names must be unique: a reason is explained by the strategy of its name.
   * `previousFailures` appends the previous-failure strategy to whichever list this is. A
   * strategy that throws makes detect run the full suite, naming it.
   */
  strategies?: readonly Strategy[];
}

/** A Selection plus what detect saw on the way (for `explain`). */
export interface DetectResult extends Selection {
  /** Files changed between the map's commit and the diff base, treated as changed. */
  staleFiles: string[];
  /** Changed files nothing explains. */
  unmapped: string[];
  /** Changed files under `ignore`. */
  ignored: string[];
  /** How the coverage map answered per changed file (block level and where, or file level and why). */
  fileNotes: FileNote[];
  changes: ChangedFile[];
  /** The universe size, for messages (full mode). */
  universeSize?: number;
  /** The strategies that selected: they describe their reasons (explain, markdown, HTML report). */
  strategies: readonly Strategy[];
  /**
   * Where detect ran, relative to the repository root ('' at the root): the list output gives
   * test paths relative to it, so `vitest run $(testsift detect)` works from a package.
   */
  cwd: string;
  /**
   * The test files a full run has, sorted, for the summary's "3 of 8" and its time estimate;
   * listed on first read. In full mode, and without a map that lists its tests, exactly the
   * universe (the `tests:` globs). In selective mode with such a map: the map's tests that exist
   * plus the files matching the globs that it lacks. Globbing every file of the test folders
   * (25k at GitLab scale) would cost about as much as detect itself; a test the runner
   * recorded is a test file, so the count differs only if `tests:` leaves out files it ran.
   */
  readonly allTests: readonly string[];
}

/**
 * Which tests does this change need? Combines the changed tests, tests.yml and the coverage map,
 * then applies the full-suite policy. Invalid *configuration* throws (InputError, exit 2); an
 * unusable *artifact* (map) or any failure while selecting falls back to the full suite with the
 * reason — never to a smaller selection.
 */
export async function detectTests(opts: DetectOptions = {}): Promise<DetectResult> {
  const strategies = strategyList(opts);
  const cwd = resolve(opts.cwd ?? process.cwd());
  const repoRoot = findRepoRoot(cwd);
  const root = repoRoot ?? cwd;
  const config = await loadDetectConfig(cwd, root, opts.config);
  const changes = await getChangeSet({
    cwd: root,
    repoRoot,
    base: opts.base,
    head: opts.head,
    includeUncommitted: opts.includeUncommitted,
    changedFiles: opts.changedFiles,
    changedFileList: opts.changedFileList,
    allowEmptyList: opts.allowEmptyList,
    labels: opts.labels,
    lineRanges: (opts.granularity ?? 'auto') !== 'file',
    deepen: opts.deepen,
    env: opts.env,
    stdinText: opts.stdinText,
  });

  // In a repository the test folders are listed from git's index, started now so the listing
  // overlaps reading the map: one process instead of a readdir per folder (GitLab: ~1,500), and
  // exactly what a CI checkout holds. With uncommitted work asked for, the tree itself is walked
  // (untracked tests count there).
  const bases = globBases(config.tests);
  const tracked = repoRoot && !opts.includeUncommitted ? listTrackedFiles(root, bases) : undefined;
  const warnings = [...(config.warnings ?? []), ...changes.warnings];
  const reasons: string[] = [];
  let staleFiles: string[] = [];
  let map: CoverageMap | undefined;
  let maps: CoverageMap[] = [];
  let mapInfo: Selection['map'];

  // The map is an artifact that may be absent or broken in CI: degrade to the full suite.
  const mapPaths = resolveMapPaths(opts.coverageMap, config, cwd, root);
  if (mapPaths.length > 0) {
    const loaded: CoverageMap[] = [];
    for (const { label: p, abs } of mapPaths) {
      // A folder is a map too (Crystalball maps, per-test istanbul coverage): the loader sniffs it.
      if (!existsSync(abs)) {
        reasons.push(`coverage map ${p} not found (record one, or pass --coverage-map none to select by tests.yml alone)`);
        continue;
      }
      const maxAgeHours = config.fullSuite.maxMapAgeHours ?? (repoRoot ? undefined : DEFAULT_MAX_MAP_AGE_HOURS);
      const freshness = { repoRoot, changes, maxAgeHours, now: opts.now ?? new Date() };
      try {
        // A map that records no commit means the full suite whatever it holds: decided from its
        // format or first document, before reading what may be a 1 GB foreign map in full.
        const peeked = await peekNoCommitMetadata(abs);
        if (peeked) {
          const fresh = await checkMapFreshness({ metadata: peeked }, p, freshness);
          reasons.push(...fresh.reasons);
          warnings.push(...fresh.warnings);
          mapInfo ??= { path: p, format: peeked.format, commit: undefined, timestamp: peeked.timestamp, granularity: peeked.granularity };
          continue;
        }
        // Paths in foreign maps are made relative to the repository, not to wherever detect runs.
        const m = await loadCoverageMap(abs, { root, onWarning: (w) => warnings.push(w) });
        await fetchMapCommit(m, repoRoot, changes, opts, warnings);
        const fresh = await checkMapFreshness(m, p, freshness);
        pushAll(reasons, fresh.reasons);
        pushAll(warnings, fresh.warnings);
        pushAll(staleFiles, fresh.staleFiles);
        loaded.push(m);
        mapInfo ??= { path: p, format: m.metadata.format, commit: m.metadata.commit, timestamp: m.metadata.timestamp, granularity: m.metadata.granularity };
        if (mapInfo.path === p && m.metadata.recordings) mapInfo.commits = m.metadata.recordings.map((r) => r.commit);
      } catch (err) {
        if (!(err instanceof TestsiftError)) throw err;
        reasons.push(`coverage map ${p} is unusable: ${err.message}`);
      }
    }
    maps = loaded;
    map = loaded.length === 1 ? loaded[0] : loaded.length > 1 ? new UnionCoverageMap(loaded) : undefined;
  }
  for (const r of reasons) warnings.push(r);
  // Without `tests:` in tests.yml, the runner's own universe recorded in the map (its folders lie
  // under the default globs' base, the whole repository, so the listing above covers them).
  const isTest = config.testsDefaulted && map ? recordedTestMatcher(config, maps, map, warnings) : testMatcher(config);

  staleFiles = [...new Set(staleFiles)].sort(comparePaths);
  const seen = new Set(changes.files.flatMap((f) => (f.oldPath ? [f.path, f.oldPath] : [f.path])));
  const stale: ChangedFile[] = staleFiles.filter((p) => !seen.has(p)).map((p) => ({ path: p, status: 'modified' as const }));
  const effective: ChangeSet = { ...changes, files: [...changes.files, ...stale] };

  const listing = await tracked;
  const files = createFileIndex(root, undefined, listing ? { dirs: bases, files: listing, sorted: true } : undefined);
  // Every file under the folders the `tests:` globs can reach, and those of them that match:
  // the map's tests are looked up in the first, so the globs run only over files it lacks.
  const testFolderFiles = memo(() => files.under(bases));
  const universe = memo(() => testFolderFiles().filter(isTest)); // under() is sorted
  const ctx: StrategyContext = {
    root,
    changes: effective,
    config,
    map,
    isTest,
    files,
    universe,
    testFolderFiles,
    staleFiles: new Set(staleFiles),
    granularity: opts.granularity ?? 'auto',
    universeJoin: universeJoiner(testFolderFiles),
  };

  const groups: CandidateGroup[] = [];
  const fileNotes: FileNote[] = [];
  const explained = new Set<string>();
  // Set when the map turns out broken only as it is read (a corrupt row or test-name table).
  let mapFailed = false;
  for (const s of strategies) {
    try {
      const r = await s.select(ctx);
      pushAll(groups, r.groups);
      for (const e of r.explained) explained.add(e);
      if (r.fullSuiteReasons) pushAll(reasons, r.fullSuiteReasons);
      if (r.warnings) pushAll(warnings, r.warnings);
      if (r.fileNotes) pushAll(fileNotes, r.fileNotes);
    } catch (err) {
      // A config problem is an error to fix; anything else (a corrupt map row, git trouble)
      // means this selection cannot be trusted: run everything and say why.
      if (err instanceof InputError) throw err;
      if (err instanceof MapError) mapFailed = true;
      reasons.push(`strategy ${s.name} failed: ${(err as Error).message}`);
    }
  }

  // Tests of the map found in the test folders exist; only the others are looked up one by one.
  const exists: KeepTests = Object.assign((t: string) => files.exists(t), {
    present: (table: TestIdTable) => ctx.universeJoin(table).present,
  });
  // The plain list is what CI runs; the per-test reasons (one entry per test and changed file,
  // ~125k at GitLab scale for a few hot files) are built only when JSON or explain reads them.
  let selected: string[] | undefined;
  if (!mapFailed) {
    try {
      selected = selectedTests(groups, exists);
    } catch (err) {
      if (!(err instanceof MapError)) throw err;
      mapFailed = true;
      reasons.push(`coverage map unusable: ${err.message}`);
    }
  }
  // A broken map names nothing more (its id groups need its test names): the full suite its
  // failure forces runs those tests, and the other strategies' reasons stay.
  const usable = mapFailed ? groups.filter((g) => !('bits' in g)) : groups;
  selected ??= selectedTests(usable, exists);
  let detailed: SelectedTest[] | undefined;
  const selection = () => (detailed ??= unionGroups(usable).filter((s) => exists(s.test)));
  // A changed configuration file is accounted for by its own full-suite reason, not "unmapped".
  const configFiles = configPaths(cwd, root, opts.config);
  for (const f of configFiles) explained.add(f);
  const decision = decideMode({ config, changes, effective, explained, isTest, configFiles, reasons: dedupe(reasons) });
  const { mode } = decision;

  let tests: string[];
  let universeSize: number | undefined;
  if (mode === 'full') {
    tests = [...universe()];
    universeSize = tests.length;
  } else {
    tests = selected;
  }
  const table = mapFailed ? undefined : map;
  const allTests = memo((): readonly string[] => {
    if (mode === 'full' || !table) return universe();
    try {
      const join = ctx.universeJoin(table);
      const names = table.testNames();
      const recorded: string[] = [];
      for (let id = 0; id < table.testCount; id++) if (join.present[id >>> 5]! & (1 << (id & 31))) recorded.push(names[id]!);
      return mergeSorted(recorded, join.missing.filter(isTest));
    } catch (err) {
      // A map found corrupt only now: the summary still counts, the slow way.
      if (!(err instanceof MapError)) throw err;
      return universe();
    }
  });
  // Checked where it is free (full mode walked the universe) or where nothing would run.
  if (mode === 'full' || tests.length === 0) warnings.push(...emptyUniverseWarnings(config, root, mode, universe()));

  return {
    mode,
    reasons: decision.reasons,
    tests,
    get selection() {
      return selection();
    },
    changedFiles: changes.files.map((f) => f.path),
    failFast: failFastSubset(usable, strategies, config.failFast.threshold, exists),
    warnings: dedupe(warnings),
    base: changes.base,
    head: changes.head,
    mergeBase: changes.mergeBase,
    labels: changes.labels,
    map: mapInfo,
    staleFiles,
    unmapped: decision.unmapped,
    ignored: decision.ignored,
    fileNotes,
    changes: changes.files,
    universeSize,
    strategies,
    cwd: repoRoot ? toPosix(relative(repoRoot, cwd)) : '',
    get allTests() {
      return allTests();
    },
  };
}

/** The strategies to run: the caller's or the built-in ones, then previous failures when asked. */
function strategyList(opts: DetectOptions): Strategy[] {
  const list: Strategy[] = [...(opts.strategies ?? builtinStrategies)];
  if (opts.previousFailures?.length) list.push(previousFailuresStrategy(opts.previousFailures));
  const names = new Set<string>();
  for (const s of list) {
    if (names.has(s.name))
      throw new UsageError(`detect: two strategies are named '${s.name}': a reason is explained by the strategy of its name, so names must be unique`);
    names.add(s.name);
  }
  return list;
}

/**
 * In a shallow clone (a merge-request pipeline clones only its branch), a map recorded on the
 * target branch after the fork is not there: fetch it, when fetching is allowed (`deepen`), so
 * its staleness can be checked instead of running the full suite.
 */
async function fetchMapCommit(map: CoverageMap, repoRoot: string | undefined, changes: ChangeSet, opts: DetectOptions, notes: string[]): Promise<void> {
  const { commit, recordings } = map.metadata;
  const commits = recordings?.length ? recordings.map((r) => r.commit) : commit ? [commit] : [];
  const steps = opts.deepen ?? 0;
  if (!repoRoot || commits.length === 0 || steps <= 0 || changes.source !== 'git') return;
  const base = changes.mergeBase ?? changes.headCommit ?? 'HEAD';
  for (const c of commits) await fetchMissingCommit(repoRoot, c, { base, steps, depth: DEFAULT_DEEPEN_BY, env: opts.env ?? process.env }, notes);
}

export function testMatcher(config: Config): (path: string) => boolean {
  // The globs' regular expressions, tested directly: picomatch's matcher function costs several
  // times the regex per call, and the universe asks for every file of the test folders.
  const m = anyGlob(config.tests);
  return (p) => !p.includes('node_modules/') && m(p);
}

function memo<T>(f: () => T): () => T {
  let value: T | undefined;
  let done = false;
  return () => {
    if (!done) {
      value = f();
      done = true;
    }
    return value as T;
  };
}

/** Two sorted, duplicate-free lists as one. */
function mergeSorted(a: readonly string[], b: readonly string[]): string[] {
  if (b.length === 0) return a as string[];
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && comparePaths(a[i]!, b[j]!) < 0)) out.push(a[i++]!);
    else {
      if (i < a.length && a[i] === b[j]) i++;
      out.push(b[j++]!);
    }
  }
  return out;
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}
