import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMapRecord } from '../../../src/mappings/coverage/index.js';
import { runCli } from '../../helpers/cli.js';
import { TempRepo } from '../../helpers/git.js';
import { linkJestToolchain } from '../../helpers/jest-project.js';
import { runNodeScript } from '../../helpers/spawn-node.js';

/**
 * Jest 30 block recording takes V8's coverage once per 16 test files (v8-recorder.cts,
 * BATCH_FILES; 4 in the runs with workers, TESTSIFT_JEST_BATCH_FILES, so that each worker has
 * full batches and a partial one) and splits each take between the files by the window each module copy was
 * compiled in. More test files than that in one process: every file, those of the last partial
 * batch included (taken at a teardown once the reporter has marked every file handed out, by the
 * reporter in band, or as a worker exits), must have exactly the functions it ran, so a change
 * inside a function selects exactly the tests that ran it.
 *
 * One exception, allowed and checked: Jest force-kills a worker that takes over 500 ms to exit
 * (it says so on stderr), and a batch that worker had left for its exit then stays at file level:
 * no block data for those files, which every change to the source then selects. Never partial.
 */

const MAIN = join(import.meta.dirname, '..', '..', '..');
const FIXTURE = join(MAIN, 'fixtures', 'jest-ts');
/** 22 files: in band 16 + 6; with two workers and 4 a take, ~11 each (two batches and a partial one). */
const N = 22;
const name = (i: number): string => `tests/gen${String(i).padStart(2, '0')}.test.ts`;
/** Test i calls f(i) and f(i + 1). */
const callers = (j: number): string[] => [name((j - 1 + N) % N), name(j)].sort();

class Project {
  readonly repo: TempRepo;
  private readonly cacheDir: string;

  constructor(jest: 'jest' | 'jest29') {
    this.repo = new TempRepo('testsift-jest-batch-');
    cpSync(FIXTURE, this.repo.root, { recursive: true });
    rmSync(join(this.repo.root, 'tests'), { recursive: true });
    mkdirSync(join(this.repo.root, 'tests'));
    linkJestToolchain(this.repo.root, jest);
    // Worker threads instead of child processes (Jest's `workerThreads`).
    writeFileSync(join(this.repo.root, 'jest.threads.config.js'), "module.exports = { ...require('./jest.config.js'), workerThreads: true };\n");
    // Jest may restart a worker between test files (no exit handler then).
    writeFileSync(join(this.repo.root, 'jest.memlimit.config.js'), "module.exports = { ...require('./jest.config.js'), workerIdleMemoryLimit: '1GB' };\n");
    const fns: string[] = [];
    for (let i = 0; i < N; i++) fns.push(`export function f${i}(x: number): number {\n  const y = x + ${i};\n  return y * 2;\n}\n`);
    writeFileSync(join(this.repo.root, 'src', 'many.ts'), fns.join('\n'));
    for (let i = 0; i < N; i++) {
      const k = (i + 1) % N;
      writeFileSync(
        join(this.repo.root, name(i)),
        `import { f${i}, f${k} } from '../src/many';\n\ntest('gen ${i}', () => {\n  expect(f${i}(1)).toBe(${2 * (1 + i)});\n  expect(f${k}(1)).toBe(${2 * (1 + k)});\n});\n`,
      );
    }
    writeFileSync(join(this.repo.root, '.gitignore'), 'node_modules/\n.testsift/\n');
    this.repo.commit('fixture');
    this.cacheDir = mkdtempSync(join(tmpdir(), 'testsift-jest-batch-cache-'));
  }

  get root(): string {
    return this.repo.root;
  }

  /** A recording run; a fresh cache each time, so Jest has no timings and `-w 2` starts workers. */
  async record(args: string[], config = 'jest.config.js', extra: Record<string, string> = {}): Promise<{ code: number; stderr: string }> {
    const cache = mkdtempSync(join(this.cacheDir, 'run-'));
    const jest = join(this.root, 'node_modules', 'jest', 'bin', 'jest.js');
    const r = await runNodeScript(jest, ['--ci', `--cacheDirectory=${cache}`, '-c', config, ...args], this.root, {
      TESTSIFT_RECORD: '1',
      TESTSIFT_GRANULARITY: 'block',
      ...extra,
    });
    return { code: r.code, stderr: r.out };
  }

  /** Per test: the blocks of src/many.ts it ran (by function name). */
  async ran(): Promise<Record<string, string[]>> {
    const record = await readMapRecord(join(this.root, '.testsift/map.json'));
    const b = new Map(record.blocks ?? []).get('src/many.ts');
    const out: Record<string, string[]> = {};
    if (!b) return out;
    for (const [tid, ids] of b.executed) out[record.tests[tid]!] = [...ids].map((i) => b.blocks[i]!.name).sort();
    return out;
  }

