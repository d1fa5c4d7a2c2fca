// Recording overhead of the Jest integration (target: a recording run with the defaults costs
// ≤ 1.15× the CPU of a plain run; it was ≤ 1.3× before block data became Jest 30's default).
// Generates a TypeScript library tested with Jest 30 + ts-jest in bench/.data:
// 60 test files, all importing the package entry (so every test loads every module, as in the
// real project this was measured on), then runs real Jest in alternating rounds:
//   plain     no testsift
//   record    withTestsift() + TESTSIFT_RECORD=1, the defaults (Jest 30: function blocks, V8
//             binary takes batched over test files; Jest 29: file level), fs reads, timings, map
//   file      the same with TESTSIFT_GRANULARITY=file (which modules each test file ran)
//   blocks    the same with TESTSIFT_GRANULARITY=block (plus source-mapped function tables)
//   branches  blocks with TESTSIFT_BRANCHES=1: V8 block counts too (detailed: true), tables with
//             the blocks inside functions (if/else arms, loop bodies, code after an early exit)
//   coverage  plain with --coverage (istanbul), what recording used to need, for reference
//   blocks-base  blocks with the testsift build in BENCH_BASE (a package dir: its package.json and
//             dist/, linked as node_modules/testsift-base), to compare two builds in one run
// Jest's transform cache is warmed first and shared by all modes, so ts-jest's compile cost
// (the same in every mode) does not drown the difference. Reports medians and ratios against the
// plain run measured in the same process; BENCH_PROJECT=/path runs the modes on an existing
// project instead (its jest.config must wrap its config in withTestsift() when BENCH_MODE is not
// 'plain', see the generated jest.config.js).
//
// A real project, pinned in bench/jest-projects.json (repository, commit, install command, the
// authors' Jest config):
//   git clone <repo> DIR && git -C DIR checkout <commit> && (cd DIR && <install>)
//   BENCH_JEST_PROJECT=<name> BENCH_CHECKOUT=DIR npm run bench -- jest-recording
// The bench checks the commit, links this testsift into DIR/node_modules, and runs Jest with a
// wrapper config it writes in its cache folder, outside the checkout (jest.testsift-bench.config.cjs):
// the authors' config as it is for 'plain', wrapped in withTestsift() otherwise.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from './lib/prng.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const main = join(here, '..');
const WRAPPER = 'jest.testsift-bench.config.cjs';
const realName = process.env.BENCH_JEST_PROJECT;
const cacheDir = join(here, realName ? `.data/jest-recording-cache-${realName}` : '.data/jest-recording-cache');
const real = realName ? pinnedProject(realName) : undefined;
const project = real ? real.dir : (process.env.BENCH_PROJECT ?? join(here, '.data/jest-recording'));
const TEST_FILES = 60;
const SOURCE_FILES = 40;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const GENERATOR_VERSION = '1';

/** Make `at` a symlink to `target` (replacing whatever is there). */
function link(at, target) {
  let linked;
  try {
    linked = lstatSync(at).isSymbolicLink() ? resolve(dirname(at), readlinkSync(at)) : 'not a link';
  } catch {
    linked = undefined;
  }
  if (linked === target) return;
  if (linked !== undefined) rmSync(at, { recursive: true, force: true });
  symlinkSync(target, at, 'dir');
}

/** The checkout of a project pinned in jest-projects.json, made ready: right commit, installed, testsift linked. */
function pinnedProject(name) {
  const { projects } = JSON.parse(readFileSync(join(here, 'jest-projects.json'), 'utf8'));
  const p = projects.find((x) => x.name === name);
  if (!p) throw new Error(`BENCH_JEST_PROJECT=${name}: not in bench/jest-projects.json (${projects.map((x) => x.name).join(', ')})`);
  const dir = process.env.BENCH_CHECKOUT && resolve(process.env.BENCH_CHECKOUT);
  const steps = `git clone https://github.com/${p.repo} DIR && git -C DIR checkout ${p.commit} && (cd DIR && ${p.install})`;
  if (!dir || !existsSync(join(dir, '.git'))) throw new Error(`BENCH_CHECKOUT must name a checkout of ${p.repo}: ${steps}`);
  const head = execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  if (head !== p.commit) throw new Error(`${dir} is at ${head}, the bench pins ${p.commit}: git -C ${dir} checkout ${p.commit}`);
  if (!existsSync(join(dir, 'node_modules/jest'))) throw new Error(`${dir} is not installed: (cd ${dir} && ${p.install})`);
  link(join(dir, 'node_modules/testsift'), main);
  // Outside the checkout: an untracked file in it that Jest loads in band would be in every row
  // (project code outside Jest's registry) and of unknown origin, leaving every test unmapped.
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(
    join(cacheDir, WRAPPER),
    `// Written by testsift's bench/jest-recording.bench.mjs: the authors' config, wrapped unless BENCH_MODE=plain.
const load = require('node:module').createRequire(${JSON.stringify(join(dir, 'package.json'))});
const config = { rootDir: ${JSON.stringify(dir)}, ...load('./${p.jestConfig}') };
const testsift = process.env.BENCH_MODE === 'blocks-base' ? 'testsift-base/jest' : 'testsift/jest';
module.exports = process.env.BENCH_MODE === 'plain' ? config : load(testsift).withTestsift(config);
`,
  );
  rmSync(join(dir, WRAPPER), { force: true });
  if (process.env.BENCH_BASE) link(join(dir, 'node_modules/testsift-base'), resolve(process.env.BENCH_BASE));
  const exclude = join(dir, '.git/info/exclude');
  const excluded = existsSync(exclude) ? readFileSync(exclude, 'utf8') : '';
  for (const line of ['.testsift/', '.cpu-time']) if (!excluded.split('\n').includes(line)) appendFileSync(exclude, `${line}\n`);
  return { ...p, dir };
}

