/**
 * `testsift run` with a generic runner (files as arguments): a real git repo, a package in a
 * subfolder (paths relative to where the runner starts), no coverage map (tests.yml rules), and
 * a small runner script that records its arguments and exits as told.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { TempRepo } from '../../helpers/git.js';
import { runEnv } from '../../helpers/run-env.js';

let repo: TempRepo;
const PKG = 'packages/shop';
const TESTS = ['a', 'b', 'c', 'd'].map((x) => `${PKG}/test/${x}.test.js`);

/** Writes its arguments as JSON to $ARGS_OUT (appending a line), then exits with $EXIT or a signal. */
const RUNNER = `const fs = require('node:fs');
fs.appendFileSync(process.env.ARGS_OUT, JSON.stringify({ args: process.argv.slice(2), select: process.env.TESTSIFT_SELECT ?? null }) + '\\n');
if (process.env.KILL) process.kill(process.pid, process.env.KILL);
else process.exit(Number(process.env.EXIT ?? 0));
`;

beforeAll(() => {
  repo = new TempRepo('testsift-run-generic-');
  const files: Record<string, string> = {
    'tests.yml': [
      "tests: ['packages/*/test/**/*.test.js']",
      'coverage_map: none',
      'mapping:',
      "  - source: 'packages/shop/src/(?<name>.+)\\.js'",
      "    test: 'packages/shop/test/%{name}.test.js'",
      "  - source: 'packages/shop/src/all\\.js'",
      "    test: 'packages/shop/test/*.test.js'",
      '',
    ].join('\n'),
    [`${PKG}/runner.cjs`]: RUNNER,
    [`${PKG}/src/all.js`]: 'module.exports = 1;\n',
  };
  for (const t of TESTS) files[t] = '// test\n';
  for (const x of ['a', 'b', 'c', 'd']) files[`${PKG}/src/${x}.js`] = `module.exports = '${x}';\n`;
  repo.write(files).commit('base');
});
afterAll(() => repo?.cleanup());

let n = 0;
function branch(files: Record<string, string>): void {
  repo.git('checkout', '-q', '-B', `s${++n}`, 'main');
  repo.write(files).commit(`scenario ${n}`);
}

/** `testsift run --base main ARGS -- node runner.cjs` from the package folder (no --base with --selection). */
async function run(args: string[], env: Record<string, string | undefined> = {}, command = ['node', 'runner.cjs']) {
  const out = join(repo.root, `../args-${process.pid}-${++n}.jsonl`);
  const base = args.includes('--selection') ? [] : ['--base', 'main'];
  const r = await runCli(['run', ...base, ...args, '--', ...command], { cwd: join(repo.root, PKG), env: runEnv({ ARGS_OUT: out, ...env }) });
  const calls = existsSync(out)
    ? readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { args: string[]; select: string | null })
    : [];
  rmSync(out, { force: true });
  return { ...r, calls };
}

