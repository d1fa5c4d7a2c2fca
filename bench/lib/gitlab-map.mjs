// Deterministic generator of a GitLab-shaped coverage map: Rails-like source and spec paths, and
// per test file a set of executed sources with heavy-tailed fan-in (a few sources — think
// spec_helper's world — are executed by nearly every test, most by a handful) plus locality (a
// spec executes sources near the one it mirrors). Used by bench/scale.bench.mjs at full scale and
// by test/native at small scale, so the test checks the same shape the bench measures.
import { createRng } from './prng.mjs';

/** Bump when the output for the same options changes, so cached bench data is regenerated. */
export const GENERATOR_VERSION = 1;

const WORDS = (
  'project issue merge request pipeline job runner user group member note label milestone ' +
  'package registry container image build artifact deploy environment release tag branch commit ' +
  'repository wiki snippet import export mirror webhook audit event security vulnerability scan ' +
  'finding policy approval rule license dependency cluster agent token key access permission ' +
  'namespace board epic iteration cadence timelog todo notification email subscription billing ' +
  'plan quota usage metric alert incident status page feature flag search index analytics ' +
  'dashboard chart report export batch worker service finder serializer presenter entity ' +
  'resolver mutation type loader cache store lock lease schedule cron state machine'
)
  .split(/\s+/)
  .filter((w) => w.length <= 6); // short words: GitLab-like ~130 MB direct JSON

const SOURCE_ROOTS = [
  ['app/models', 'spec/models'],
  ['app/services', 'spec/services'],
  ['app/controllers', 'spec/controllers'],
  ['app/workers', 'spec/workers'],
  ['app/finders', 'spec/finders'],
  ['app/serializers', 'spec/serializers'],
  ['app/graphql/types', 'spec/graphql/types'],
  ['app/graphql/mutations', 'spec/graphql/mutations'],
  ['app/helpers', 'spec/helpers'],
  ['app/policies', 'spec/policies'],
  ['app/presenters', 'spec/presenters'],
  ['lib/gitlab', 'spec/lib/gitlab'],
  ['lib/api', 'spec/requests/api'],
  ['ee/app/models', 'ee/spec/models'],
  ['ee/app/services', 'ee/spec/services'],
  ['ee/lib/gitlab', 'ee/spec/lib/gitlab'],
];
const EXTRA_SPEC_ROOTS = ['spec/features', 'spec/requests', 'spec/frontend_integration', 'ee/spec/features', 'spec/migrations'];

function uniquePaths(rng, count, make) {
  const seen = new Set();
  const out = [];
  while (out.length < count) {
    let p = make();
    if (seen.has(p)) p = p.replace(/(\.\w+)$/, `_${out.length}$1`);
    if (seen.has(p)) continue;
    seen.add(p);
    out.push(p);
  }
  return out;
}

function snake(rng, n) {
  const parts = [];
  for (let i = 0; i < n; i++) parts.push(rng.pick(WORDS));
  return parts.join('_');
}

/**
 * @param {{sources: number, tests: number, edgesPerTest: number, seed?: number}} opts
 * @returns {{sources: string[], tests: string[], rows: Uint32Array[], edges: number}}
 *   sources sorted; tests sorted (JS order); rows[i] = sorted ids (indexes into tests) that
 *   executed sources[i]; some sources have empty rows (never executed).
 */
export function generateGitlabMap({ sources: nSources, tests: nTests, edgesPerTest, seed = 1 }) {
  const rng = createRng(seed);
  // Sources: a few namespaces per root, 1–2 levels deep, Rails-like snake_case names.
  const namespaces = Array.from({ length: Math.max(8, Math.round(nSources / 60)) }, () => (rng.next() < 0.9 ? snake(rng, 1) : snake(rng, 2).replace('_', '/')));
  const sourceInfo = uniquePaths(rng, nSources, () => {
    const root = rng.int(SOURCE_ROOTS.length);
    return `${root}|${SOURCE_ROOTS[root][0]}/${rng.pick(namespaces)}/${snake(rng, rng.next() < 0.6 ? 1 : 2)}.rb`;
  });
  const sourceRoot = new Map(sourceInfo.map((s) => [s.slice(s.indexOf('|') + 1), Number(s.slice(0, s.indexOf('|')))]));
  const sources = [...sourceRoot.keys()].sort();

  // Tests: ~75% mirror a source (spec/models/x_spec.rb for app/models/x.rb), the rest are
  // feature/request specs; each remembers the source index it is "about" for locality.
  const mirrored = Math.min(Math.round(nTests * 0.75), nSources);
  const order = Array.from(sources.keys());
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const testHome = new Map();
  for (let k = 0; k < mirrored; k++) {
    const s = sources[order[k]];
    const [src, spec] = SOURCE_ROOTS[sourceRoot.get(s)];
    testHome.set(spec + s.slice(src.length).replace(/\.rb$/, '_spec.rb'), order[k]);
  }
  while (testHome.size < nTests) {
    const p = `${rng.pick(EXTRA_SPEC_ROOTS)}/${rng.pick(namespaces)}/${snake(rng, rng.next() < 0.6 ? 1 : 2)}_spec.rb`;
    if (!testHome.has(p)) testHome.set(p, rng.int(nSources));
    else testHome.set(p.replace(/_spec\.rb$/, `_${testHome.size}_spec.rb`), rng.int(nSources));
  }
  const tests = [...testHome.keys()].sort();

  // Popularity: a random permutation of sources ranked by Zipf(1) weight — the heavy tail.
  const rankToSource = Array.from(sources.keys());
  for (let i = rankToSource.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [rankToSource[i], rankToSource[j]] = [rankToSource[j], rankToSource[i]];
  }
  const cdf = new Float64Array(nSources);
  let acc = 0;
  for (let r = 0; r < nSources; r++) cdf[r] = acc += 1 / (r + 1);
  const zipfSource = () => {
    const x = rng.next() * acc;
    let lo = 0;
    let hi = nSources - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return rankToSource[lo];
  };

  const rowLists = Array.from({ length: nSources }, () => []);
  const chosen = new Set();
  let edges = 0;
  const sigma = 0.7;
  for (let t = 0; t < tests.length; t++) {
    const home = testHome.get(tests[t]);
    const want = Math.max(3, Math.min(nSources, Math.round(edgesPerTest * Math.exp(sigma * rng.normal() - (sigma * sigma) / 2))));
    chosen.clear();
    chosen.add(home);
    for (let attempts = 0; chosen.size < want && attempts < want * 20; attempts++) {
      // 70% popularity-driven (shared infrastructure), 30% the neighbourhood of the home source.
      if (rng.next() < 0.7) chosen.add(zipfSource());
      else chosen.add(Math.min(nSources - 1, Math.max(0, home + rng.int(81) - 40)));
    }
    for (const s of chosen) rowLists[s].push(t);
    edges += chosen.size;
  }
  const rows = rowLists.map((l) => Uint32Array.from(l)); // pushed in ascending t: already sorted
  return { sources, tests, rows, edges };
}

/** Indexes of the `n` sources with the most tests. */
export function hottestSources(rows, n) {
  return Array.from(rows.keys())
    .sort((a, b) => rows[b].length - rows[a].length || a - b)
    .slice(0, n);
}