function generate() {
  const stamp = join(project, '.generated');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === GENERATOR_VERSION) return;
  rmSync(project, { recursive: true, force: true });
  for (const d of ['src', 'test', 'fixtures', 'node_modules']) mkdirSync(join(project, d), { recursive: true });
  for (const [name, target] of [
    ['testsift', main],
    ['jest', join(main, 'node_modules/jest')],
    ['ts-jest', join(main, 'node_modules/ts-jest')],
    ['typescript', join(main, 'node_modules/typescript')],
  ]) {
    symlinkSync(target, join(project, 'node_modules', name), 'dir');
  }
  const rng = createRng(20261207);
  writeFileSync(join(project, 'package.json'), '{"private":true,"main":"src/index.ts"}\n');
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2019', module: 'commonjs', strict: true, esModuleInterop: true, removeComments: true, types: [] } }),
  );
  const index = [];
  for (let s = 0; s < SOURCE_FILES; s++) {
    const fns = [];
    for (let f = 0; f < 6; f++) {
      fns.push(`/** f${f} of m${s}: a loop. */
export function m${s}f${f}(n: number): number {
  let acc = ${s + f};
  for (let i = 0; i < n; i++) acc = (acc * 31 + i) % 1000003;
  return acc;
}
export function m${s}label${f}(items: string[]): string {
  return items.map((x, i) => \`\${x}-\${i}-${s}\`).join(',');
}`);
    }
    // Each module imports the first one (and a Node module, for the import helper).
    const imports = s > 0 ? `import * as path from 'path';\nimport { m0f0 as base } from './m0';\nexport const seed${s} = base(10) + path.sep.length;\n` : '';
    writeFileSync(join(project, `src/m${s}.ts`), `${imports}${fns.join('\n')}\n`);
    index.push(`export * from './m${s}';`);
  }
  writeFileSync(join(project, 'src/index.ts'), `${index.join('\n')}\n`);
  for (let t = 0; t < TEST_FILES; t++) {
    const mods = [...new Set([rng.int(SOURCE_FILES), rng.int(SOURCE_FILES), rng.int(SOURCE_FILES)])];
    const names = mods.flatMap((m) => [`m${m}f${rng.int(6)}`, `m${m}label${rng.int(6)}`]);
    const calls = mods
      .map((m, i) => `    expect(${names[2 * i]}(20000)).toBeGreaterThanOrEqual(0);\n    expect(${names[2 * i + 1]}(['a', 'b', 'c'])).toContain('a-0');`)
      .join('\n');
    const fixture = t % 5 === 0;
    if (fixture) writeFileSync(join(project, `fixtures/f${t}.json`), JSON.stringify({ n: t }));
    writeFileSync(
      join(project, `test/t${t}.test.ts`),
      `import { readFileSync } from 'fs';\nimport { join } from 'path';\nimport { ${[...new Set(names)].join(', ')} } from '../src';\n\n` +
        `describe('t${t}', () => {\n  for (let k = 0; k < 5; k++) test('case ' + k, () => {\n${calls}\n  });\n` +
        (fixture
          ? `  test('reads a fixture', () => {\n    expect(JSON.parse(readFileSync(join(__dirname, '../fixtures/f${t}.json'), 'utf8')).n).toBe(${t});\n  });\n`
          : '') +
        '});\n',
    );
  }
  writeFileSync(
    join(project, 'jest.config.js'),
    `// BENCH_MODE plain: no testsift; anything else: withTestsift() (recording via TESTSIFT_RECORD).
const config = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  transform: { '^.+\\\\.ts$': ['ts-jest', { diagnostics: false }] },
};
module.exports = process.env.BENCH_MODE === 'plain' ? config : require('testsift/jest').withTestsift(config);
`,
  );
  writeFileSync(stamp, GENERATOR_VERSION);
}

