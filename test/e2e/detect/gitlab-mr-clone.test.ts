/**
 * A GitLab merge-request pipeline's checkout: a `file://` origin, only the MR branch fetched 20
 * deep (GitLab's default GIT_DEPTH), the map artifact recorded by main's pipeline after the MR
 * forked, and the CI_MERGE_REQUEST_* variables set. The map's commit is not in the clone, so
 * detect-tests must fetch it (bounded) instead of falling back to the full suite.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DETECT_TESTS_BIN, NO_CI, runCli } from '../../helpers/cli.js';
import { TempRepo } from '../../helpers/git.js';
import { FILES, writeMap } from '../../helpers/scenario.js';

const dirs: string[] = [];
let server: TempRepo | undefined;
afterEach(() => {
  server?.cleanup();
  server = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

interface MrClone {
  clone: string;
  fork: string;
  env: Record<string, string | undefined>;
}

/**
 * main: shop → (fork) → 3 commits, the last changing src/money.ts, then the map is recorded at
 * main's tip. mr: fork → 2 commits changing src/legacy.ts. `shaWants` false makes the clone
 * speak protocol v0 to a server that refuses unadvertised shas.
 */
async function gitlabMrClone(opts: { shaWants: boolean }): Promise<MrClone> {
  server = new TempRepo('testsift-gitlab-server-');
  server.write({ ...FILES, '.gitignore': '.testsift/\n' });
  server.commit('shop');
  // History older than the clone's depth, so the clone is really shallow.
  for (let i = 0; i < 25; i++) server.git('commit', '-q', '--allow-empty', '-m', `old ${i}`);
  const fork = server.head();
  server.git('checkout', '-q', '-b', 'mr');
  server.write({ 'src/legacy.ts': 'export const OLD = 2;\n' }).commit('mr 1');
  server.write({ 'src/legacy.ts': 'export const OLD = 3;\n' }).commit('mr 2');
  server.git('checkout', '-q', 'main');
  server.write({ 'lib/util.ts': 'export const U = 2;\n' }).commit('main 1');
  server.write({ 'lib/util.ts': 'export const U = 3;\n' }).commit('main 2');
  const mapCommit = server.write({ 'src/money.ts': 'export function cents(x: number) {\n  return Math.round(x * 1000) / 10;\n}\n' }).commit('main 3');
  await writeMap(join(server.root, '.testsift/map.json'), { commit: mapCommit });
  // main moved on since that pipeline: the map's commit is no longer a branch tip (not advertised).
  server.write({ 'README.md': '# shop, documented\n' }).commit('main 4');
  const mrHead = server.git('rev-parse', 'mr').trim();
  server.git('update-ref', 'refs/merge-requests/7/head', mrHead);

  const parent = realpathSync(mkdtempSync(join(tmpdir(), 'testsift-gitlab-mr-')));
  dirs.push(parent);
  const clone = join(parent, 'clone');
  mkdirSync(clone);
  git(clone, 'init', '-q');
  if (!opts.shaWants) git(clone, 'config', 'protocol.version', '0');
  git(clone, 'remote', 'add', 'origin', `file://${server.root}`);
  git(clone, 'fetch', '-q', '--no-tags', '--depth', '20', 'origin', '+refs/merge-requests/7/head:refs/remotes/origin/mr');
  git(clone, 'checkout', '-q', '-B', 'mr', 'refs/remotes/origin/mr');
  expect(git(clone, 'rev-parse', '--is-shallow-repository').trim()).toBe('true');
  expect(() => git(clone, 'cat-file', '-e', `${mapCommit}^{commit}`)).toThrow();
  // The artifact from main's pipeline.
  mkdirSync(join(clone, '.testsift'));
  copyFileSync(join(server.root, '.testsift/map.json'), join(clone, '.testsift/map.json'));
  const env = {
    ...NO_CI,
    CI: 'true',
    GITLAB_CI: 'true',
    CI_PIPELINE_SOURCE: 'merge_request_event',
    CI_MERGE_REQUEST_IID: '7',
    CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main',
    CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'mr',
    CI_MERGE_REQUEST_DIFF_BASE_SHA: fork,
  };
  return { clone, fork, env };
}

describe('detect-tests in a GitLab merge-request clone (shallow, MR branch only)', () => {
  it('fetches the map commit by sha, says so, and selects instead of running the full suite', async () => {
    const { clone, fork, env } = await gitlabMrClone({ shaWants: true });
    const r = await runCli([], { cwd: clone, bin: DETECT_TESTS_BIN, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/fetched map commit [0-9a-f]{12} from origin \(depth 50\)[^\n]*: ok/);
    const det = JSON.parse(readFileSync(join(clone, '.testsift/detect.json'), 'utf8'));
    expect(det.reasons).toEqual([]);
    expect(det.mode).toBe('selective');
    expect(det.mergeBase).toBe(fork);
    // The MR's own change, plus main's changes since the fork (their rows describe newer code).
    expect(det.staleFiles).toEqual(['lib/util.ts', 'src/money.ts']);
    expect(det.tests).toEqual(['test/cart.test.ts', 'test/legacy.test.ts', 'test/money.test.ts']);
  });

  it('falls back to fetching the target branch when the server refuses unadvertised shas', async () => {
    const { clone, env } = await gitlabMrClone({ shaWants: false });
    const r = await runCli([], { cwd: clone, bin: DETECT_TESTS_BIN, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/fetched map commit [0-9a-f]{12} from origin \(depth 50\)[^\n]*: failed/);
    expect(r.stderr).toMatch(/fetched origin\/main from origin \(depth 50\)[^\n]*: ok/);
    const det = JSON.parse(readFileSync(join(clone, '.testsift/detect.json'), 'utf8'));
    expect(det.mode).toBe('selective');
    expect(det.tests).toEqual(['test/cart.test.ts', 'test/legacy.test.ts', 'test/money.test.ts']);
  });

  it('without fetching allowed (--deepen 0) the full suite runs, saying the commit is not in the clone', async () => {
    const { clone, env } = await gitlabMrClone({ shaWants: true });
    const r = await runCli(['--deepen', '0'], { cwd: clone, bin: DETECT_TESTS_BIN, env });
    expect(r.code, r.stderr).toBe(0);
    const det = JSON.parse(readFileSync(join(clone, '.testsift/detect.json'), 'utf8'));
    expect(det.mode).toBe('full');
    expect(det.reasons.join('\n')).toMatch(/which is not in this clone/);
  });
});
