// GitLab-scale bench (issue "GitLab scale", DESIGN §5): a generated map of 20k sources × 25k spec
// files × ~4.5M edges with heavy-tailed fan-in, as GitLab direct JSON, imported into the native
// format with `testsift map import`; then, in this one run, the baselines (bare Node start-up,
// Node JSON.parse-ing the direct JSON) and testsift's costs, reported as ratios against targets.
// Every measured output is also checked for correctness (the selection must equal the union of
// the generated rows). SCALE_PROFILE=0 skips the --cpu-prof run.
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarizeProfile } from './lib/cpuprofile.mjs';
import { fmt, medianMs, run, table } from './lib/measure.mjs';
import { ensureScaleData } from './lib/scale-data.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const node = process.execPath;
const bin = join(here, '..', 'dist', 'cli', 'bin', 'testsift.js');
const started = Date.now();

const data = ensureScaleData(join(here, '.data'));
const { paths, gen, changed, headSha } = data;
const directMb = statSync(paths.direct).size / 1e6;
console.log(
  `data: ${gen.sources.length} sources, ${gen.tests.length} spec files, ${gen.edges} edges; direct JSON ${fmt(directMb)} MB` +
    ` (${data.generatedNow ? 'generated' : 'cached'}, ${fmt(data.prepMs / 1000)} s)`,
);

// The answer every selection below must give: the union of the generated rows.
const index = new Map(gen.sources.map((s, i) => [s, i]));
const expected = new Set();
for (const f of changed) for (const t of gen.rows[index.get(f)] ?? []) expected.add(t);
const expectedList = [...expected].sort((a, b) => a - b).map((t) => gen.tests[t]).join('\n') + '\n';
const problems = [];
const step = (what) => process.stderr.write(`[${fmt((Date.now() - started) / 1000)} s] ${what}\n`);
const check = (what, ok) => {
  if (!ok) problems.push(what);
};

step('map import');
// 1. Import (streams the JSON; peak RSS measured).
rmSync(paths.native, { force: true });
const imp = run(node, [bin, 'map', 'import', paths.direct, '--output', paths.native, '--commit', headSha, '--timestamp', new Date().toISOString()], { rss: true });
const nativeBytes = statSync(paths.native).size;
const bytesPerEdge = nativeBytes / gen.edges;

step('baselines');
// 2. Baselines.
const bare = medianMs(10, node, ['-e', '0']);
const parseScript = `const t=process.hrtime.bigint();JSON.parse(require('fs').readFileSync(${JSON.stringify(paths.direct)},'utf8'));console.log(Number(process.hrtime.bigint()-t)/1e6)`;
const parse = medianMs(3, node, ['-e', parseScript], { rss: true });
const parseRss = run(node, ['-e', parseScript], { rss: true });

step('query');
// 3. The hot path alone (open + union + names), no CLI.
const query = medianMs(10, node, [join(here, 'lib', 'query-native.mjs'), paths.native, paths.changed]);
check('query-native output = union of rows', query.last.stdout === expectedList);
const queryRss = run(node, [join(here, 'lib', 'query-native.mjs'), paths.native, paths.changed], { rss: true });

step('detect');
// 4. detect for the 50-file diff (5 hottest sources) on the native map, in the generated repo.
const detectArgs = [bin, 'detect', '--changed-files', paths.changed, '--coverage-map', paths.native];
const detect = medianMs(10, node, detectArgs, { cwd: paths.tree });
check('detect output = union of rows', detect.last.stdout === expectedList);
const detectRss = run(node, detectArgs, { cwd: paths.tree, rss: true });

step('full suite');
// 5. Full-suite mode (a CI file changed) over the 25k-file universe.
const full = medianMs(5, node, [bin, 'detect', '--changed-files', paths.changedFull, '--coverage-map', paths.native], { cwd: paths.tree });
check('full-suite output = the 25k universe', full.last.stdout.split('\n').filter(Boolean).length === gen.tests.length);

