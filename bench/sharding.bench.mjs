// Sharding bench (`npm run bench -- sharding`). On every real timing report in
// ../shared/data/real/timings it measures, for N = 2…64, the predicted makespan ÷ the lower bound
// max(longest, total/N) for testsift's allocator, greedy LPT (knapsack), Karmarkar–Karp and the
// runners' hash-count sharding; the gain of balancing the selection over GitLab's
// shard-then-intersect on random 20% selections; and the time to split 30,000 files into 64
// shards against Node's JSON.parse of the same report, both measured in this run.
// SHARDING_BENCH_DETAIL=1 also prints every (report, N) row.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { allocateShards, hashCountShards, parseTimingReport, readTimingReport } from '../dist/sharding/index.js';
import { timedTests } from '../dist/sharding/allocate.js';
import { karmarkarKarp } from '../dist/sharding/karmarkar-karp.js';

const REAL = new URL('../../shared/data/real/timings/', import.meta.url).pathname;
const NYPL_ROOT = '/Users/edwinguzman/projects/ds/nypl-design-system';
const DETAIL = process.env.SHARDING_BENCH_DETAIL === '1';
const NS = Array.from({ length: 63 }, (_, i) => i + 2);

/** Seeded RNG (mulberry32): the selections and the synthetic report are the same every run. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (x, d = 4) => x.toFixed(d);

/**
 * knapsack's ReportDistributor, written out independently of src/ so the "never worse than LPT"
 * check does not compare our code with itself: time descending (ties by path), each file to the
 * lightest node (min_by: lowest index on ties).
 */
function knapsackLpt(tests, report, n) {
  const sorted = [...tests].sort((a, b) => report.get(b) - report.get(a) || (a < b ? -1 : a > b ? 1 : 0));
  const loads = new Array(n).fill(0);
  const shards = Array.from({ length: n }, () => []);
  for (const t of sorted) {
    let best = 0;
    for (let i = 1; i < n; i++) if (loads[i] < loads[best]) best = i;
    loads[best] += report.get(t);
    shards[best].push(t);
  }
  return shards;
}

function makespanOf(shards, report) {
  return Math.max(...shards.map((s) => sum(s.map((t) => report.get(t)))));
}

function kkMakespan(tests, report, n) {
  const { items } = timedTests(tests, report);
  const times = Float64Array.from(items, (i) => i.seconds);
  const shardOf = karmarkarKarp(times, n);
  const loads = new Float64Array(n);
  for (let i = 0; i < times.length; i++) loads[shardOf[i]] += times[i];
  return Math.max(...loads);
}

const reports = [];
for (const name of readdirSync(REAL).sort()) reports.push({ name, report: await readTimingReport(join(REAL, name), { root: NYPL_ROOT }) });
const short = (name) => name.replace(/(_knapsack_rspec_report\.json|\.json|__\.test_durations|__\.jest-test-results)$/, '').slice(0, 46);

