#!/usr/bin/env node
// Builds the oracle of the mutation benchmark for one project (slow: one full suite per mutant,
// two for the killed ones). Not run by `npm run bench`; the scorer reads what this writes.
//
//   node bench/quality/oracle.mjs <project> --checkout DIR [--mutants N]
//
// DIR: a clone of the project at its pinned commit (projects.json) with its dependencies
// installed by its own install command. The checkout is left as found (mutated files are
// restored after each run); the wrapper config and node_modules/testsift it adds are untracked.
//
// Writes bench/quality/data/<project>.json: the test files, the baseline's failing files (failing
// without any mutant: excluded from every verdict), per source file the files `vitest related`
// runs, and per mutant its verdict and failing test files; and data/<project>.map.json, the
// testsift map recorded at the pinned commit (TESTSIFT_GRANULARITY=block).
import { existsSync, readFileSync, writeFileSync, renameSync, mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { checkCheckout, dataDir, failingOf, git, installTestsift, project, runSuite, testsiftRoot, WRAPPER, writeWrapperConfig } from './lib.mjs';
import { applyMutant, sampleMutants } from './mutate.mjs';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { checkout: { type: 'string' }, mutants: { type: 'string' } } });
const p = project(positionals[0] ?? '');
if (!values.checkout) throw new Error('--checkout DIR is required (a clone at the pinned commit, dependencies installed)');
const repoDir = values.checkout;
const pkgDir = join(repoDir, p.packageDir ?? '.');
checkCheckout(p, repoDir);
if (!existsSync(join(testsiftRoot, 'dist/integrations/vitest/index.js'))) throw new Error('build testsift first: npm run build');
mkdirSync(dataDir, { recursive: true });
const outFile = join(dataDir, `${p.name}.json`);

const writeAtomic = (file, content) => {
  writeFileSync(`${file}.tmp`, content);
  renameSync(`${file}.tmp`, file);
};
const log = (...a) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${p.name}:`, ...a);

installTestsift(pkgDir);
writeWrapperConfig(p, pkgDir);
const ownConfig = p.vitestConfig ? join(pkgDir, p.vitestConfig) : undefined;

// Baseline, twice: what fails without a mutant (order-dependent failures of isolate: false
// suites included) never counts as a mutant's verdict.
const base1 = runSuite(p, repoDir, { config: ownConfig });
if (!base1.ok) throw new Error(`baseline run failed to report:\n${base1.stderr}`);
const base2 = runSuite(p, repoDir, { config: ownConfig });
const testFiles = [...new Set([...base1.files, ...base2.files].map((f) => f.file))].sort();
const baselineFailing = [...new Set([...failingOf(base1), ...failingOf(base2)])].sort();
const suiteSeconds = Math.min(base1.seconds, base2.seconds);
// Test files the project declares unreliable (projects.json `unreliableTests`, globs with `*`):
// real-timer tests whose pass/fail follows the machine's load, not the code. Two runs cannot
// tell such a failure from a kill on a busy machine, so they never count as a mutant's verdict.
const globRe = (g) =>
  new RegExp(
    `^${g
      .split('*')
      .map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]*')}$`,
  );
const unreliableTests = testFiles.filter((f) => (p.unreliableTests ?? []).some((g) => globRe(g).test(f)));
log(`${testFiles.length} test files, baseline failing: ${baselineFailing.length}, unreliable: ${unreliableTests.length}, suite ${suiteSeconds.toFixed(1)} s`);

// The map at the pinned commit, recorded by the real plugin.
const mapOut = join(pkgDir, '.testsift/bench-map.json');
const rec = runSuite(p, repoDir, {
  config: join(pkgDir, WRAPPER),
  env: { TESTSIFT_RECORD: '1', TESTSIFT_GRANULARITY: 'block', TESTSIFT_MAP_OUT: mapOut, TESTSIFT_TIMINGS_OUT: join(pkgDir, '.testsift/bench-timings.json') },
});
if (!existsSync(mapOut)) throw new Error(`recording wrote no map:\n${rec.stderr}`);
const mapBytes = readFileSync(mapOut);
const mapName = mapBytes.length > 2_000_000 ? `${p.name}.map.json.gz` : `${p.name}.map.json`;
writeAtomic(join(dataDir, mapName), mapBytes.length > 2_000_000 ? gzipSync(mapBytes) : mapBytes);
log(`map ${mapBytes.length} bytes -> data/${mapName}`);

