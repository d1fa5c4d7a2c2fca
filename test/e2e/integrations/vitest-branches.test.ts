/**
 * Branch-level selection end to end: fixtures/vitest-branches recorded by the real Vitest with
 * the plugin's defaults (block data on), then one real git change per case on its own branch,
 * and the real CLI's `detect` at its default granularity. Each change must select exactly the
 * tests that executed the changed block (src/calc.ts's lines are in the fixture).
 */
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readMapRecord } from '../../../src/mappings/coverage/index.js';
import { TempRepo } from '../../helpers/git.js';
import { NO_CI, runCli } from '../../helpers/cli.js';
import { runNodeScript } from '../../helpers/spawn-node.js';

const MAIN = fileURLToPath(new URL('../../..', import.meta.url));
const FIXTURE = join(MAIN, 'fixtures/vitest-branches');
const VITEST_BIN = join(MAIN, 'node_modules/vitest/vitest.mjs');
const ALL = [
  'test/classify-big.test.ts',
  'test/classify-small.test.ts',
  'test/div.test.ts',
  'test/divzero.test.ts',
  'test/sign-negative.test.ts',
  'test/sign-positive.test.ts',
  'test/total-empty.test.ts',
  'test/version.test.ts',
];

function runVitest(root: string, env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  return runNodeScript(VITEST_BIN, ['run'], root, env);
}

let repo: TempRepo;
let base: string;
let original: string;

beforeAll(async () => {
  repo = new TempRepo('testsift-branches-');
  cpSync(FIXTURE, repo.root, { recursive: true });
  mkdirSync(join(repo.root, 'node_modules'));
  symlinkSync(MAIN, join(repo.root, 'node_modules/testsift'), 'dir');
  symlinkSync(join(MAIN, 'node_modules/vitest'), join(repo.root, 'node_modules/vitest'), 'dir');
  repo.write({ '.gitignore': 'node_modules/\n.testsift/\n' });
  repo.commit('fixture');
  base = repo.head();
  original = readFileSync(join(repo.root, 'src/calc.ts'), 'utf8');
  // No TESTSIFT_GRANULARITY, no `blocks` option: block data is the default.
  const run = await runVitest(repo.root, { TESTSIFT_RECORD: '1' });
  expect(run.code, run.out).toBe(0);
}, 120_000);
afterAll(() => repo?.cleanup());

interface Detected {
  mode: string;
  tests: string[];
  warnings: string[];
  explain: string;
}

/** Edit line `n` (1-based) of src/calc.ts as recorded, on a fresh branch; detect with default settings. */
async function detectAfter(branch: string, edit: (lines: string[]) => void, args: string[] = []): Promise<Detected> {
  repo.git('checkout', '-q', '-B', branch, base);
  const lines = original.split('\n');
  edit(lines);
  writeFileSync(join(repo.root, 'src/calc.ts'), lines.join('\n'));
  repo.commit(branch);
  const common = ['detect', '--base', base, ...args];
  const json = await runCli([...common, '--format', 'json'], { cwd: repo.root, env: NO_CI });
  expect(json.code, json.stderr).toBe(0);
  const explain = await runCli([...common, '--format', 'explain', '--explain-limit', '0'], { cwd: repo.root, env: NO_CI });
  expect(explain.code, explain.stderr).toBe(0);
  const r = JSON.parse(json.stdout) as { mode: string; tests: string[]; warnings: string[] };
  expect(r.mode).toBe('selective');
  return { ...r, explain: explain.stdout };
}

/** Replace line n (1-based), checking it holds what the case expects. */
function replace(n: number, from: string, to: string): (lines: string[]) => void {
  return (lines) => {
    expect(lines[n - 1]).toContain(from);
    lines[n - 1] = lines[n - 1]!.replace(from, to);
  };
}

describe('recording keeps branch-level block data by default', () => {
  test('blocks of src/calc.ts: functions, their if/else arms, loop body, code after an early exit', async () => {
    const record = await readMapRecord(join(repo.root, '.testsift/map.json'));
    expect(record.metadata).toMatchObject({ granularity: 'block', blockLines: 'source' });
    const calc = record.blocks!.get('src/calc.ts')!;
    const shown = calc.blocks.map((b) => `${b.name || '-'}:${b.kind ?? 'module'}:${b.start}-${b.end}`);
    expect(shown).toEqual(
      expect.arrayContaining([
        'div:function:8-14',
        'div:if:9-11',
        'div:after:12-13',
        'sign:if:17-17',
        'sign:after:18-19',
        'classify:if:23-26',
        'classify:else:26-29',
        'total:loop:34-36',
      ]),
    );
  });
});