// ── 1. Balance on the full reports ────────────────────────────────────────────────────────────
console.log('\n1. makespan ÷ lower bound max(longest, total/N), N = 2…64 (worst / mean over N)');
console.log(
  `${'report'.padEnd(46)} ${'files'.padStart(5)}  ${'testsift'.padStart(15)}  ${'LPT'.padStart(15)}  ${'KK'.padStart(15)}  ${'hash-count'.padStart(15)}  LPT>1%  ts<LPT`,
);
const all = { ts: [], lpt: [], kk: [], hash: [] };
let worseThanLpt = 0;
let missed1pct = 0;
let betterThanLpt = 0;
const detail = [];
const perN = new Map(NS.map((n) => [n, { ts: [], lpt: [], kk: [], hash: [] }]));
for (const { name, report } of reports) {
  const tests = [...report.keys()];
  const rows = { ts: [], lpt: [], kk: [], hash: [] };
  let lptOver = 0;
  let tsBetter = 0;
  for (const n of NS) {
    const plan = allocateShards(tests, report, n);
    const lb = plan.lowerBound;
    const ts = plan.makespan / lb;
    const lpt = makespanOf(knapsackLpt(tests, report, n), report) / lb;
    const kk = kkMakespan(tests, report, n) / lb;
    const hash = makespanOf(hashCountShards(tests, n, 'vitest'), report) / lb;
    for (const [k, v] of Object.entries({ ts, lpt, kk, hash })) {
      rows[k].push(v);
      all[k].push(v);
      perN.get(n)[k].push(v);
    }
    if (ts > lpt * (1 + 1e-12)) worseThanLpt++;
    if (lpt <= 1.01 && ts > 1.01) missed1pct++;
    if (lpt > 1.01) lptOver++;
    if (ts < lpt * (1 - 1e-12)) {
      tsBetter++;
      betterThanLpt++;
    }
    if (DETAIL) detail.push(`${short(name).padEnd(46)} N=${String(n).padStart(2)}  ts ${fmt(ts)}  lpt ${fmt(lpt)}  kk ${fmt(kk)}  hash ${fmt(hash)}`);
  }
  const cell = (xs) => `${fmt(Math.max(...xs))}/${fmt(sum(xs) / xs.length)}`.padStart(15);
  console.log(
    `${short(name).padEnd(46)} ${String(report.size).padStart(5)}  ${cell(rows.ts)}  ${cell(rows.lpt)}  ${cell(rows.kk)}  ${cell(rows.hash)}  ${String(lptOver).padStart(6)}  ${String(tsBetter).padStart(6)}`,
  );
}
console.log(`\nper N over the ${reports.length} reports (worst / median)`);
console.log(`${'N'.padStart(3)}  ${'testsift'.padStart(15)}  ${'LPT'.padStart(15)}  ${'KK'.padStart(15)}  ${'hash-count'.padStart(15)}`);
for (const [n, r] of perN) {
  const cell = (xs) => `${fmt(Math.max(...xs))}/${fmt(median(xs))}`.padStart(15);
  console.log(`${String(n).padStart(3)}  ${cell(r.ts)}  ${cell(r.lpt)}  ${cell(r.kk)}  ${cell(r.hash)}`);
}
if (DETAIL) console.log(detail.join('\n'));
const cases = all.ts.length;
console.log(
  `all ${cases} (report, N) cases: worst testsift ${fmt(Math.max(...all.ts))}, LPT ${fmt(Math.max(...all.lpt))}, KK ${fmt(Math.max(...all.kk))}, hash-count ${fmt(Math.max(...all.hash))}`,
);
console.log(
  `  hash-count ÷ testsift makespan: median ${fmt(median(all.hash.map((h, i) => h / all.ts[i])), 3)}, max ${fmt(Math.max(...all.hash.map((h, i) => h / all.ts[i])), 3)}`,
);
console.log(`  target "never worse than LPT": ${worseThanLpt === 0 ? 'MET' : `MISSED in ${worseThanLpt} cases`} (better than LPT in ${betterThanLpt} cases)`);
console.log(`  target "within 1% of the lower bound wherever LPT is": ${missed1pct === 0 ? 'MET' : `MISSED in ${missed1pct} cases`}`);
console.log(`  within 1% of the lower bound: testsift ${all.ts.filter((x) => x <= 1.01).length}/${cases}, LPT ${all.lpt.filter((x) => x <= 1.01).length}/${cases}`);

// ── 2. Selection-aware sharding vs shard-then-intersect ──────────────────────────────────────
// GitLab's way: LPT over the full report, then each job keeps its tests that are selected.
// testsift's way: the allocator on the selected tests only. Same N, same selection.
// "Useful N": N ≤ total/longest, where the full suite is bound by work rather than by its longest
// file — the N a team would configure (`shard --plan` never recommends more). Past it, both ways
// hit the longest selected file and the ratio is 1 by construction.
const SEEDS = 10;
const SEL_SHOW = [2, 4, 8, 16, 32, 64];
console.log(`\n2. shard-then-intersect makespan ÷ testsift makespan on random 20% selections (${SEEDS} per report and N = 2…64; medians)`);
console.log(`${'report'.padEnd(46)} ${SEL_SHOW.map((n) => `N=${n}`.padStart(7)).join('')}  useful N   all N  useful N`);
const gainsAll = [];
const gainsUseful = [];
for (const { name, report } of reports) {
  const tests = [...report.keys()].sort();
  const values = [...report.values()];
  const usefulMax = Math.floor(sum(values) / Math.max(...values));
  const byN = new Map();
  const mineAll = [];
  const mineUseful = [];
  for (const n of NS) {
    const full = knapsackLpt(tests, report, n);
    const g = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const rand = rng(seed * 7919 + n);
      const selected = new Set(tests.filter(() => rand() < 0.2));
      if (selected.size === 0) continue;
      const intersect = makespanOf(
        full.map((sh) => sh.filter((t) => selected.has(t))),
        report,
      );
      const ours = allocateShards([...selected], report, n).makespan;
      if (ours > 0) g.push(intersect / ours);
    }
    byN.set(n, median(g));
    mineAll.push(...g);
    if (n <= usefulMax) mineUseful.push(...g);
  }
  gainsAll.push(...mineAll);
  gainsUseful.push(...mineUseful);
  const useful = usefulMax >= 2 ? `2…${Math.min(usefulMax, 64)}` : '—';
  console.log(
    `${short(name).padEnd(46)} ${SEL_SHOW.map((n) => fmt(byN.get(n), 3).padStart(7)).join('')}  ${useful.padStart(8)}  ${fmt(median(mineAll), 3).padStart(6)}  ${mineUseful.length ? fmt(median(mineUseful), 3).padStart(8) : '       —'}`,
  );
}
const gu = median(gainsUseful);
console.log(
  `all reports, useful N: median gain ${fmt(gu, 3)}× over ${gainsUseful.length} selections (min ${fmt(Math.min(...gainsUseful), 3)}, max ${fmt(Math.max(...gainsUseful), 3)}); target ≥ 1.2×: ${gu >= 1.2 ? 'MET' : 'MISSED'}`,
);
console.log(`all reports, every N = 2…64: median gain ${fmt(median(gainsAll), 3)}× (includes N where both are bound by the longest selected file)`);
console.log(`testsift worse than shard-then-intersect in ${gainsAll.filter((g) => g < 1 - 1e-9).length} of ${gainsAll.length} selections`);

