/**
 * Block data in the user's `--coverage` run (@vitest/coverage-v8 on): the recorder opens no V8
 * session of its own then (coverage-conflict.ts) and reads each test file's block hits from
 * Vitest's own coverage takes (coverage-tap.ts). Recorded by the real Vitest on
 * fixtures/vitest-branches twice, with and without coverage: the block data must be the same.
 */
import { cpSync, mkdirSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readMapRecord, type MapRecord } from '../../../src/mappings/coverage/index.js';
import { TempRepo } from '../../helpers/git.js';
import { runNodeScript } from '../../helpers/spawn-node.js';

const MAIN = fileURLToPath(new URL('../../..', import.meta.url));
const FIXTURE = join(MAIN, 'fixtures/vitest-branches');
const VITEST_BIN = join(MAIN, 'node_modules/vitest/vitest.mjs');

function hasCoverageV8(): boolean {
  try {
    createRequire(join(MAIN, 'x.js')).resolve('@vitest/coverage-v8/package.json');
    return true;
  } catch {
    return false;
  }
}

function runVitest(root: string, args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return runNodeScript(VITEST_BIN, ['run', ...args], root, env);
}

/** Per source: its blocks, and per test file (by name) the blocks it executed. */
function blocksByTest(record: MapRecord): Record<string, { blocks: unknown; executed: Record<string, number[]> }> {
  const out: Record<string, { blocks: unknown; executed: Record<string, number[]> }> = {};
  for (const [source, b] of record.blocks ?? []) {
    const executed: Record<string, number[]> = {};
    for (const [id, ids] of b.executed) executed[record.tests[id]!] = [...ids].sort((x, y) => x - y);
    out[source] = { blocks: b.blocks, executed };
  }
  return out;
}

function rowsByTest(record: MapRecord): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [source, ids] of record.rows) out[source] = ids.map((id) => record.tests[id]!).sort();
  return out;
}

describe.skipIf(!hasCoverageV8())('recording block data next to V8 coverage', () => {
  let repo: TempRepo;
  let plain: { code: number; out: string };
  let covered: { code: number; out: string };
  beforeAll(async () => {
    repo = new TempRepo('testsift-covblocks-');
    cpSync(FIXTURE, repo.root, { recursive: true });
    mkdirSync(join(repo.root, 'node_modules/@vitest'), { recursive: true });
    symlinkSync(MAIN, join(repo.root, 'node_modules/testsift'), 'dir');
    symlinkSync(join(MAIN, 'node_modules/vitest'), join(repo.root, 'node_modules/vitest'), 'dir');
    symlinkSync(join(MAIN, 'node_modules/@vitest/coverage-v8'), join(repo.root, 'node_modules/@vitest/coverage-v8'), 'dir');
    repo.write({ '.gitignore': 'node_modules/\n.testsift/\ncov/\n' });
    repo.commit('fixture');
    plain = await runVitest(repo.root, [], { TESTSIFT_RECORD: '1', TESTSIFT_MAP_OUT: '.testsift/plain.json' });
    covered = await runVitest(repo.root, ['--coverage.enabled', '--coverage.provider=v8', '--coverage.reporter=json', '--coverage.reportsDirectory=cov'], {
      TESTSIFT_RECORD: '1',
      TESTSIFT_MAP_OUT: '.testsift/covered.json',
    });
  }, 180_000);
  afterAll(() => repo?.cleanup());

  test("the --coverage run records the same block data as a run without coverage, from Vitest's own takes", async () => {
    expect(plain.code, plain.out).toBe(0);
    expect(covered.code, covered.out).toBe(0);
    expect(covered.out).toContain("recording from Vitest's own per-file coverage takes");
    expect(covered.out).not.toContain('gave no block data');
    const a = await readMapRecord(join(repo.root, '.testsift/plain.json'));
    const b = await readMapRecord(join(repo.root, '.testsift/covered.json'));
    expect(b.metadata).toMatchObject({ granularity: 'block', blockLines: 'source' });
    expect(rowsByTest(b)).toEqual(rowsByTest(a));
    const blocks = blocksByTest(b);
    expect(blocks).toEqual(blocksByTest(a));
    // Not vacuous: src/calc.ts has branch blocks that only some tests executed.
    const calc = blocks['src/calc.ts']!;
    expect(Object.keys(calc.executed).length).toBe(8);
    expect(new Set(Object.values(calc.executed).map((ids) => ids.join(','))).size).toBeGreaterThan(4);
  });
});