// Mutants over the non-test sources.
const isSource = (f) =>
  p.sources.some((s) => f.startsWith(s)) &&
  /\.(c|m)?tsx?$/.test(f) &&
  !/\.d\.(c|m)?ts$/.test(f) &&
  !/\.(test|spec|bench)(-d|-prop)?\.[cm]?tsx?$/.test(f) && // -prop: property tests (remeda)
  !/(^|\/)(__tests__|test|tests|__mocks__|fixtures?)\//.test(f);
const sourceFiles = git(repoDir, ['ls-files']).split('\n').filter(isSource);
const files = sourceFiles.map((path) => ({ path, text: readFileSync(join(repoDir, path), 'utf8') }));
const count = Number(values.mutants ?? p.mutants);
const { sites, mutants } = sampleMutants(files, count, p.seed);
log(`${sourceFiles.length} source files, ${sites} mutation sites, ${mutants.length} sampled`);

// The static-import-graph baseline: what `vitest related` runs for each mutated file.
const related = {};
for (const f of [...new Set(mutants.map((m) => m.file))].sort()) {
  const r = runSuite(p, repoDir, { config: ownConfig, command: ['related', join(repoDir, f), '--run', ...(p.runArgs ?? ['run']).slice(1)] });
  if (!r.ok) throw new Error(`vitest related ${f} failed to report:\n${r.stderr}`);
  related[f] = r.files.map((x) => x.file).sort();
}
log(
  `vitest related: ${Object.entries(related)
    .map(([f, t]) => `${f}→${t.length}`)
    .join(', ')}`,
);

const data = {
  project: p.name,
  repo: p.repo,
  commit: p.commit,
  // The Vitest that ran: next to the entry the runs used (a workspace may hoist it to the root).
  vitest: JSON.parse(readFileSync(join(pkgDir, dirname(p.vitestBin ?? 'node_modules/vitest/vitest.mjs'), 'package.json'), 'utf8')).version,
  generated: new Date().toISOString(),
  map: mapName,
  suiteSeconds: Number(suiteSeconds.toFixed(2)),
  testFiles,
  baselineFailing,
  unreliableTests,
  sourceFiles: sourceFiles.length,
  mutationSites: sites,
  related,
  mutants: [],
};
const save = () => writeAtomic(outFile, `${JSON.stringify(data, null, 1)}\n`);
save();

const timeoutMs = Math.round(suiteSeconds * 1000 * 5 + 60_000);
const notBaseline = (files) => files.filter((f) => !baselineFailing.includes(f) && !unreliableTests.includes(f));
for (const m of mutants) {
  const abs = join(repoDir, m.file);
  const original = readFileSync(abs, 'utf8');
  writeFileSync(abs, applyMutant(original, m));
  let verdict;
  let failing = [];
  try {
    const r1 = runSuite(p, repoDir, { config: ownConfig, timeoutMs });
    if (r1.timedOut) verdict = 'timeout';
    else if (!r1.ok) verdict = 'error';
    else {
      failing = notBaseline(failingOf(r1));
      if (failing.length === 0) verdict = 'survived';
      else {
        // Rerun: a file counts as failing only when it fails both times.
        const r2 = runSuite(p, repoDir, { config: ownConfig, timeoutMs });
        const again = r2.ok ? new Set(notBaseline(failingOf(r2))) : new Set();
        const flaky = failing.filter((f) => !again.has(f));
        failing = failing.filter((f) => again.has(f));
        verdict = failing.length ? 'killed' : 'flaky';
        if (flaky.length && failing.length) m.flakyFiles = flaky;
      }
    }
  } finally {
    writeFileSync(abs, original);
  }
  data.mutants.push({ ...m, verdict, failing });
  save();
  log(`${m.id} ${m.kind} ${m.file}:${m.startLine} ${verdict}${failing.length ? ` (${failing.length} files)` : ''}`);
}
if (git(repoDir, ['status', '--porcelain', '--untracked-files=no']).trim()) throw new Error('checkout left dirty');
const v = (k) => data.mutants.filter((m) => m.verdict === k).length;
log(`done: ${v('killed')} killed, ${v('survived')} survived, ${v('flaky')} flaky, ${v('timeout')} timeout, ${v('error')} error -> ${relative(process.cwd(), outFile)}`);