describe('testsift run -- <generic runner>', () => {
  it('selective: the selected files as arguments, relative to the current folder', async () => {
    branch({ [`${PKG}/src/b.js`]: "module.exports = 'B';\n" });
    const r = await run([]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.calls).toEqual([{ args: ['test/b.test.js'], select: null }]);
    expect(r.stderr).toContain('testsift: selective, 1 of 4 test files');
  });

  it('full suite: the command unchanged, no files', async () => {
    branch({ 'unknown.txt': 'x\n' });
    const r = await run([]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.calls).toEqual([{ args: [], select: null }]);
    expect(r.stderr).toContain('testsift: full suite: unmapped change: unknown.txt');
  });

  it("passes the runner's exit code through, and 128+n for a signal", async () => {
    branch({ [`${PKG}/src/b.js`]: "module.exports = 'B';\n" });
    expect((await run([], { EXIT: '3' })).code).toBe(3);
    expect((await run([], { KILL: 'SIGTERM' })).code).toBe(128 + 15);
  });

  it('a command that does not exist: 127, said', async () => {
    branch({ [`${PKG}/src/b.js`]: "module.exports = 'B';\n" });
    const r = await run([], {}, ['testsift-no-such-runner-xyz']);
    expect(r.code).toBe(127);
    expect(r.stderr).toContain('testsift-no-such-runner-xyz: command not found');
  });

  it('sharded (CI_NODE_INDEX/CI_NODE_TOTAL): each job gets its part, together the selection once', async () => {
    branch({ [`${PKG}/src/all.js`]: 'module.exports = 2;\n' });
    const jobs = await Promise.all([1, 2, 3].map((i) => run([], { CI_NODE_INDEX: String(i), CI_NODE_TOTAL: '3' })));
    const parts = jobs.map((j) => j.calls[0]?.args ?? []);
    for (const j of jobs) expect(j.code, j.stderr).toBe(0);
    expect(parts.flat().sort()).toEqual(['test/a.test.js', 'test/b.test.js', 'test/c.test.js', 'test/d.test.js']);
    for (const p of parts) expect(p.length).toBeGreaterThan(0);
  });

  it('CI recipe: one detect job writes the selection and the shard plan, each job runs its part of them', async () => {
    branch({ [`${PKG}/src/all.js`]: 'module.exports = 3;\n' });
    const sel = join(repo.root, `../detect-${process.pid}.json`);
    const planFile = join(repo.root, `../plan-${process.pid}.json`);
    try {
      const detect = await runCli(['detect', '--base', 'main', '--format', 'json', '--output', sel, '--shards', '2', '--write-plan', planFile], {
        cwd: join(repo.root, PKG),
        env: runEnv(),
      });
      expect(detect.code, detect.stderr).toBe(0);
      const jobs = await Promise.all([1, 2].map((i) => run(['--selection', sel, '--from-plan', planFile], { CI_NODE_INDEX: String(i), CI_NODE_TOTAL: '2' })));
      for (const j of jobs) expect(j.code, j.stderr).toBe(0);
      expect(jobs.flatMap((j) => j.calls[0]!.args).sort()).toEqual(['test/a.test.js', 'test/b.test.js', 'test/c.test.js', 'test/d.test.js']);
      expect(jobs[0]!.stderr).toContain('split from plan');
      // A job whose checkout selects differently than the plan was made for: exit 2, nothing started.
      const other = await run(['--from-plan', planFile, '--shard', '1/2']);
      expect(other.code, other.stderr).toBe(0);
      branch({ [`${PKG}/src/b.js`]: "module.exports = 'B';\n" });
      const stale = await run(['--from-plan', planFile, '--shard', '1/2']);
      expect(stale.code).toBe(2);
      expect(stale.stderr).toContain("the plan's tests differ");
      expect(stale.calls).toEqual([]);
      const clash = await run(['--selection', sel, '--base', 'main']);
      expect(clash.code).toBe(2);
    } finally {
      rmSync(sel, { force: true });
      rmSync(planFile, { force: true });
    }
  });

  it('a selected file missing from the checkout: the full suite runs instead, and why', async () => {
    branch({ [`${PKG}/src/c.js`]: "module.exports = 'C';\n" });
    rmSync(join(repo.root, `${PKG}/test/c.test.js`));
    try {
      const r = await run([]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.calls).toEqual([{ args: [], select: null }]);
      expect(r.stderr).toContain('1 selected test file does not exist');
      expect(r.stderr).toContain('running the full suite instead');
    } finally {
      repo.git('checkout', '--', `${PKG}/test/c.test.js`);
    }
  });

  it('--via env: TESTSIFT_SELECT names a file holding the selection, no arguments', async () => {
    branch({ [`${PKG}/src/b.js`]: "module.exports = 'B';\n" });
    const r = await run(['--via', 'env', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('command: node runner.cjs\n');
    expect(r.stdout).toContain('set: TESTSIFT_SELECT=<temporary file selection.json>');
    expect(r.stdout).toContain(`file selection.json: {"mode":"selective","tests":["${PKG}/test/b.test.js"]}`);
    expect(r.calls).toEqual([]);
  });

  it('usage errors exit 2 before anything starts', async () => {
    branch({ [`${PKG}/src/b.js`]: "module.exports = 'B';\n" });
    const noCommand = await runCli(['run', '--base', 'main'], { cwd: repo.root, env: runEnv() });
    expect(noCommand.code).toBe(2);
    expect(noCommand.stderr).toContain('give the runner command after --');
    const twice = await run(['--shard', '1/2'], {}, ['npx', 'vitest', 'run', '--shard=1/2']);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('the runner command has its own --shard');
    const half = await run([], { CI_NODE_INDEX: '1' });
    expect(half.code).toBe(2);
    expect(half.stderr).toContain('CI_NODE_INDEX is set but $CI_NODE_TOTAL is not');
    const viaHelp = await runCli(['help', 'run'], { cwd: repo.root });
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toContain('Usage: testsift run [detect options] [run options] -- <runner command…>');
    expect((await runCli(['run', '--help'], { cwd: repo.root })).stdout).toBe(viaHelp.stdout);
    expect((await runCli(['help'], { cwd: repo.root })).stdout).toMatch(/^ {2}run +Detect, then run the runner/m);
    // The runner's own --help is not ours.
    const help = await run([], {}, ['node', 'runner.cjs', '--help']);
    expect(help.code, help.stderr).toBe(0);
    expect(help.calls).toEqual([{ args: ['--help', 'test/b.test.js'], select: null }]);
  });
});
