// Scores `detect` against the stored oracle (data/<project>.json + its map), offline: no project
// checkout and no suite run. Per project a scratch git repository is built in bench/.data with
// placeholder files at the project's paths (the test files, and each mutated source with its
// real line count), the stored map re-imported at that repository's base commit, and per mutant
// a commit that changes exactly the mutant's lines. `git diff` then gives detect the same paths
// and hunks as the real mutant, which is all detect reads of a change; the project's code never
// enters this repository.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { writeFunctionLevelMap, hasBranchBlocks } from './function-level.mjs';
import { dataDir, git, testsiftRoot } from './lib.mjs';

const scratchRoot = join(testsiftRoot, 'bench/.data/quality');
const cli = join(testsiftRoot, 'dist/bin/testsift.cjs');
const ENV = {
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.invalid',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.invalid',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
};

const placeholder = (path, lines, tag = 'base') => Array.from({ length: lines }, (_, i) => `// ${tag} ${path} ${i + 1}`).join('\n');

function mutatedPlaceholder(m) {
  const lines = placeholder(m.file, m.fileLines).split('\n');
  const fresh = Array.from({ length: m.newLineCount }, (_, i) => `// ${m.id} ${i + 1}`);
  lines.splice(m.startLine - 1, m.endLine - m.startLine + 1, ...fresh);
  return lines.join('\n');
}

/** Builds the scratch repository of one project; returns { dir, base }. */
function buildRepo(data) {
  const dir = join(scratchRoot, data.project);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const env = { ...process.env, ...ENV };
  git(dir, ['init', '-q', '-b', 'main'], { env });
  const lineCounts = new Map();
  for (const m of data.mutants) lineCounts.set(m.file, m.fileLines);
  for (const f of data.testFiles) lineCounts.set(f, 1);
  for (const [f, n] of lineCounts) {
    mkdirSync(join(dir, dirname(f)), { recursive: true });
    writeFileSync(join(dir, f), placeholder(f, n));
  }
  git(dir, ['add', '-A'], { env });
  git(dir, ['commit', '-q', '-m', 'base'], { env });
  const base = git(dir, ['rev-parse', 'HEAD']).trim();
  // The stored map, its commit set to this base (the placeholders stand for the pinned commit).
  const stored = join(dataDir, data.map);
  const raw = data.map.endsWith('.gz') ? gunzipSync(readFileSync(stored)) : readFileSync(stored);
  writeFileSync(join(dir, '.stored-map.json'), raw);
  const r = spawnSync(process.execPath, [cli, 'map', 'import', join(dir, '.stored-map.json'), '--output', join(dir, '.testsift/map.json'), '--commit', base], {
    cwd: dir,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`map import failed: ${r.stderr}`);
  return { dir, base, env };
}

/** A commit on top of `base` holding mutant `m` (plumbing only: the work tree stays at base). */
function mutantCommit(repo, m) {
  const index = join(repo.dir, '.git/bench-index');
  const env = { ...repo.env, GIT_INDEX_FILE: index };
  git(repo.dir, ['read-tree', repo.base], { env });
  const blob = git(repo.dir, ['hash-object', '-w', '--stdin'], { env, input: mutatedPlaceholder(m) }).trim();
  git(repo.dir, ['update-index', '--cacheinfo', `100644,${blob},${m.file}`], { env });
  const tree = git(repo.dir, ['write-tree'], { env }).trim();
  return git(repo.dir, ['commit-tree', tree, '-p', repo.base, '-m', m.id], { env }).trim();
}

const share = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

/**
 * What detect is asked for a granularity of the bench: detect's own (`file`, `block`, `auto`),
 * or `function`: block level on the stored map cut down to functions (function-level.mjs), the
 * function-level answer of the same recording.
 */
export async function detectOptionsFor(repo, g) {
  if (g !== 'function') return { granularity: g };
  const derived = join(repo.dir, '.testsift/map.function.json');
  await writeFunctionLevelMap(join(repo.dir, '.testsift/map.json'), derived);
  return { granularity: 'block', coverageMap: derived };
}

/**
 * Scores one project at each granularity. Returns per granularity { safe, killed, share,
 * fullSuite } and the same for the oracle and `vitest related`; `branchBlocks`: whether the
 * stored map has blocks inside functions (without them `block` is function level).
 */
export async function scoreProject(name, granularities) {
  const data = JSON.parse(readFileSync(join(dataDir, `${name}.json`), 'utf8'));
  const { detectTests } = await import(join(testsiftRoot, 'dist/index.js'));
  const repo = buildRepo(data);
  const total = data.testFiles.length;
  const scored = data.mutants.filter((m) => m.verdict === 'killed' || m.verdict === 'survived');
  const killed = scored.filter((m) => m.verdict === 'killed');
  const rows = [];
  const misses = [];
  /** granularity → mutant id → selected test files (for checks against a real clone). */
  const selections = {};
  const commits = new Map(scored.map((m) => [m.id, mutantCommit(repo, m)]));
  for (const g of granularities) {
    const sizes = [];
    let safe = 0;
    let full = 0;
    let unsupported;
    selections[g] = {};
    const opts = await detectOptionsFor(repo, g);
    for (const m of scored) {
      let r;
      try {
        r = await detectTests({ cwd: repo.dir, base: repo.base, head: commits.get(m.id), ...opts, env: {} });
      } catch (err) {
        unsupported = err.message;
        break;
      }
      if (r.mode === 'full') full++;
      const selected = new Set(r.tests);
      selections[g][m.id] = r.tests;
      sizes.push(selected.size / total);
      if (m.verdict === 'killed') {
        const missed = m.failing.filter((f) => !selected.has(f));
        if (missed.length === 0) safe++;
        else misses.push({ granularity: g, mutant: m.id, file: m.file, line: m.startLine, kind: m.kind, missed });
      }
    }
    rows.push(unsupported ? { what: `detect ${g}`, unsupported } : { what: `detect ${g}`, safe, share: share(sizes), full });
  }
  const relSizes = scored.map((m) => (data.related[m.file]?.length ?? total) / total);
  const relSafe = killed.filter((m) => m.failing.every((f) => (data.related[m.file] ?? data.testFiles).includes(f))).length;
  rows.push({ what: 'vitest related', safe: relSafe, share: share(relSizes), full: 0 });
  rows.push({ what: 'oracle (failing files)', safe: killed.length, share: share(scored.map((m) => m.failing.length / total)), full: 0 });
  const branchBlocks = await hasBranchBlocks(join(repo.dir, '.testsift/map.json'));
  return { data, total, scored: scored.length, killed: killed.length, excluded: data.mutants.length - scored.length, rows, misses, selections, branchBlocks };
}

export function availableProjects() {
  return existsSync(dataDir)
    ? readFileSync(join(dataDir, '..', 'projects.json'), 'utf8') &&
        JSON.parse(readFileSync(join(dataDir, '..', 'projects.json'), 'utf8'))
          .projects.map((p) => p.name)
          .filter((n) => existsSync(join(dataDir, `${n}.json`)))
    : [];
}