const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** One Jest run: wall seconds, CPU seconds of the process tree (GNU time), peak RSS of the largest process (kB). */
function run(mode) {
  const env = { ...process.env, BENCH_MODE: mode, NO_COLOR: '1' };
  for (const k of Object.keys(env)) if (k.startsWith('TESTSIFT_')) delete env[k];
  if (mode === 'record' || mode === 'file' || mode === 'blocks' || mode === 'blocks-base' || mode === 'branches') env.TESTSIFT_RECORD = '1';
  if (mode === 'file') env.TESTSIFT_GRANULARITY = 'file';
  if (mode === 'blocks' || mode === 'blocks-base' || mode === 'branches') env.TESTSIFT_GRANULARITY = 'block';
  if (mode === 'branches') env.TESTSIFT_BRANCHES = '1';
  const coverage = ['--coverage', `--coverageDirectory=${join(cacheDir, 'coverage')}`, '--coverageReporters=json-summary'];
  const config = real ? [`--config=${join(cacheDir, WRAPPER)}`] : [];
  const jest = [join(project, 'node_modules/jest/bin/jest.js'), ...config, '--ci', '--silent', `--cacheDirectory=${cacheDir}`, ...(mode === 'coverage' ? coverage : [])];
  const cpuFile = join(project, '.cpu-time');
  rmSync(cpuFile, { force: true });
  const [cmd, args] = GNU_TIME ? [GNU_TIME, ['-f', '%U %S %M', '-o', cpuFile, process.execPath, ...jest]] : [process.execPath, jest];
  const started = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: project, env, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) {
    console.error(r.stdout, r.stderr);
    throw new Error(`jest (${mode}) exited with ${r.status}`);
  }
  let cpu;
  let rss;
  if (GNU_TIME && existsSync(cpuFile)) {
    const [user, sys, maxRss] = readFileSync(cpuFile, 'utf8').trim().split('\n').pop().split(/\s+/).map(Number);
    cpu = user + sys;
    rss = maxRss;
  }
  return { wall, cpu, rss };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

if (!process.env.BENCH_PROJECT && !real) generate();
const modes = (process.env.BENCH_MODES ?? 'plain,record,file,branches,coverage').split(',');
if (modes.includes('blocks-base') && (!real || !process.env.BENCH_BASE))
  throw new Error('blocks-base needs BENCH_JEST_PROJECT and BENCH_BASE (a testsift package dir with dist/)');
// Warm-up, each mode once: Jest's transform cache is keyed by the config too (withTestsift()
// changes it), so each config has ts-jest compile once; and the OS file cache.
for (const m of modes) run(m);
const results = Object.fromEntries(modes.map((m) => [m, []]));
const loads = [loadavg()[0]];
for (let round = 0; round < ROUNDS; round++) {
  for (let k = 0; k < modes.length; k++) {
    const m = modes[(round + k) % modes.length];
    results[m].push(run(m));
  }
  loads.push(loadavg()[0]);
}
const wallBase = median(results.plain.map((r) => r.wall));
const cpuBase = GNU_TIME ? median(results.plain.map((r) => r.cpu)) : undefined;
const where = real ? `${real.repo} at ${real.commit.slice(0, 12)}` : (process.env.BENCH_PROJECT ?? `${TEST_FILES} test files (${SOURCE_FILES} sources)`);
console.log(`Jest on ${where}, ${ROUNDS} rounds (interleaved), medians; load average ${loads.map((l) => l.toFixed(1)).join(' → ')}:`);
console.log('mode       wall s  ratio   cpu s  ratio   peak RSS MB   cpu runs (s)');
for (const m of modes) {
  const wall = median(results[m].map((r) => r.wall));
  const cpu = cpuBase === undefined ? undefined : median(results[m].map((r) => r.cpu));
  const rss = GNU_TIME ? median(results[m].map((r) => r.rss)) / 1024 : undefined;
  console.log(
    `${m.padEnd(10)} ${wall.toFixed(2).padStart(6)}  ${(wall / wallBase).toFixed(2).padStart(4)}×` +
      (cpu === undefined ? '' : `  ${cpu.toFixed(2).padStart(6)}  ${(cpu / cpuBase).toFixed(2).padStart(4)}×  ${rss.toFixed(0).padStart(9)}`) +
      `     ${results[m].map((r) => (GNU_TIME ? r.cpu : r.wall).toFixed(2)).join(' ')}`,
  );
}
const TARGET = 1.15;
/** Each round's CPU ratio against the plain run of the same round (rounds interleave the modes). */
const perRound = (m) => (cpuBase === undefined ? [] : results[m].map((r, i) => r.cpu / results.plain[i].cpu));
if (results.record) {
  const cpuRatio = cpuBase === undefined ? undefined : median(results.record.map((r) => r.cpu)) / cpuBase;
  const wallRatio = median(results.record.map((r) => r.wall)) / wallBase;
  const rounds = perRound('record');
  console.log(
    `recording overhead (the defaults): ${wallRatio.toFixed(2)}× wall` +
      (cpuRatio === undefined ? '' : `, ${cpuRatio.toFixed(2)}× CPU (per round ${rounds.map((x) => x.toFixed(2)).join(' ')}, median ${median(rounds).toFixed(2)}×)`) +
      ` of a plain run (target ≤ ${TARGET}× CPU) — ${(cpuRatio ?? wallRatio) <= TARGET ? 'OK' : 'OVER TARGET'}`,
  );
}
