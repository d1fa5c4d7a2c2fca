/**
 * Branch-level selection for Jest end to end (issue 15 item 5: the precision issue's rules apply
 * to Jest too): fixtures/jest-branches (fixtures/vitest-branches' calc.ts, tests importing the
 * package entry) recorded by real Jest 29 with ts-jest, then with babel-jest (and Jest 30 with ts-jest), at block
 * granularity with TESTSIFT_BRANCHES=1; then one real git change per case on its own branch and
 * the real CLI's `detect` at its default granularity. Each change must select exactly the tests
 * that executed the changed block, as test/e2e/integrations/vitest-branches.test.ts asks of Vitest.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readMapRecord } from '../../../src/mappings/coverage/index.js';
import { TempRepo } from '../../helpers/git.js';
import { NO_CI, runCli } from '../../helpers/cli.js';
import { linkJestToolchain } from '../../helpers/jest-project.js';

const MAIN = join(import.meta.dirname, '..', '..', '..');
const FIXTURE = join(MAIN, 'fixtures', 'jest-branches');
const ALL = [
  'tests/classify-big.test.ts',
  'tests/classify-small.test.ts',
  'tests/div.test.ts',
  'tests/divzero.test.ts',
  'tests/sign-negative.test.ts',
  'tests/sign-positive.test.ts',
  'tests/total-empty.test.ts',
  'tests/version.test.ts',
];

interface Detected {
  mode: string;
  tests: string[];
  warnings: string[];
}

class BranchProject {
  readonly repo: TempRepo;
  readonly base: string;
  readonly original: string;
  private readonly cacheDir: string;

  /** `jest`: which installed Jest (`jest` = 30, `jest29`); `calc`: src/calc.ts as committed, from the fixture's. */
  constructor(jest: 'jest' | 'jest29', calc?: (text: string) => string) {
    this.repo = new TempRepo('testsift-jest-branches-');
    cpSync(FIXTURE, this.repo.root, { recursive: true });
    linkJestToolchain(this.repo.root, jest);
    writeFileSync(join(this.repo.root, '.gitignore'), 'node_modules/\n.testsift/\ncoverage/\n');
    const calcPath = join(this.repo.root, 'src/calc.ts');
    if (calc) writeFileSync(calcPath, calc(readFileSync(calcPath, 'utf8')));
    this.repo.commit('fixture');
    this.base = this.repo.head();
    this.original = readFileSync(join(this.repo.root, 'src/calc.ts'), 'utf8');
    this.cacheDir = mkdtempSync(join(tmpdir(), 'testsift-jest-branches-cache-'));
  }

  /** Record with block granularity and branches (TESTSIFT_BRANCHES=1; `env` may override); `args`: more Jest arguments. */
  record(config: string, env: Record<string, string> = {}, args: string[] = []): Promise<{ code: number; stderr: string }> {
    const clean: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(TESTSIFT_|NODE_OPTIONS$)/.test(k)) clean[k] = v;
    const argv = [join(this.repo.root, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', '-w', '2', `--cacheDirectory=${this.cacheDir}`, '-c', config, ...args];
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, argv, {
        cwd: this.repo.root,
        env: { ...clean, TESTSIFT_RECORD: '1', TESTSIFT_GRANULARITY: 'block', TESTSIFT_BRANCHES: '1', ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? 1, stderr }));
    });
  }

  /** Edit src/calc.ts as recorded, on a fresh branch; detect with default settings (json, and explain when asked). */
  async detectAfter(branch: string, edit: (lines: string[]) => void, explain = false): Promise<Detected & { explain: string }> {
    this.repo.git('checkout', '-q', '-B', branch, this.base);
    const lines = this.original.split('\n');
    edit(lines);
    writeFileSync(join(this.repo.root, 'src/calc.ts'), lines.join('\n'));
    this.repo.commit(branch);
    const common = ['detect', '--base', this.base];
    const json = await runCli([...common, '--format', 'json'], { cwd: this.repo.root, env: NO_CI });
    expect(json.code, json.stderr).toBe(0);
    const r = JSON.parse(json.stdout) as Detected;
    expect(r.mode).toBe('selective');
    let text = '';
    if (explain) {
      const e = await runCli([...common, '--format', 'explain', '--explain-limit', '0'], { cwd: this.repo.root, env: NO_CI });
      expect(e.code, e.stderr).toBe(0);
      text = e.stdout;
    }
    return { ...r, explain: text };
  }

  cleanup(): void {
    this.repo.cleanup();
    rmSync(this.cacheDir, { recursive: true, force: true });
  }
}

