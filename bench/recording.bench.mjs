// Recording overhead of the Vitest plugin (docs/performance.md: a recording run costs ≤ 1.15× the CPU of a plain run, the precision issue).
// Generates a TypeScript project with 60 test files in bench/.data, then runs real Vitest on it
// in alternating rounds: plain (no plugin), recording (testsift plugin, TESTSIFT_RECORD=1: V8
// block coverage — functions and the branches inside them, the default — + fs reads + timings +
// map write), recording at file level (TESTSIFT_GRANULARITY=file: V8 function counts only), and, for the choice of collector, the
// same files instrumented by istanbul (a post transform, counters only, nothing collected — a
// lower bound of what an istanbul-based recorder would cost). Reports medians and ratios
// against the plain run measured in the same process.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from './lib/prng.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const main = join(here, '..');
const project = join(here, '.data/vitest-recording');
const TEST_FILES = 60;
const SOURCE_FILES = 40;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const GENERATOR_VERSION = '5';

/**
 * testsift installed as npm would: a copy of package.json and dist/ in node_modules (our own
 * dependencies linked). A symlink to this checkout would not do: Vite resolves it to a path
 * outside node_modules and then runs our worker modules through its own module runner instead
 * of Node's loader, which costs more than a real install does. Refreshed every run (dist changes).
 */
function install(from, name) {
  const dir = join(project, 'node_modules', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(join(from, 'package.json'), join(dir, 'package.json'));
  cpSync(join(from, 'dist'), join(dir, 'dist'), { recursive: true });
  symlinkSync(join(main, 'node_modules'), join(dir, 'node_modules'), 'dir');
}

function generate() {
  const stamp = join(project, '.generated');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === GENERATOR_VERSION) return;
  rmSync(project, { recursive: true, force: true });
  mkdirSync(join(project, 'src'), { recursive: true });
  mkdirSync(join(project, 'test'), { recursive: true });
  mkdirSync(join(project, 'fixtures'), { recursive: true });
  mkdirSync(join(project, 'node_modules'), { recursive: true });
  symlinkSync(join(main, 'node_modules/vitest'), join(project, 'node_modules/vitest'), 'dir');
  const rng = createRng(20261123);
  writeFileSync(join(project, 'package.json'), '{"type":"module","private":true}\n');
  for (let s = 0; s < SOURCE_FILES; s++) {
    // Modules with several functions, some loops and string work: ordinary application code.
    const fns = [];
    for (let f = 0; f < 6; f++) {
      fns.push(`export function f${f}(n: number): number {
  let acc = ${s + f};
  for (let i = 0; i < n; i++) acc = (acc * 31 + i) % 1000003;
  return acc;
}
export function label${f}(items: string[]): string {
  return items.map((x, i) => \`\${x}-\${i}-${s}\`).join(',');
}`);
    }
    const dep = s > 0 ? `import { f0 as base } from './m${rng.int(s)}.js';\nexport const seed = base(10);\n` : 'export const seed = 1;\n';
    writeFileSync(join(project, `src/m${s}.ts`), `${dep}${fns.join('\n')}\n`);
  }
  for (let t = 0; t < TEST_FILES; t++) {
    const mods = [...new Set([rng.int(SOURCE_FILES), rng.int(SOURCE_FILES), rng.int(SOURCE_FILES)])];
    const imports = mods.map((m, i) => `import * as m${i} from '../src/m${m}.js';`).join('\n');
    const calls = mods
      .map((_, i) => `    expect(m${i}.f${rng.int(6)}(20000)).toBeGreaterThanOrEqual(0);\n    expect(m${i}.label${rng.int(6)}(['a', 'b', 'c'])).toContain('a-0');`)
      .join('\n');
    const fixture =
      t % 5 === 0
        ? `\n  test('reads a fixture', () => {\n    expect(JSON.parse(readFileSync(new URL('../fixtures/f${t}.json', import.meta.url), 'utf8')).n).toBe(${t});\n  });`
        : '';
    if (fixture) writeFileSync(join(project, `fixtures/f${t}.json`), JSON.stringify({ n: t }));
    writeFileSync(
      join(project, `test/t${t}.test.ts`),
      `import { readFileSync } from 'node:fs';\nimport { describe, expect, test } from 'vitest';\n${imports}\n\ndescribe('t${t}', () => {\n  for (let k = 0; k < 5; k++) test('case ' + k, () => {\n${calls}\n  });${fixture}\n});\n`,
    );
  }
  writeFileSync(
    join(project, 'vitest.config.mjs'),
    `import { defineConfig } from 'vitest/config';
import testsift from 'testsift/vitest';
import { createRequire } from 'node:module';

// BENCH_MODE: plain (no plugin) | record, record-file (testsift) | record-base (the testsift build
// in BENCH_BASE, for before/after in one run) | istanbul (istanbul-instrumented sources).
const mode = process.env.BENCH_MODE ?? 'plain';
const plugins = [];
if (mode === 'record' || mode === 'record-file') plugins.push(testsift());
if (mode === 'record-base') {
  const base = await import('testsift-base/vitest');
  plugins.push(base.default());
}
if (mode === 'istanbul') {
  const require = createRequire(${JSON.stringify(join(main, 'package.json'))});
  const { createInstrumenter } = require('istanbul-lib-instrument');
  const instrumenter = createInstrumenter({ esModules: true, compact: true, produceSourceMap: false });
  plugins.push({
    name: 'bench-istanbul',
    enforce: 'post',
    transform(code, id) {
      if (!id.includes('/src/') || id.includes('node_modules')) return null;
      return { code: instrumenter.instrumentSync(code, id), map: null };
    },
  });
}
export default defineConfig({ plugins, test: { include: ['test/**/*.test.ts'], pool: 'forks' } });
`,
  );
  // A repository of its own: bench/.data is ignored by ours, and the recorder leaves files git
  // does not track out of the map (their origin is unknown), so the map would be empty and its
  // writing unmeasured.
  writeFileSync(join(project, '.gitignore'), 'node_modules/\n.testsift/\n.generated\n');
  for (const args of [
    ['init', '-q'],
    ['add', '-A'],
    ['-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', 'commit', '-q', '-m', 'bench project'],
  ]) {
    const g = spawnSync('git', args, { cwd: project, encoding: 'utf8' });
    if (g.status !== 0) throw new Error(`git ${args.join(' ')} in ${project}: ${g.stderr}`);
  }
  writeFileSync(stamp, GENERATOR_VERSION);
}

