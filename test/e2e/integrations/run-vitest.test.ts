/**
 * `testsift run` on fixtures/vitest-basic with the real Vitest: the recorded project in a temp
 * git repo (map and timings from a real recording on main), one branch per scenario, the real
 * CLI (dist/). What Vitest ran is read from its JSON reporter.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import type { TempRepo } from '../../helpers/git.js';
import { runEnv } from '../../helpers/run-env.js';
import { recordedVitestProject, VITEST_BASIC_TESTS } from '../../helpers/vitest-project.js';

let repo: TempRepo;
let reports: string;
let n = 0;

beforeAll(async () => {
  repo = await recordedVitestProject('testsift-run-vitest-');
  // As npm install makes it: the bin npx and node_modules/.bin/vitest find.
  mkdirSync(join(repo.root, 'node_modules/.bin'));
  symlinkSync('../vitest/vitest.mjs', join(repo.root, 'node_modules/.bin/vitest'));
  // Outside the repository: a report left in it would be a changed file of the next scenario.
  reports = mkdtempSync(join(tmpdir(), 'testsift-run-reports-'));
});
afterAll(() => {
  repo?.cleanup();
  if (reports) rmSync(reports, { recursive: true, force: true });
});

/** A branch off main with these edits committed. */
function branch(files: Record<string, string>): void {
  repo.git('checkout', '-q', '-B', `s${++n}`, 'main');
  repo.write(files).commit(`scenario ${n}`);
}

function append(path: string, text = '\n// changed\n'): Record<string, string> {
  return { [path]: readFileSync(join(repo.root, path), 'utf8') + text };
}

/** `testsift run ARGS -- <vitest with a JSON report>`; `ran` is what Vitest ran (undefined: never started). */
async function run(args: string[], vitest: string[] = ['node_modules/.bin/vitest', 'run'], env: Record<string, string | undefined> = {}) {
  const report = join(reports, `report-${++n}.json`);
  const r = await runCli(['run', '--base', 'main', ...args, '--', ...vitest, '--reporter=json', `--outputFile=${report}`], { cwd: repo.root, env: runEnv(env) });
  let ran: string[] | undefined;
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, 'utf8')) as { testResults: Array<{ name: string }> };
    ran = json.testResults.map((t) => t.name.slice(repo.root.length + 1)).sort();
    rmSync(report);
  }
  return { ...r, ran };
}

describe('testsift run -- vitest', () => {
  it('selective: runs exactly the selected files through the plugin (npx vitest)', async () => {
    branch(append('src/math.ts'));
    const r = await run([], ['npx', 'vitest', 'run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.ran).toEqual(['test/add.test.ts', 'test/mul.test.ts']);
    expect(r.stderr).toContain('testsift: selective, 2 of 6 test files');
    expect(r.stderr).toContain('through TESTSIFT_SELECT');
  });

  it('selective with --via args: the files as arguments, and the substring caveat said', async () => {
    branch(append('src/math.ts'));
    const r = await run(['--via', 'args']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.ran).toEqual(['test/add.test.ts', 'test/mul.test.ts']);
    expect(r.stderr).toContain('Vitest matches them as parts of paths');
    expect(r.stderr).toContain('node_modules/.bin/vitest run --reporter=json');
  });

  it('full suite: the runner unfiltered (an inherited TESTSIFT_SELECT is dropped), reasons printed', async () => {
    branch(append('package.json', ' '));
    const r = await run([], undefined, { TESTSIFT_SELECT: '["test/add.test.ts"]' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.ran).toEqual(VITEST_BASIC_TESTS);
    expect(r.stderr).toContain('testsift: full suite: core file changed: package.json');
    expect(r.stderr).toContain('running the full suite');
  });

  it('selective with no test needed: Vitest is not started, exit 0', async () => {
    branch({ 'docs/notes.md': 'notes\n' });
    // A config that ignores docs/, kept out of the diff (.testsift/ is git-ignored).
    repo.write({ '.testsift/tests.yml': "tests: ['test/**/*.test.ts']\nignore: ['docs/**']\n" });
    const r = await run(['--config', '.testsift/tests.yml']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('testsift: selective, no test file needed for 1 changed file: nothing to run');
    expect(r.ran).toBeUndefined();
  });

  it("a failing selected test: Vitest's exit code 1 is testsift's", async () => {
    branch({ 'test/add.test.ts': "import { expect, test } from 'vitest';\ntest('fails', () => expect(1).toBe(2));\n" });
    const r = await run([]);
    expect(r.ran, r.stderr).toEqual(['test/add.test.ts']);
    expect(r.code).toBe(1);
  });

  it('sharded over 2 jobs by the recorded times: every selected file in exactly one job, same digest', async () => {
    branch({ ...append('src/math.ts'), ...append('src/greet.ts'), ...append('src/loader.ts') });
    const selected = ['test/add.test.ts', 'test/greet.test.ts', 'test/mul.test.ts', 'test/plugin.test.ts'];
    const one = await run(['--shard', '1/2', '--timings', '.testsift/timings.json']);
    const two = await run(['--timings', '.testsift/timings.json'], undefined, { CI_NODE_INDEX: '2', CI_NODE_TOTAL: '2' });
    expect(one.code, one.stderr).toBe(0);
    expect(two.code, two.stderr).toBe(0);
    expect(one.ran!.length).toBeGreaterThan(0);
    expect(two.ran!.length).toBeGreaterThan(0);
    expect([...one.ran!, ...two.ran!].sort()).toEqual(selected);
    const digest = (s: string) => /inputs ([0-9a-f]{12})/.exec(s)?.[1];
    expect(digest(one.stderr)).toBeDefined();
    expect(digest(one.stderr)).toBe(digest(two.stderr));
    expect(one.stderr).toContain('shard 1/2:');
    expect(two.stderr).toContain('shard 2/2:');
  });

  it('a sharded job whose timing report is missing fails before Vitest starts (exit 2)', async () => {
    branch(append('src/math.ts'));
    const r = await run(['--shard', '2/2', '--timings', '.testsift/lost.json']);
    expect(r.code).toBe(2);
    expect(r.ran).toBeUndefined();
    expect(r.stderr).toContain('cannot compute its part without this timing report');
  });

  it('more shards than selected files: the empty shard starts nothing, exit 0', async () => {
    branch(append('src/math.ts'));
    const results = await Promise.all(
      [1, 2, 3].map((i) => runCli(['run', '--base', 'main', '--shard', `${i}/3`, '--dry-run', '--', 'vitest', 'run'], { cwd: repo.root, env: runEnv() })),
    );
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const empty = results.filter((r) => r.stderr.includes('has no test files'));
    expect(empty).toHaveLength(1);
    const ran = results.flatMap((r) => {
      const m = /^file selection\.json: (.*)$/m.exec(r.stdout);
      return m ? (JSON.parse(m[1]!) as { tests: string[] }).tests : [];
    });
    expect(ran.sort()).toEqual(['test/add.test.ts', 'test/mul.test.ts']);
  });

  it('full suite sharded: Vitest gets --shard=i/n and the timing report, and splits its own files', async () => {
    branch(append('package.json', ' '));
    const one = await run(['--shard', '1/2', '--timings', '.testsift/timings.json']);
    const two = await run(['--shard', '2/2', '--timings', '.testsift/timings.json']);
    expect(one.code, one.stderr).toBe(0);
    expect(two.code, two.stderr).toBe(0);
    expect([...one.ran!, ...two.ran!].sort()).toEqual(VITEST_BASIC_TESTS);
    expect(one.stderr).toContain('--shard=1/2');
  });
});