// ── 3. Speed: 30,000 files into 64 shards ─────────────────────────────────────────────────────
// No real report has 30,000 files (the largest has 2,278), so the report is synthetic: times
// drawn from the pooled real reports, paths spread over nested folders like a large monorepo.
const pool = reports.flatMap(({ report }) => [...report.values()]);
const rand = rng(42);
const big = {};
for (let i = 0; i < 30_000; i++) {
  const path = `spec/area${i % 40}/group${Math.floor(i / 40) % 25}/file_${i}_spec.rb`;
  big[path] = pool[Math.floor(rand() * pool.length)];
}
const text = JSON.stringify(big, null, 2);
const report = parseTimingReport('synthetic.json', text);
const tests = Object.keys(big);

/**
 * Fastest ms of each function over interleaved runs (a, b, c, a, b, c, …): load from other
 * processes on the machine hits the baseline and the candidates alike, and the minimum is the
 * cost of the code itself (a median on a shared 2-core machine measures the neighbours).
 */
function timeInterleaved(fns, runs = 41) {
  for (const fn of fns) for (let i = 0; i < 3; i++) fn(); // warm up the JIT
  const ms = fns.map(() => []);
  for (let r = 0; r < runs; r++) {
    fns.forEach((fn, i) => {
      globalThis.gc?.();
      const t0 = performance.now();
      fn();
      ms[i].push(performance.now() - t0);
    });
  }
  return ms.map((xs) => Math.min(...xs));
}
const [parseMs, readMs, lptMs, splitMs, bothMs] = timeInterleaved([
  () => JSON.parse(text),
  () => parseTimingReport('synthetic.json', text),
  () => allocateShards(tests, report, 64, { budgetMs: 0 }),
  () => allocateShards(tests, report, 64),
  () => {
    const r = parseTimingReport('synthetic.json', text);
    return allocateShards([...r.keys()], r, 64);
  },
]);
const plan = allocateShards(tests, report, 64);
console.log(`\n3. 30,000 files (${(text.length / 1e6).toFixed(1)} MB knapsack JSON) into 64 shards, fastest of 41 interleaved runs`);
console.log(`  JSON.parse of the report (baseline)   ${fmt(parseMs, 1).padStart(7)} ms`);
console.log(`  readTimingReport's parse + checks      ${fmt(readMs, 1).padStart(7)} ms   ${fmt(readMs / parseMs, 2)}× baseline`);
console.log(`  allocateShards, LPT only               ${fmt(lptMs, 1).padStart(7)} ms   ${fmt(lptMs / parseMs, 2)}× baseline`);
console.log(
  `  allocateShards (testsift)              ${fmt(splitMs, 1).padStart(7)} ms   ${fmt(splitMs / parseMs, 2)}× baseline   makespan ÷ lower bound ${fmt(plan.makespan / plan.lowerBound, 6)}`,
);
console.log(
  `  read + split, report text to shards    ${fmt(bothMs, 1).padStart(7)} ms   ${fmt(bothMs / parseMs, 2)}× baseline (what \`testsift shard\` does after start-up)`,
);
console.log(`  target ≤ 2× JSON.parse: ${splitMs <= 2 * parseMs ? 'MET' : 'MISSED'}; docs/performance.md target < 100 ms: ${splitMs < 100 ? 'MET' : 'MISSED'}`);
