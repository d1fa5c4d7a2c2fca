import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMapRecord } from '../../../src/mappings/coverage/index.js';
import { runCli } from '../../helpers/cli.js';
import { TempRepo } from '../../helpers/git.js';

/**
 * Jest 30 block recording takes V8's coverage once per 8 test files (v8-recorder.cts,
 * BATCH_FILES) and splits each take between the files by the window each module copy was
 * compiled in. More test files than that in one process: every file, those of the last partial
 * batch included (taken as a worker exits, or by the reporter in band), must have exactly the
 * functions it ran, so a change inside a function selects exactly the tests that ran it.
 */

const MAIN = join(import.meta.dirname, '..', '..', '..');
const NM = join(MAIN, 'node_modules');
const FIXTURE = join(MAIN, 'fixtures', 'jest-ts');
/** 22 files: in band 8 + 8 + 6; with two workers at least one runs 11 (a batch and a partial one). */
const N = 22;
const name = (i: number): string => `tests/gen${String(i).padStart(2, '0')}.test.ts`;
/** Test i calls f(i) and f(i + 1). */
const callers = (j: number): string[] => [name((j - 1 + N) % N), name(j)].sort();

class Project {
  readonly repo: TempRepo;
  private readonly cacheDir: string;

  constructor() {
    this.repo = new TempRepo('testsift-jest-batch-');
    cpSync(FIXTURE, this.repo.root, { recursive: true });
    rmSync(join(this.repo.root, 'tests'), { recursive: true });
    mkdirSync(join(this.repo.root, 'tests'));
    const link = (pkg: string, target: string): void => {
      const at = join(this.repo.root, 'node_modules', pkg);
      mkdirSync(dirname(at), { recursive: true });
      symlinkSync(target, at, 'dir');
    };
    link('testsift', MAIN);
    link('jest', join(NM, 'jest'));
    link('ts-jest', join(NM, 'ts-jest'));
    link('typescript', join(NM, 'typescript'));
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
  record(args: string[]): Promise<{ code: number; stderr: string }> {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('TESTSIFT_')) env[k] = v;
    Object.assign(env, { TESTSIFT_RECORD: '1', TESTSIFT_GRANULARITY: 'block' });
    const cache = mkdtempSync(join(this.cacheDir, 'run-'));
    const argv = [join(this.root, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', `--cacheDirectory=${cache}`, '-c', 'jest.config.js', ...args];
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, argv, { cwd: this.root, env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? 1, stderr }));
    });
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

async function expectExactBlocks(p: Project): Promise<void> {
  const ran = await p.ran();
  for (let i = 0; i < N; i++) {
    const own = [`f${i}`, `f${(i + 1) % N}`];
    expect(ran[name(i)], `block data of ${name(i)}`).toBeDefined();
    // The module body (block 0) and exactly the two functions it called.
    expect(ran[name(i)]!.filter((n) => n.startsWith('f')).sort(), name(i)).toEqual(own.sort());
  }
  // A change inside f(j) (its `const y` line): the two tests that called it, first and last batches included.
  for (const j of [0, 1, 7, 8, 15, 16, 20, 21]) {
    expect(await p.detectEdit(5 * j + 2), `change in f${j}`).toEqual(callers(j));
  }
}

describe('Jest 30 + ts-jest: one V8 take per 8 test files', () => {
  let p: Project;
  beforeAll(() => {
    p = new Project();
  });
  afterAll(() => p.cleanup());

  it('in band (-i): the last partial batch is taken by the reporter', async () => {
    const rec = await p.record(['-i']);
    expect(rec.code, rec.stderr).toBe(0);
    expect(rec.stderr).toContain(`testsift: recorded ${N} test files`);
    await expectExactBlocks(p);
    expect(rec.stderr).not.toContain('not recorded');
  }, 240_000);

  it('in worker processes (-w 2): each worker takes its last partial batch as it exits', async () => {
    const rec = await p.record(['-w', '2']);
    expect(rec.code, rec.stderr).toBe(0);
    expect(rec.stderr).toContain(`testsift: recorded ${N} test files`);
    await expectExactBlocks(p);
    expect(rec.stderr).not.toContain('not recorded');
  }, 240_000);
});