step('shard');
// 6. shard: 30k files into 64 shards.
const shard = medianMs(5, node, [bin, 'shard', '--timings', paths.timings, '--total', '64', '--format', 'json']);
check('shard covers 30k files', JSON.parse(shard.last.stdout).shards.reduce((a, s) => a + s.tests.length, 0) === 30_000);

const over = (x) => Math.max(0, x - bare.ms);
const parseOver = over(parse.ms);
const parseOver130 = parseOver * (130 / directMb); // the issue's ~130 MB JSON: don't flatter us with a bigger file
const ok = (good) => (good ? 'ok' : 'MISS');
console.log('');
table([
  ['measure', 'value', 'target', 'ratio', ''],
  ['native map size', `${fmt(nativeBytes / 1e6, 2)} MB = ${fmt(bytesPerEdge, 3)} B/edge`, '≤ 2 B/edge', fmt(bytesPerEdge / 2, 2), ok(bytesPerEdge <= 2)],
  ['bare node -e 0', `${fmt(bare.ms)} ms`, 'baseline', '', ''],
  ['node JSON.parse(direct JSON)', `${fmt(parse.ms)} ms (parse alone ${fmt(Number(parse.last.stdout))} ms), ${fmt(parseRss.maxRssMb, 0)} MB RSS`, 'baseline', '', ''],
  ['detect 50 files (5 hot), beyond start-up', `${fmt(over(detect.ms))} ms (wall ${fmt(detect.ms)})`, '≤ 5% of parse', `${fmt((100 * over(detect.ms)) / parseOver, 2)}%`, ok(over(detect.ms) <= 0.05 * parseOver)],
  ['  same vs parse scaled to 130 MB', '', '≤ 5%', `${fmt((100 * over(detect.ms)) / parseOver130, 2)}%`, ok(over(detect.ms) <= 0.05 * parseOver130)],
  ['  open+union+names alone, beyond start-up', `${fmt(over(query.ms))} ms (wall ${fmt(query.ms)})`, '', `${fmt((100 * over(query.ms)) / parseOver, 2)}%`, ''],
  ['detect peak RSS', `${fmt(detectRss.maxRssMb, 0)} MB (query alone ${fmt(queryRss.maxRssMb, 0)} MB)`, '≤ 300 MB', fmt(detectRss.maxRssMb / 300, 2), ok(detectRss.maxRssMb <= 300)],
  ['map import (streamed)', `${fmt(imp.ms / 1000, 2)} s, ${fmt(imp.maxRssMb, 0)} MB RSS`, '< 1024 MB', fmt(imp.maxRssMb / 1024, 2), ok(imp.maxRssMb < 1024)],
  ['detect full suite (25k universe)', `${fmt(full.ms)} ms wall`, '< 1000 ms', fmt(full.ms / 1000, 2), ok(full.ms < 1000)],
  ['shard 30k files / 64', `${fmt(shard.ms)} ms wall`, '< 1000 ms', fmt(shard.ms / 1000, 2), ok(shard.ms < 1000)],
]);
console.log(`selected ${expected.size} of ${gen.tests.length} tests for the 50-file diff`);

// 7. Where detect's time goes.
if (process.env.SCALE_PROFILE !== '0') {
  const profDir = join(paths.dir, 'prof');
  rmSync(profDir, { recursive: true, force: true });
  mkdirSync(profDir);
  run(node, ['--cpu-prof', '--cpu-prof-dir', profDir, '--cpu-prof-interval', '100', ...detectArgs], { cwd: paths.tree });
  const prof = summarizeProfile(join(profDir, readdirSync(profDir)[0]), 10);
  console.log(`\ndetect --cpu-prof: ${fmt(prof.totalMs)} ms sampled; self time by area:`);
  for (const [area, us] of prof.areas) console.log(`  ${fmt(us / 1000).padStart(7)} ms  ${area}`);
  console.log('top functions (self):');
  for (const [fn, us] of prof.functions) console.log(`  ${fmt(us / 1000).padStart(7)} ms  ${fn}`);
}

console.log(`\nbench total ${fmt((Date.now() - started) / 1000)} s`);
if (problems.length) {
  console.log(`CORRECTNESS FAILURES: ${problems.join('; ')}`);
  process.exitCode = 1;
}
