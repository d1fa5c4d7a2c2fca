import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TempRepo } from './git.js';

const MAIN = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = join(MAIN, 'fixtures/vitest-basic');
const VITEST_BIN = join(MAIN, 'node_modules/vitest/vitest.mjs');

/** fixtures/vitest-basic's test files. */
export const VITEST_BASIC_TESTS = ['test/add.test.ts', 'test/greet.test.ts', 'test/mul.test.ts', 'test/plugin.test.ts', 'test/settings.test.ts', 'test/slow.test.ts'];

/**
 * fixtures/vitest-basic in a fresh git repo (testsift and vitest linked into node_modules),
 * run once by the real Vitest with recording on: `.testsift/map.json` and
 * `.testsift/timings.json` as the plugin writes them, committed on main. Needs dist/ built.
 */
export async function recordedVitestProject(prefix = 'testsift-vitest-'): Promise<TempRepo> {
  const repo = new TempRepo(prefix);
  cpSync(FIXTURE, repo.root, { recursive: true });
  mkdirSync(join(repo.root, 'node_modules'));
  symlinkSync(MAIN, join(repo.root, 'node_modules/testsift'), 'dir');
  symlinkSync(join(MAIN, 'node_modules/vitest'), join(repo.root, 'node_modules/vitest'), 'dir');
  repo.write({ '.gitignore': 'node_modules/\n.testsift/\n' });
  repo.commit('fixture');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(VITEST|TESTSIFT_|NODE_OPTIONS$|TEST$)/.test(k)) env[k] = v;
  const out = await new Promise<{ code: number; text: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [VITEST_BIN, 'run'], {
      cwd: repo.root,
      env: { ...env, NO_COLOR: '1', TESTSIFT_RECORD: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (text += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (text += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, text }));
  });
  if (out.code !== 0) throw new Error(`recording vitest-basic failed (${out.code}):\n${out.text}`);
  repo.git('checkout', '-q', '-b', 'feature');
  return repo;
}
