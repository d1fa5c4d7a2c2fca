/**
 * The Vitest worker's V8 coverage modes, on the real V8 of the Node running the tests, in fresh
 * Node processes (the built dist/, as a worker loads it), with block counts (`detailed`, the
 * default) and without (file level):
 * - binary mode (`callCount: false`), which the worker uses for the first test file of a fresh
 *   worker, must report exactly what call counts report for that one window: the same functions
 *   run, the same code spans run, also for code V8 optimises while the window is open;
 * - a worker that runs a second test file switches to call counts (WorkerRecorder.beginFile): the
 *   second file must see what it ran, also functions the first file had already run, which binary
 *   mode may report as not run (it does without block counts: see the second test).
 */
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runNodeScript } from '../../helpers/spawn-node.js';

const MAIN = fileURLToPath(new URL('../../..', import.meta.url));
const dist = (p: string): string => pathToFileURL(join(MAIN, 'dist', p)).href;

/**
 * Code with branches taken only late in a hot loop (after V8 has had the chance to optimise the
 * loop and inline its callees), a function never called, a constructor, a catch arm, an early
 * return, a closure called once.
 */
const LIB = `export function clamp(x, hi) {
  if (x > hi) {
    return hi;
  }
  return x;
}
export function hot(n) {
  let acc = 0;
  for (let i = 0; i < n; i++) {
    if (i > n - 3) {
      acc += clamp(i, 7) * 3;
    } else if (i % 2 === 0) {
      acc = (acc + clamp(i & 3, 2)) % 1000003;
    } else {
      acc = (acc * 31 + i) % 1000003;
    }
  }
  return acc;
}
export function never(x) {
  return x ? 1 : 2;
}
export class Box {
  constructor(v) {
    this.v = v;
  }
  get double() {
    return this.v * 2;
  }
  unused() {
    return 0;
  }
}
export function risky(x) {
  try {
    if (x) throw new Error('x');
    return 1;
  } catch {
    return 2;
  }
}
export function early(x) {
  if (!x) return 0;
  const y = x + 1;
  return y * 2;
}
export const once = (() => () => 42)();
export function second() {
  return 'second';
}
export function third() {
  return 'third';
}
`;

/** One window in binary mode or with call counts: what V8 says ran in lib.mjs. */
const ONE_WINDOW = `import { PreciseCoverage } from ${JSON.stringify(dist('integrations/shared/precise-coverage.js'))};
import { positiveSpans } from ${JSON.stringify(dist('integrations/shared/v8-spans.js'))};
const binary = process.argv[2] === 'binary';
const cov = new PreciseCoverage();
await cov.start(process.argv[3] === 'blocks', binary);
const lib = await import('./lib.mjs');
let sum = 0;
for (let k = 0; k < 40; k++) sum += lib.hot(20000);
sum += new lib.Box(3).double + lib.risky(1) + lib.risky(0) + lib.early(0) + lib.once();
const status = %GetOptimizationStatus(lib.hot);
const scripts = await cov.take();
const s = scripts.find((x) => x.url.endsWith('/lib.mjs'));
const ran = s.functions.filter((f) => f.ranges[0].count > 0).map((f) => f.ranges[0].startOffset + ':' + f.ranges[0].endOffset).sort();
const spans = positiveSpans(s.functions.flatMap((f) => f.ranges));
console.log(JSON.stringify({ sum, optimized: (status & 16) !== 0, ran, spans }));
`;

/** Three test files in one worker process, through the recorder as the setup file drives it. */
const THREE_FILES = `import { WorkerRecorder } from ${JSON.stringify(dist('integrations/vitest/worker-recorder.js'))};
const root = process.cwd();
const lib = new URL('./lib.mjs', import.meta.url).pathname;
// Vitest's record of each module's wrapper length (blocks.ts); a plain import has none.
globalThis.__vitest_worker__ = { moduleExecutionInfo: new Map([[lib, { startOffset: 0 }]]) };
const rec = new WorkerRecorder({ root, exclude: [], vitestVersion: '4.1.0', blocks: process.argv[2] === 'blocks' });
const out = [];
await rec.beginFile(root + '/a.test.mjs', true);
const m = await import('./lib.mjs');
m.early(1);
m.second();
out.push(await rec.endFile(root + '/a.test.mjs', false));
await rec.beginFile(root + '/b.test.mjs', true);
m.early(1);
out.push(await rec.endFile(root + '/b.test.mjs', false));
await rec.beginFile(root + '/c.test.mjs', true);
m.third();
out.push(await rec.endFile(root + '/c.test.mjs', false));
console.log(JSON.stringify(out));
`;

/** Binary mode kept for a second window: the hazard the switch to call counts avoids. */
const BINARY_TWICE = `import { PreciseCoverage } from ${JSON.stringify(dist('integrations/shared/precise-coverage.js'))};
const cov = new PreciseCoverage();
await cov.start(false, true);
const m = await import('./lib.mjs');
m.early(1);
const first = await cov.take();
m.early(1);
const second = await cov.take();
const ran = (scripts) => (scripts.find((x) => x.url.endsWith('/lib.mjs'))?.functions ?? []).filter((f) => f.ranges[0].count > 0).length;
console.log(JSON.stringify({ first: ran(first), second: ran(second) }));
`;