const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** One Vitest run: wall seconds, CPU seconds of the whole process tree (when GNU time exists), collector ms. */
function run(mode) {
  const env = { ...process.env, BENCH_MODE: mode, NO_COLOR: '1' };
  for (const k of Object.keys(env)) if (k.startsWith('TESTSIFT_') || k.startsWith('VITEST')) delete env[k];
  if (mode.startsWith('record')) env.TESTSIFT_RECORD = '1';
  if (mode === 'record-base') env.BENCH_BASE = process.env.BENCH_BASE;
  if (mode === 'record-file') env.TESTSIFT_GRANULARITY = 'file';
  const vitest = [join(main, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=dot'];
  const cpuFile = join(project, '.cpu-time');
  rmSync(cpuFile, { force: true });
  // CPU time (user + sys of Vitest and its reaped workers) is much less disturbed than wall time
  // by other work on a shared machine; both are reported.
  const [cmd, args] = GNU_TIME ? [GNU_TIME, ['-f', '%U %S', '-o', cpuFile, process.execPath, ...vitest]] : [process.execPath, vitest];
  const started = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: project, env, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) {
    console.error(r.stdout, r.stderr);
    throw new Error(`vitest (${mode}) exited with ${r.status}`);
  }
  let cpu;
  if (GNU_TIME && existsSync(cpuFile)) {
    const [user, sys] = readFileSync(cpuFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
    cpu = user + sys;
  }
  const collector = /collector: (\d+) ms/.exec(r.stdout + r.stderr)?.[1];
  return { wall, cpu, collectorMs: collector === undefined ? undefined : Number(collector) };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

generate();
install(main, 'testsift');
if (process.env.BENCH_BASE) install(process.env.BENCH_BASE, 'testsift-base');
// BENCH_MODES picks a subset (plain is always measured: the ratios are against it).
// record-base: BENCH_BASE=/path/to/a/testsift/package (its package.json and dist/) recorded the
// same way, to compare two builds in the same run.
const modes = ['plain', ...(process.env.BENCH_MODES ?? 'record,record-file,istanbul').split(',').filter((m) => m && m !== 'plain')];
if (modes.includes('record-base') && !process.env.BENCH_BASE) throw new Error('record-base needs BENCH_BASE (a testsift package dir with dist/)');
run('plain'); // warm-up: Vite's dependency cache and the OS file cache
const results = Object.fromEntries(modes.map((m) => [m, []]));
for (let round = 0; round < ROUNDS; round++) {
  // Rotate the order each round so no mode always runs right after the same neighbour.
  for (let k = 0; k < modes.length; k++) {
    const m = modes[(round + k) % modes.length];
    results[m].push(run(m));
  }
}
// The map on disk is the last recording's: run the default once more, so the line below describes it.
if (modes.includes('record')) run('record');
const timingsReport = JSON.parse(readFileSync(join(project, '.testsift/timings.json'), 'utf8'));
const wallBase = median(results.plain.map((r) => r.wall));
const cpuBase = GNU_TIME ? median(results.plain.map((r) => r.cpu)) : undefined;
console.log(`Vitest on ${TEST_FILES} test files (${SOURCE_FILES} sources), pool forks, ${ROUNDS} rounds (interleaved), medians:`);
console.log(
  `load average at the end: ${(await import('node:os'))
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
console.log("mode        wall s  ratio   cpu s  ratio   cpu ratio per round (vs that round's plain)");
for (const m of modes) {
  const wall = median(results[m].map((r) => r.wall));
  const cpu = cpuBase === undefined ? undefined : median(results[m].map((r) => r.cpu));
  console.log(
    `${m.padEnd(11)} ${wall.toFixed(2).padStart(6)}  ${(wall / wallBase).toFixed(2).padStart(4)}×` +
      (cpu === undefined ? '' : `  ${cpu.toFixed(2).padStart(6)}  ${(cpu / cpuBase).toFixed(2).padStart(4)}×`) +
      // Per round against that round's plain run: the spread says how much to trust the median.
      `   ${results[m].map((r, i) => (cpu === undefined ? r.wall / results.plain[i].wall : r.cpu / results.plain[i].cpu).toFixed(2)).join(' ')}`,
  );
}
const collector = median(results.record.map((r) => r.collectorMs ?? NaN));
const { readMapRecord } = await import(join(main, 'dist/mappings/coverage/index.js'));
const map = await readMapRecord(join(project, '.testsift/map.json'));
const edges = [...map.rows.values()].reduce((n, ids) => n + [...ids].length, 0);
console.log(
  `recorded (the defaults) ${Object.keys(timingsReport).length} test files, ${edges} (test, source) edges, block data for ${map.blocks?.size ?? 0} sources; the collector itself: ${collector} ms in workers per run (${(collector / TEST_FILES).toFixed(1)} ms per test file)`,
);
const wallRatio = median(results.record.map((r) => r.wall)) / wallBase;
const cpuRatio = cpuBase === undefined ? undefined : median(results.record.map((r) => r.cpu)) / cpuBase;
console.log(
  `recording overhead: ${wallRatio.toFixed(2)}× wall` +
    (cpuRatio === undefined ? '' : `, ${cpuRatio.toFixed(2)}× CPU`) +
    ` of a plain run (target ≤ 1.15× CPU) — ${(cpuRatio ?? wallRatio) <= 1.15 ? 'OK' : 'OVER TARGET'}`,
);