  async detectEdit(line: number): Promise<string[]> {
    const path = join(this.root, 'src', 'many.ts');
    const before = readFileSync(path, 'utf8');
    const lines = before.split('\n');
    lines[line - 1] = `${lines[line - 1]} `;
    writeFileSync(path, lines.join('\n'));
    try {
      const r = await runCli(['detect', '--base', 'HEAD', '--include-uncommitted', '--granularity', 'block', '--format', 'json'], { cwd: this.root });
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { tests: string[] }).tests;
    } finally {
      writeFileSync(path, before);
    }
  }

  cleanup(): void {
    this.repo.cleanup();
    rmSync(this.cacheDir, { recursive: true, force: true });
  }
}

/** Jest's warning when it kills a worker that did not exit within its grace period. */
const FORCE_EXITED = 'failed to exit gracefully and has been force exited';

/**
 * Every test file has exactly the functions it ran, or (only where Jest force-killed a worker) no
 * block data at all; a change inside f(j) selects the tests that called it, and any other test
 * selected is one without block data.
 */
async function expectExactBlocks(p: Project, stderr: string): Promise<void> {
  const ran = await p.ran();
  const killed = stderr.includes(FORCE_EXITED);
  const fileLevel = new Set<string>();
  for (let i = 0; i < N; i++) {
    const own = [`f${i}`, `f${(i + 1) % N}`];
    if (killed && ran[name(i)] === undefined) {
      fileLevel.add(name(i));
      continue;
    }
    expect(ran[name(i)], `block data of ${name(i)}`).toBeDefined();
    // The module body (block 0) and exactly the two functions it called.
    expect(ran[name(i)]!.filter((n) => n.startsWith('f')).sort(), name(i)).toEqual(own.sort());
  }
  // A change inside f(j) (its `const y` line): the two tests that called it, first and last batches included.
  for (const j of [0, 1, 7, 8, 15, 16, 20, 21]) {
    const selected = await p.detectEdit(5 * j + 2);
    expect(selected, `change in f${j}`).toEqual([...new Set([...callers(j), ...fileLevel])].sort());
  }
}

/** Test files per take in the runs with workers. */
const SMALL_BATCH = { TESTSIFT_JEST_BATCH_FILES: '4' };

async function recordAndCheck(p: Project, args: string[], config?: string, extra?: Record<string, string>): Promise<void> {
  const rec = await p.record(args, config, extra);
  expect(rec.code, rec.stderr).toBe(0);
  expect(rec.stderr).toContain(`testsift: recorded ${N} test files`);
  await expectExactBlocks(p, rec.stderr);
  expect(rec.stderr).not.toContain('not recorded');
}

describe('Jest 30 + ts-jest: one V8 take per several test files', () => {
  let p: Project;
  beforeAll(() => {
    p = new Project('jest');
  });
  afterAll(() => p.cleanup());

  it('in band (-i): the last partial batch is taken at the last teardown', async () => {
    await recordAndCheck(p, ['-i']);
  }, 240_000);

  it('in worker processes (-w 2): each worker takes its last batch once every file is handed out', async () => {
    await recordAndCheck(p, ['-w', '2'], undefined, SMALL_BATCH);
  }, 240_000);

  it('in worker threads (workerThreads: true, -w 2)', async () => {
    await recordAndCheck(p, ['-w', '2'], 'jest.threads.config.js', SMALL_BATCH);
  }, 240_000);

  it('a batch taken early when the heap grew past the bound (here 0 MB)', async () => {
    await recordAndCheck(p, ['-w', '2'], undefined, { TESTSIFT_JEST_BATCH_HEAP_MB: '0' });
  }, 240_000);

  it('with workerIdleMemoryLimit (Jest may restart a worker between files): a take per file', async () => {
    await recordAndCheck(p, ['-w', '2'], 'jest.memlimit.config.js');
  }, 240_000);
});

describe('Jest 29 + ts-jest (a take per file, call counts): the same data', () => {
  let p: Project;
  beforeAll(() => {
    p = new Project('jest29');
  });
  afterAll(() => p.cleanup());

  it('in worker processes (-w 2)', async () => {
    await recordAndCheck(p, ['-w', '2']);
  }, 240_000);

  it('in worker threads (workerThreads: true, -w 2)', async () => {
    await recordAndCheck(p, ['-w', '2'], 'jest.threads.config.js');
  }, 240_000);
});
