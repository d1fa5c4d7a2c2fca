/**
 * `testsift run` on fixtures/jest-basic with the real Jest 30: the fixture in a temp git repo,
 * recorded once on main (the testsift reporter writes the map and timings), one branch per
 * scenario, the real CLI (dist/). What Jest ran is read from its --json output.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { TempRepo } from '../../helpers/git.js';
import { cleanEnv, runEnv } from '../../helpers/run-env.js';

const MAIN = join(import.meta.dirname, '..', '..', '..');
const FIXTURE = join(MAIN, 'fixtures', 'jest-basic');

let repo: TempRepo;
let scratch: string;
let n = 0;

beforeAll(() => {
  repo = new TempRepo('testsift-run-jest-');
  cpSync(FIXTURE, repo.root, { recursive: true });
  mkdirSync(join(repo.root, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(MAIN, join(repo.root, 'node_modules', 'testsift'), 'dir');
  symlinkSync(join(MAIN, 'node_modules', 'jest'), join(repo.root, 'node_modules', 'jest'), 'dir');
  symlinkSync('../jest/bin/jest.js', join(repo.root, 'node_modules', '.bin', 'jest'));
  repo.write({ '.gitignore': 'node_modules/\n.testsift/\n' }).commit('fixture');
  scratch = mkdtempSync(join(tmpdir(), 'testsift-run-jest-scratch-'));
  const env = cleanEnv({ TESTSIFT_RECORD: '1' });
  const rec = spawnSync(process.execPath, [join(repo.root, 'node_modules/.bin/jest'), '--ci', '-w', '1', `--cacheDirectory=${join(scratch, 'cache')}`], {
    cwd: repo.root,
    env,
    encoding: 'utf8',
  });
  if (rec.status !== 0) throw new Error(`recording jest-basic failed (${rec.status}):\n${rec.stderr}`);
});
afterAll(() => {
  repo?.cleanup();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function branch(files: Record<string, string>): void {
  repo.git('checkout', '-q', '-B', `s${++n}`, 'main');
  repo.write(files).commit(`scenario ${n}`);
}

function append(path: string): Record<string, string> {
  return { [path]: `${readFileSync(join(repo.root, path), 'utf8')}\n// changed\n` };
}

/** `testsift run ARGS -- npx jest …--json`; `ran` is what Jest ran (undefined: never started). */
async function run(args: string[]) {
  const out = join(scratch, `results-${++n}.json`);
  const jest = ['npx', 'jest', '--ci', '-w', '1', `--cacheDirectory=${join(scratch, 'cache')}`, '--json', `--outputFile=${out}`];
  const r = await runCli(['run', '--base', 'main', ...args, '--', ...jest], { cwd: repo.root, env: runEnv() });
  let ran: string[] | undefined;
  if (existsSync(out)) {
    const json = JSON.parse(readFileSync(out, 'utf8')) as { testResults: Array<{ name: string }> };
    ran = json.testResults.map((t) => t.name.slice(repo.root.length + 1)).sort();
  }
  return { ...r, ran };
}

describe('testsift run -- jest', () => {
  it('selective: exactly the selected files through the testsift filter', async () => {
    branch(append('src/strings.js'));
    const r = await run([]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.ran).toEqual(['tests/data.test.js']);
    expect(r.stderr).toContain('has the testsift filter');
    expect(r.stderr).toContain('through TESTSIFT_SELECT');
  });

  it('selective with --via args: --runTestsByPath with the exact paths', async () => {
    branch(append('src/math.js'));
    const r = await run(['--via', 'args']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.ran).toEqual(['tests/data.test.js', 'tests/extra/math.test.js', 'tests/math.test.js', 'tests/slow.test.js']);
    expect(r.stderr).toContain('--runTestsByPath tests/data.test.js tests/extra/math.test.js');
  });

  it("a failing selected test: Jest's exit code 1 is testsift's", async () => {
    branch({ 'tests/plugins.test.js': "test('fails', () => { expect(1).toBe(2); });\n" });
    const r = await run([]);
    expect(r.ran, r.stderr).toEqual(['tests/plugins.test.js']);
    expect(r.code).toBe(1);
  });

  it('sharded over 2 jobs: the selection split by the recorded times, each file once', async () => {
    branch(append('src/math.js'));
    // Fixed times (a knapsack report), so the split does not ride on this machine's load.
    const times = join(scratch, 'times.json');
    writeFileSync(times, JSON.stringify({ 'tests/slow.test.js': 10, 'tests/data.test.js': 1, 'tests/extra/math.test.js': 1, 'tests/math.test.js': 1 }));
    const one = await run(['--shard', '1/2', '--timings', times]);
    const two = await run(['--shard', '2/2', '--timings', times]);
    expect(one.code, one.stderr).toBe(0);
    expect(two.code, two.stderr).toBe(0);
    expect([...one.ran!, ...two.ran!].sort()).toEqual(['tests/data.test.js', 'tests/extra/math.test.js', 'tests/math.test.js', 'tests/slow.test.js']);
    // The slow test alone on one side: balanced by time, not by count.
    expect([one.ran, two.ran]).toContainEqual(['tests/slow.test.js']);
  });
});