/** Replace line n (1-based), checking it holds what the case expects. */
function replace(n: number, from: string, to: string): (lines: string[]) => void {
  return (lines) => {
    expect(lines[n - 1]).toContain(from);
    lines[n - 1] = lines[n - 1]!.replace(from, to);
  };
}

/** The branch-level cases of vitest-branches.test.ts, against a project recorded with `config` (and Jest arguments `args`). */
function branchCases(title: string, jest: 'jest' | 'jest29', config: string, args: string[] = []): void {
  describe(title, () => {
    let p: BranchProject;
    let rec: { code: number; stderr: string };
    beforeAll(async () => {
      p = new BranchProject(jest);
      rec = await p.record(config, {}, args);
    }, 240_000);
    afterAll(() => p?.cleanup());

    test('records the blocks inside functions, in source lines: if/else arms, loop body, code after an early exit', async () => {
      expect(rec.code, rec.stderr).toBe(0);
      expect(rec.stderr).not.toContain('no block data');
      const record = await readMapRecord(join(p.repo.root, '.testsift/map.json'));
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

    test('inside an if branch: only the test that took it', async () => {
      const r = await p.detectAfter('in-branch', replace(10, "'division by zero'", "'cannot divide by zero'"), true);
      expect(r.tests).toEqual(['tests/divzero.test.ts']);
      expect(r.explain).toContain('src/calc.ts:9-11 (div, if branch) ← tests/divzero.test.ts');
      expect(r.warnings).toEqual([]);
    });

    test('in a condition: every test that ran the function (the condition runs whichever arm is taken)', async () => {
      const r = await p.detectAfter('condition', replace(9, 'b === 0', 'b === 0 || Number.isNaN(b)'));
      expect(r.tests).toEqual(['tests/div.test.ts', 'tests/divzero.test.ts']);
    });

    test('after an early exit (throw): only the tests that got past it', async () => {
      const r = await p.detectAfter('after-throw', replace(12, 'const q = a / b;', 'const q = b === 1 ? a : a / b;'));
      expect(r.tests).toEqual(['tests/div.test.ts']);
    });

    test('after an early return: only the tests that got past it', async () => {
      const r = await p.detectAfter('after-return', replace(18, 'x * 2', 'x + x'));
      expect(r.tests).toEqual(['tests/sign-positive.test.ts']);
    });

    test('in an else branch', async () => {
      const r = await p.detectAfter('else', replace(27, "'small'", "'small'.trim()"));
      expect(r.tests).toEqual(['tests/classify-small.test.ts']);
    });

    test('on a line where the compiler made up branches (`?.` compiles to a `?:`): the tests of the enclosing arm', async () => {
      const r = await p.detectAfter('optional-chain', replace(25, 'big.toUpperCase()', 'big.toLowerCase()'));
      expect(r.tests).toEqual(['tests/classify-big.test.ts']);
    });

    test('a pure insertion selects the tests that executed the block around it', async () => {
      const r = await p.detectAfter('insert-if', (l) => l.splice(24, 0, "    if (n > 1000) return 'huge';"));
      expect(r.tests).toEqual(['tests/classify-big.test.ts']);
    });

    test('an insertion into a loop body no test entered selects nothing, and says why', async () => {
      const r = await p.detectAfter('insert-loop', (l) => l.splice(34, 0, "    if (x < 0) throw new Error('negative');"), true);
      expect(r.tests).toEqual([]);
      expect(r.explain).toContain('no recorded test executed src/calc.ts:34-36 (total, loop body) (8 ran the file)');
    });

    test('module level: every test that loaded the module', async () => {
      const r = await p.detectAfter('module', replace(6, 'VERSION = 1', 'VERSION = 2'));
      expect(r.tests).toEqual(ALL);
    });

    test('type-only at module level (an interface): every test that loaded the module', async () => {
      const r = await p.detectAfter('type-interface', replace(3, 'strict: boolean;', 'strict?: boolean;'));
      expect(r.tests).toEqual(ALL);
    });

    test('type-only inside a branch (an annotation): the tests that executed the branch', async () => {
      const r = await p.detectAfter('type-annotation', replace(24, "const big = 'big';", "const big: string = 'big';"));
      expect(r.tests).toEqual(['tests/classify-big.test.ts']);
    });
  });
}

branchCases('Jest 29 + ts-jest (removeComments, esModuleInterop, ES2019)', 'jest29', 'jest.config.js');
branchCases('Jest 29 + babel-jest (preset-env, preset-typescript)', 'jest29', 'jest.babel.config.js');
// Jest 30 runs a module without Jest 29's wrapper text before it: V8's offsets differ.
branchCases('Jest 30 + ts-jest', 'jest', 'jest.config.js');
// --coverage with Jest's default provider (babel): babel-plugin-istanbul instruments the code, so
// what ran in each block comes from Jest's istanbul counters (istanbul-blocks.ts); babel-jest
// instruments the source as written.
branchCases('Jest 29 + babel-jest --coverage (istanbul counters)', 'jest29', 'jest.babel.config.js', ['--coverage']);
branchCases('Jest 30 + babel-jest --coverage (istanbul counters)', 'jest', 'jest.babel.config.js', ['--coverage']);

// ts-jest hands babel-plugin-istanbul compiled code and its source map (`inputSourceMap`): the
// counters are mapped to the source through it.
branchCases('Jest 29 + ts-jest --coverage (istanbul counters through the input source map)', 'jest29', 'jest.config.js', ['--coverage']);
branchCases('Jest 30 + ts-jest --coverage (istanbul counters through the input source map)', 'jest', 'jest.config.js', ['--coverage']);

// --coverage with the v8 provider: Jest owns V8's coverage state (our recorder stays off) and hands
// the reporter each test file's take, which goes through the recorder's block tables (jest-v8-blocks.ts).
branchCases('Jest 29 + babel-jest --coverage --coverageProvider=v8 (Jest’s V8 takes)', 'jest29', 'jest.babel.config.js', ['--coverage', '--coverageProvider=v8']);
branchCases('Jest 30 + ts-jest --coverage --coverageProvider=v8 (Jest’s V8 takes)', 'jest', 'jest.config.js', ['--coverage', '--coverageProvider=v8']);

describe('--coverage, a source whose istanbul counters cannot be trusted (an `istanbul ignore` hint leaves code uncounted)', () => {
  let p: BranchProject;
  beforeAll(() => {
    p = new BranchProject('jest29', (text) =>
      text.replace(
        "  if (b === 0) {\n    throw new Error('division by zero');\n  }",
        "  /* istanbul ignore if */\n  if (b === 0) {\n    throw new Error('division by zero');\n  }",
      ),
    );
  });
  afterAll(() => p?.cleanup());

  test('no block data for it, with one warning; a change inside a function selects at file level', async () => {
    const rec = await p.record('jest.babel.config.js', {}, ['--coverage']);
    expect(rec.code, rec.stderr).toBe(0);
    const warnings = rec.stderr.split('\n').filter((l) => l.includes('no block data'));
    expect(warnings).toEqual(['testsift: no block data for src/calc.ts (file level): it has coverage ignore hints, so some of its code has no counters']);
    const record = await readMapRecord(join(p.repo.root, '.testsift/map.json'));
    expect(record.blocks?.get('src/calc.ts')).toBeUndefined();
    // Line 11 is `throw new Error('division by zero');` (one line added above it).
    const r = await p.detectAfter('in-branch', replace(11, "'division by zero'", "'cannot divide by zero'"));
    expect(r.tests).toEqual(ALL);
  }, 240_000);
});

describe('without TESTSIFT_BRANCHES (the default): functions only, as before', () => {
  let p: BranchProject;
  beforeAll(() => {
    p = new BranchProject('jest29');
  });
  afterAll(() => p?.cleanup());

  test('no blocks inside functions are recorded; a change in an if branch selects every test that ran the function', async () => {
    const rec = await p.record('jest.config.js', { TESTSIFT_BRANCHES: '' });
    expect(rec.code, rec.stderr).toBe(0);
    const record = await readMapRecord(join(p.repo.root, '.testsift/map.json'));
    const calc = record.blocks!.get('src/calc.ts')!;
    expect(calc.blocks.map((b) => b.kind ?? 'module')).toEqual(['module', 'function', 'function', 'function', 'function']);
    const r = await p.detectAfter('in-branch', replace(10, "'division by zero'", "'cannot divide by zero'"));
    expect(r.tests).toEqual(['tests/div.test.ts', 'tests/divzero.test.ts']);
  }, 240_000);
});