describe('default detect selects the tests that executed the changed block', () => {
  test('inside an if branch: only the test that took it', async () => {
    const r = await detectAfter('in-branch', replace(10, "'division by zero'", "'cannot divide by zero'"));
    expect(r.tests).toEqual(['test/divzero.test.ts']);
    // Explain names the place.
    expect(r.explain).toContain('src/calc.ts:9-11 (div, if branch) ← test/divzero.test.ts');
    expect(r.warnings).toEqual([]);
  });

  test('in a condition: every test that ran the function (the condition runs whichever arm is taken)', async () => {
    const r = await detectAfter('condition', replace(9, 'b === 0', 'b === 0 || Number.isNaN(b)'));
    expect(r.tests).toEqual(['test/div.test.ts', 'test/divzero.test.ts']);
    expect(r.explain).toContain('src/calc.ts:8-14 (div) ←');
  });

  test('after an early exit (throw): only the tests that got past it', async () => {
    const r = await detectAfter('after-throw', replace(12, 'const q = a / b;', 'const q = b === 1 ? a : a / b;'));
    expect(r.tests).toEqual(['test/div.test.ts']);
    expect(r.explain).toContain('(div, after an early exit)');
  });

  test('after an early return: only the tests that got past it', async () => {
    const r = await detectAfter('after-return', replace(18, 'x * 2', 'x + x'));
    expect(r.tests).toEqual(['test/sign-positive.test.ts']);
  });

  test('in an else branch', async () => {
    const r = await detectAfter('else', replace(27, "'small'", "'small'.trim()"));
    expect(r.tests).toEqual(['test/classify-small.test.ts']);
    expect(r.explain).toContain('(classify, else branch)');
  });

  test('a pure insertion selects the tests that executed the block around it', async () => {
    const r = await detectAfter('insert-if', (l) => l.splice(24, 0, "    if (n > 1000) return 'huge';"));
    expect(r.tests).toEqual(['test/classify-big.test.ts']);
  });

  test('an insertion into a loop body no test entered selects nothing, and says why', async () => {
    const r = await detectAfter('insert-loop', (l) => l.splice(34, 0, "    if (x < 0) throw new Error('negative');"));
    expect(r.tests).toEqual([]);
    expect(r.explain).toContain('no recorded test executed src/calc.ts:34-36 (total, loop body) (8 ran the file)');
  });

  test('module level: every test that loaded the module', async () => {
    const r = await detectAfter('module', replace(6, 'VERSION = 1', 'VERSION = 2'));
    expect(r.tests).toEqual(ALL);
    expect(r.explain).toContain('src/calc.ts:6 (module level)');
  });

  test('type-only at module level (an interface): every test that loaded the module', async () => {
    const r = await detectAfter('type-interface', replace(3, 'strict: boolean;', 'strict?: boolean;'));
    expect(r.tests).toEqual(ALL);
  });

  test('type-only inside a branch (an annotation): the tests that executed the branch', async () => {
    const r = await detectAfter('type-annotation', replace(24, "const big = 'big';", "const big: string = 'big';"));
    expect(r.tests).toEqual(['test/classify-big.test.ts']);
  });

  test('a hunk that closes and opens blocks cannot be placed by its old lines: file level, with the reason', async () => {
    const r = await detectAfter('reshape', replace(18, 'const doubled = x * 2;', 'const doubled = x * 2; } { const other = 1;'));
    expect(r.tests).toEqual(ALL);
    expect(r.warnings.join('\n')).toContain('src/calc.ts (line 18: the change opens or closes a block');
  });

  test('--granularity file: every test of the file', async () => {
    const r = await detectAfter('file-level', replace(10, "'division by zero'", "'nope'"), ['--granularity', 'file']);
    expect(r.tests).toEqual(ALL);
    expect(r.warnings).toEqual([]);
  });

  test('a file changed since the map was recorded: file level, said once in the warnings and in explain', async () => {
    repo.git('checkout', '-q', '-B', 'moved-main', base);
    writeFileSync(join(repo.root, 'src/calc.ts'), `// a new first line moves every recorded line\n${original}`);
    repo.commit('header');
    const movedBase = repo.head();
    repo.git('checkout', '-q', '-B', 'on-moved', movedBase);
    const lines = readFileSync(join(repo.root, 'src/calc.ts'), 'utf8').split('\n');
    lines[10] = lines[10]!.replace("'division by zero'", "'zero'");
    writeFileSync(join(repo.root, 'src/calc.ts'), lines.join('\n'));
    repo.commit('edit');
    const r = await runCli(['detect', '--base', movedBase, '--format', 'json'], { cwd: repo.root, env: NO_CI });
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as { tests: string[]; warnings: string[] };
    expect(json.tests).toEqual(ALL);
    expect(json.warnings.filter((w) => w.includes('changed since the map was recorded'))).toHaveLength(1);
    const explain = await runCli(['detect', '--base', movedBase, '--format', 'explain'], { cwd: repo.root, env: NO_CI });
    expect(explain.stdout).toContain('(file level: changed since the map was recorded');
  });
});
