import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getChangeSet } from '../../../src/changes/index.js';
import { TempRepo } from '../../helpers/git.js';
import { NO_CI_ENV, statusMap, tempDirs } from '../../helpers/repo-fixture.js';

const newDir = tempDirs();

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/**
 * A "remote" like a CI server's: main m1..m5, feature forked at m5 with 6 commits, then main
 * moved on by 4 commits (m6..m9). A depth-1 clone of feature lacks both the merge-base (m5) and
 * origin/main.
 */
interface Remote {
  url: string;
  fork: string;
  mainTip: string;
  /** The change set a full clone reports, to compare shallow results with. */
  expected: Record<string, string>;
}

let source: TempRepo;
let remoteDir: string;
let remote: Remote;

beforeAll(async () => {
  source = new TempRepo('testsift-shallow-src-');
  remoteDir = realpathSync(mkdtempSync(join(tmpdir(), 'testsift-shallow-remote-')));
  for (let i = 1; i <= 5; i++) {
    source.write({ [`m${i}.ts`]: `m${i}\n` });
    source.commit(`m${i}`);
  }
  const fork = source.head();
  source.git('checkout', '-q', '-b', 'feature');
  for (let i = 1; i <= 6; i++) {
    source.write({ [`feature/f${i}.ts`]: `f${i}\n`, 'm1.ts': `m1 edited ${i}\n` });
    source.commit(`f${i}`);
  }
  source.git('checkout', '-q', 'main');
  for (let i = 6; i <= 9; i++) {
    source.write({ [`m${i}.ts`]: `m${i}\n` });
    source.commit(`m${i}`);
  }
  const mainTip = source.head();
  source.git('checkout', '-q', 'feature');
  const bare = join(remoteDir, 'remote.git');
  git(source.root, 'clone', '-q', '--bare', source.root, bare);
  const full = await getChangeSet({ cwd: source.root, base: 'main', env: NO_CI_ENV });
  remote = { url: `file://${bare}`, fork, mainTip, expected: statusMap(full.files) };
});

afterAll(() => {
  source?.cleanup();
  if (remoteDir) rmSync(remoteDir, { recursive: true, force: true });
});

/** `git clone --depth 1 -b feature file://…`, as CI checks out a merge request. */
function shallowClone(): string {
  const parent = newDir();
  const dir = join(parent, 'work');
  git(parent, 'clone', '-q', '--depth', '1', '-b', 'feature', remote.url, dir);
  expect(git(dir, 'rev-parse', '--is-shallow-repository').trim()).toBe('true');
  return dir;
}

describe('shallow clones', () => {
  it('fetches the missing base, deepens until the merge-base appears, and then diffs normally', async () => {
    const dir = shallowClone();
    expect(() => git(dir, 'rev-parse', '--verify', '-q', 'origin/main')).toThrow();
    const cs = await getChangeSet({ cwd: dir, base: 'origin/main', deepen: 5, deepenBy: 2, env: NO_CI_ENV });
    expect(cs.fullSuiteReasons).toEqual([]);
    expect(cs.mergeBase).toBe(remote.fork);
    expect(cs.baseCommit).toBe(remote.mainTip);
    expect(statusMap(cs.files)).toEqual(remote.expected);
    expect(Object.keys(remote.expected)).toContain('feature/f1.ts');
    // feature is 6 commits past the fork: depth 1 + 3 steps of 2 reaches it.
    expect(cs.warnings.join('\n')).toContain('deepened the shallow clone 3× by 2 commits');
    expect(cs.warnings.join('\n')).toContain('fetched origin/main from origin');
  });

  it('gives up after the allowed steps: full suite with the reason, two-dot diff for information', async () => {
    const dir = shallowClone();
    const cs = await getChangeSet({ cwd: dir, base: 'origin/main', deepen: 1, deepenBy: 1, env: NO_CI_ENV });
    expect(cs.mergeBase).toBeUndefined();
    expect(cs.fullSuiteReasons).toEqual(['merge-base of origin/main and HEAD is not in this shallow clone (deepened 1× by 1 commits); running the full suite']);
    expect(cs.warnings.join('\n')).toContain('two-dot diff origin/main..HEAD');
    expect(cs.files.map((f) => f.path)).toContain('feature/f6.ts');
  });

  it('with deepening not allowed (deepen 0) it does not fetch, and says so', async () => {
    const dir = shallowClone();
    git(dir, 'fetch', '-q', '--depth', '1', 'origin', '+refs/heads/main:refs/remotes/origin/main');
    const cs = await getChangeSet({ cwd: dir, base: 'origin/main', env: NO_CI_ENV });
    expect(cs.fullSuiteReasons).toEqual(['merge-base of origin/main and HEAD is not in this shallow clone (deepening not allowed); running the full suite']);
    expect(git(dir, 'rev-list', '--count', 'HEAD').trim()).toBe('1'); // nothing was fetched
  });

  it('a base missing from a shallow clone without a remote → full suite naming the base', async () => {
    const dir = shallowClone();
    git(dir, 'remote', 'remove', 'origin');
    const cs = await getChangeSet({ cwd: dir, base: 'origin/main', deepen: 3, env: NO_CI_ENV });
    expect(cs.fullSuiteReasons).toEqual(['base origin/main is not in this shallow clone and there is no remote to fetch it from; running the full suite']);
    expect(cs.files).toEqual([]);
  });

  it("fetches GitLab's CI_MERGE_REQUEST_DIFF_BASE_SHA when the clone lacks it", async () => {
    const dir = shallowClone();
    const cs = await getChangeSet({
      cwd: dir,
      deepen: 10,
      deepenBy: 5,
      env: { ...NO_CI_ENV, CI_MERGE_REQUEST_DIFF_BASE_SHA: remote.fork },
    });
    expect(cs.base).toBe(remote.fork);
    expect(cs.fullSuiteReasons).toEqual([]);
    expect(cs.mergeBase).toBe(remote.fork);
    expect(statusMap(cs.files)).toEqual(remote.expected);
  });
});