let dir: string;

beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'testsift-binary-cov-')));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  writeFileSync(join(dir, 'lib.mjs'), LIB);
  writeFileSync(join(dir, 'one-window.mjs'), ONE_WINDOW);
  writeFileSync(join(dir, 'three-files.mjs'), THREE_FILES);
  writeFileSync(join(dir, 'binary-twice.mjs'), BINARY_TWICE);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function runJson<T>(script: string, args: string[] = [], nodeFlags: string[] = []): Promise<T> {
  const [first, ...rest] = [...nodeFlags, join(dir, script), ...args];
  const r = await runNodeScript(first!, rest, dir);
  expect(r.code, r.out).toBe(0);
  return JSON.parse(r.out.trim().split('\n').pop()!) as T;
}

interface Window {
  sum: number;
  optimized: boolean;
  ran: string[];
  spans: number[];
}

describe.each(['blocks', 'functions'])('with %s', (detail) => {
  test('binary mode reports for its one window exactly what call counts report: functions and spans, with optimised code', async () => {
    const binary = await runJson<Window>('one-window.mjs', ['binary', detail], ['--allow-natives-syntax']);
    const counts = await runJson<Window>('one-window.mjs', ['counts', detail], ['--allow-natives-syntax']);
    expect(binary.sum).toBe(counts.sum);
    expect(binary.ran).toEqual(counts.ran);
    expect(binary.spans).toEqual(counts.spans);
    // V8 optimised the hot loop while the window was open, so the comparison covers optimised
    // code. (Call counts without block counts keep V8's optimizing compilers off: Node 20 left
    // `hot` unoptimised there, which is what binary mode saves.)
    expect(binary.optimized).toBe(true);
    // Sanity: the late branch ran, `never` and the unused method did not.
    const at = (needle: string): number => LIB.indexOf(needle);
    const covered = (offset: number): boolean => binary.spans.some((_, i) => i % 2 === 0 && binary.spans[i]! <= offset && offset < binary.spans[i + 1]!);
    expect(covered(at('return x ? 1 : 2'))).toBe(false);
    expect(covered(at('return 0;\n  }\n}'))).toBe(false);
    if (detail === 'blocks') {
      expect(covered(at('acc += clamp(i, 7) * 3'))).toBe(true);
      expect(covered(at('return hi;'))).toBe(true);
    }
  }, 60_000);
});

test('binary mode without block counts, kept for a second window, reports nothing for code that ran before', async () => {
  const r = await runJson<{ first: number; second: number }>('binary-twice.mjs');
  expect(r.first).toBeGreaterThan(0);
  expect(r.second).toBe(0);
}, 60_000);

interface Payload {
  executed: string[];
  blockHits?: Array<{ source: string; ends: number[]; hits: number[] }>;
}

test("a worker's second test file switches the recorder to call counts: it sees functions the first file ran too (file level)", async () => {
  const [a, b, c] = await runJson<Payload[]>('three-files.mjs', ['functions']);
  expect(a!.executed).toContain('lib.mjs');
  // The second file ran only early(), which the first file had run already.
  expect(b!.executed).toContain('lib.mjs');
  expect(c!.executed).toContain('lib.mjs');
  expect(b!.blockHits).toBeUndefined();
}, 60_000);

test("a worker's second test file switches the recorder to call counts: it sees functions the first file ran too (blocks)", async () => {
  const [a, b, c] = await runJson<Payload[]>('three-files.mjs', ['blocks']);
  const end = (fn: string): number => LIB.indexOf('\n}\n', LIB.indexOf(`export function ${fn}(`)) + 2;
  const hitsOf = (p: Payload) => p.blockHits?.find((h) => h.source === 'lib.mjs');
  expect(a!.executed).toContain('lib.mjs');
  expect(hitsOf(a!)?.ends).toEqual(expect.arrayContaining([end('early'), end('second')]));
  // The second file ran early() again: reported, though the first file's take had reported it.
  expect(b!.executed).toContain('lib.mjs');
  expect(hitsOf(b!)?.ends).toContain(end('early'));
  expect(hitsOf(b!)?.ends).not.toContain(end('second'));
  // Its spans hold every span the first file saw run in early() (V8 drops block counters of code
  // compiled before the switch, so they may be wider: more, never less).
  const inSpans = (spans: number[], from: number, to: number): boolean => spans.some((_, i) => i % 2 === 0 && spans[i]! <= from && to <= spans[i + 1]!);
  const earlyFrom = LIB.indexOf('export function early(');
  const aHits = hitsOf(a!)!.hits;
  for (let i = 0; i < aHits.length; i += 2) {
    if (aHits[i]! >= earlyFrom && aHits[i + 1]! <= end('early')) expect(inSpans(hitsOf(b!)!.hits, aHits[i]!, aHits[i + 1]!)).toBe(true);
  }
  // The third file: call counts still, a window of its own.
  expect(c!.executed).toContain('lib.mjs');
  expect(hitsOf(c!)?.ends).toContain(end('third'));
  expect(hitsOf(c!)?.ends).not.toContain(end('early'));
}, 60_000);
