// Recording overhead of the Vitest plugin (DESIGN §5: a recording run costs ≤ 1.3× a plain run).
// Generates a TypeScript project with 60 test files in bench/.data, then runs real Vitest on it
// in alternating rounds: plain (no plugin), recording (testsift plugin, TESTSIFT_RECORD=1: V8
// function coverage + fs reads + timings + map write), and, for the choice of collector, the
// same files instrumented by istanbul (a post transform, counters only, nothing collected — a
// lower bound of what an istanbul-based recorder would cost). Reports medians and ratios
// against the plain run measured in the same process.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from './lib/prng.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const main = join(here, '..');
const project = join(here, '.data/vitest-recording');
const TEST_FILES = 60;
const SOURCE_FILES = 40;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const GENERATOR_VERSION = '1';

function generate() {
  const stamp = join(project, '.generated');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === GENERATOR_VERSION) return;
  rmSync(project, { recursive: true, force: true });
  mkdirSync(join(project, 'src'), { recursive: true });
  mkdirSync(join(project, 'test'), { recursive: true });
  mkdirSync(join(project, 'fixtures'), { recursive: true });
  mkdirSync(join(project, 'node_modules'), { recursive: true });
  symlinkSync(main, join(project, 'node_modules/testsift'), 'dir');
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
    const calls = mods.map((_, i) => `    expect(m${i}.f${rng.int(6)}(20000)).toBeGreaterThanOrEqual(0);\n    expect(m${i}.label${rng.int(6)}(['a', 'b', 'c'])).toContain('a-0');`).join('\n');
    const fixture = t % 5 === 0 ? `\n  test('reads a fixture', () => {\n    expect(JSON.parse(readFileSync(new URL('../fixtures/f${t}.json', import.meta.url), 'utf8')).n).toBe(${t});\n  });` : '';
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

// BENCH_MODE: plain (no plugin) | record (testsift) | istanbul (istanbul-instrumented sources).
const mode = process.env.BENCH_MODE ?? 'plain';
const plugins = [];
if (mode === 'record') plugins.push(testsift());
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
  writeFileSync(stamp, GENERATOR_VERSION);
}

function run(mode) {
  const env = { ...process.env, BENCH_MODE: mode, NO_COLOR: '1' };
  for (const k of Object.keys(env)) if (k.startsWith('TESTSIFT_') || k.startsWith('VITEST')) delete env[k];
  if (mode === 'record') env.TESTSIFT_RECORD = '1';
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [join(main, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=dot'], { cwd: project, env, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) {
    console.error(r.stdout, r.stderr);
    throw new Error(`vitest (${mode}) exited with ${r.status}`);
  }
  return seconds;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

generate();
const modes = ['plain', 'record', 'istanbul'];
run('plain'); // warm-up: Vite's dependency cache and the OS file cache
const times = Object.fromEntries(modes.map((m) => [m, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const m of modes) times[m].push(run(m));
}
const map = JSON.parse(readFileSync(join(project, '.testsift/timings.json'), 'utf8'));
const base = median(times.plain);
console.log(`Vitest on ${TEST_FILES} test files (${SOURCE_FILES} sources), pool forks, ${ROUNDS} rounds, median wall seconds:`);
console.log('mode       median   ratio  runs');
for (const m of modes) {
  const med = median(times[m]);
  console.log(`${m.padEnd(10)} ${med.toFixed(2).padStart(6)}  ${(med / base).toFixed(2).padStart(5)}×  ${times[m].map((x) => x.toFixed(2)).join(' ')}`);
}
const ratio = median(times.record) / base;
console.log(`recorded ${Object.keys(map).length} test files in the timing report`);
console.log(`recording overhead: ${ratio.toFixed(2)}× a plain run (target ≤ 1.30×) — ${ratio <= 1.3 ? 'OK' : 'OVER TARGET'}`);
