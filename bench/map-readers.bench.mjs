// Foreign map readers at GitLab scale (docs/formats.md): `testsift map import` must stream a ~130 MB+
// direct JSON (never one whole-file string) and stay < 1 GB RSS. Baselines measured in this run:
// Node's own JSON.parse of the same file (what a non-streaming reader would at least cost) and,
// for Crystalball YAML, the general YAML parser on the same text. Every import is checked for
// correctness against the generated map (edge count; re-exported JSON identical across formats).
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { fmt, load, repeat, run, table } from './lib/measure.mjs';
import { ensureScaleData } from './lib/scale-data.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const node = process.execPath;
const bin = join(here, '..', 'dist', 'bin', 'testsift.cjs');
const started = Date.now();
const data = ensureScaleData(join(here, '.data'));
const { paths, gen } = data;
const dir = paths.dir;
const mb = (p) => statSync(p).size / 1e6;
const problems = [];
const check = (what, ok) => ok || problems.push(what);
const edgesOf = (mapPath) => JSON.parse(run(node, [bin, 'map', 'stats', mapPath, '--format', 'json']).stdout).edges;
const sha = (text) => createHash('sha256').update(text).digest('hex');

console.log(`data: ${gen.sources.length} sources, ${gen.tests.length} tests, ${gen.edges} edges; direct JSON ${fmt(mb(paths.direct))} MB`);

// Baseline: JSON.parse of the whole direct JSON (read as one string). The two headline figures
// are 3 runs after a warm-up (CPU time, steadier than wall time on a shared machine); the rest
// are single runs. Ratios are of CPU time.
const median = (args) => repeat(3, node, args);
const parse = median(['-e', `JSON.parse(require('fs').readFileSync(${JSON.stringify(paths.direct)}, 'utf8'))`]);

// 1. direct JSON → native (streamed).
const nativeA = join(dir, 'readers-direct.map');
const direct = median([bin, 'map', 'import', paths.direct, '-o', nativeA, '--commit', 'abc123']);
check('direct import edge count', edgesOf(nativeA) === gen.edges);

// 2. direct JSON gzipped (how GitLab serves its mappings) → native.
const directGz = join(dir, 'readers-direct.json.gz');
await pipeline(createReadStream(paths.direct), createGzip({ level: 6 }), createWriteStream(directGz));
const nativeB = join(dir, 'readers-direct-gz.map');
const gz = run(node, [bin, 'map', 'import', directGz, '-o', nativeB, '--commit', 'abc123']);

// 3. export to GitLab's packed form (gzipped), then import that.
const packedGz = join(dir, 'readers-packed.json.gz');
const exp = run(node, [bin, 'map', 'export', nativeA, '--format', 'gitlab-packed', '-o', packedGz]);
const nativeC = join(dir, 'readers-packed.map');
const packed = run(node, [bin, 'map', 'import', packedGz, '-o', nativeC, '--commit', 'abc123']);
const exports = [nativeA, nativeB, nativeC].map((m) => sha(run(node, [bin, 'map', 'export', m]).stdout));
check('direct, direct.gz and packed.gz imports export identical JSON', new Set(exports).size === 1);

// 4. Crystalball YAML for the first 3,000 tests (one example id each), fast path vs the YAML parser.
const crystal = join(dir, 'readers-crystalball.yml');
const bySpec = new Map();
gen.rows.forEach((row, s) => {
  for (const t of row) if (t < 3000) (bySpec.get(t) ?? bySpec.set(t, []).get(t)).push(gen.sources[s]);
});
let yml = '---\n:type: Crystalball::ExecutionMap\n:commit: abc123\n:timestamp: 1763899200\n:version:\n---\n';
let crystalEdges = 0;
for (const [t, sources] of bySpec) {
  yml += `"./${gen.tests[t]}[1:1]":\n${sources.map((s) => `- ${s}\n`).join('')}`;
  crystalEdges += sources.length;
}
writeFileSync(crystal, yml);
const yamlParse = run(
  node,
  [
    '--input-type=module',
    '-e',
    `import {parseAllDocuments} from 'yaml'; import {readFileSync} from 'node:fs'; for (const d of parseAllDocuments(readFileSync(${JSON.stringify(crystal)}, 'utf8'), {maxAliasCount: -1})) d.toJS();`,
  ],
  { cwd: join(here, '..') },
);
const nativeD = join(dir, 'readers-crystalball.map');
const cb = run(node, [bin, 'map', 'import', crystal, '-o', nativeD]);
check('crystalball import edge count', edgesOf(nativeD) === crystalEdges);

for (const p of [nativeA, nativeB, nativeC, nativeD, directGz, packedGz, crystal]) rmSync(p, { force: true });

const s = (r) => `${fmt(r.cpuMs / 1000, 2)} s CPU (${fmt(r.ms / 1000, 2)} s wall), ${fmt(r.maxRssMb ?? NaN, 0)} MB RSS`;
const vs = (r, base) => `${fmt(r.cpuMs / base.cpuMs, 2)}x, ${fmt(r.maxRssMb / base.maxRssMb, 2)}x`;
const rssOk = (r) => (r.maxRssMb === undefined ? '?' : r.maxRssMb < 1024 ? 'ok' : 'MISS');
console.log('');
table([
  ['measure', 'value', 'vs baseline (time, RSS)', 'RSS < 1 GB'],
  [`node JSON.parse direct JSON (${fmt(mb(paths.direct))} MB)`, s(parse), 'baseline', ''],
  ['map import direct JSON (streamed)', s(direct), vs(direct, parse), rssOk(direct)],
  [`map import direct JSON.gz (${fmt(statSync(paths.direct).size / 1e6 / 1, 0)} MB raw)`, s(gz), vs(gz, parse), rssOk(gz)],
  ['map export → packed JSON.gz', s(exp), vs(exp, parse), rssOk(exp)],
  ['map import packed JSON.gz', s(packed), vs(packed, parse), rssOk(packed)],
  [`yaml parseAllDocuments Crystalball (${fmt(yml.length / 1e6)} MB, ${crystalEdges} edges)`, s(yamlParse), 'baseline', ''],
  ['map import Crystalball (fast path)', s(cb), vs(cb, yamlParse), rssOk(cb)],
]);
console.log(`load average ${fmt(load(), 1)}`);
console.log(`\nbench total ${fmt((Date.now() - started) / 1000)} s`);
if (problems.length) {
  console.log(`CORRECTNESS FAILURES: ${problems.join('; ')}`);
  process.exitCode = 1;
}
