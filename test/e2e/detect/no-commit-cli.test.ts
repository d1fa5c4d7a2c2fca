/**
 * Messages for states that are not errors of the user's input: a repository with no commit
 * yet, a foreign map that records no commit (decided from its first bytes, not after reading
 * all of it), and a `.testsift` symlinked out of the repository (refused as an output place).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DETECT_TESTS_BIN, NO_CI, runCli } from '../../helpers/cli.js';
import { TempRepo } from '../../helpers/git.js';
import { makeChangedScenario, writeMap, type Scenario } from '../../helpers/scenario.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
function emptyRepo(): TempRepo {
  const repo = new TempRepo('testsift-unborn-');
  cleanups.push(() => repo.cleanup());
  return repo;
}
async function scenario(): Promise<Scenario> {
  const s = await makeChangedScenario();
  cleanups.push(() => s.repo.cleanup());
  return s;
}

describe('a repository with no commit yet', () => {
  it('says so (it said: unknown git ref "HEAD")', async () => {
    const repo = emptyRepo();
    const expected = `testsift: the repository in ${repo.root} has no commit yet (HEAD is unborn: branch "main" has no commit), so there is no change to compare; commit first, or pass --changed-files\n`;
    for (const args of [['--base', 'main'], [], ['--base', 'HEAD~1']]) {
      const r = await runCli(['detect', ...args], { cwd: repo.root, env: NO_CI });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toBe(expected);
    }
  });

  it('an orphan branch (HEAD unborn, other branches with commits) names the branch', async () => {
    const repo = emptyRepo();
    repo.write({ 'a.txt': 'a' }).commit('one');
    repo.git('checkout', '-q', '--orphan', 'fresh');
    const r = await runCli(['detect', '--base', 'main'], { cwd: repo.root, env: NO_CI });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `testsift: HEAD is unborn in ${repo.root}: branch "fresh" has no commit yet, so there is no change to compare; commit first, or pass --head <ref>\n`,
    );
    // An unknown ref that is not HEAD is still just unknown.
    const other = await runCli(['detect', '--base', 'nope', '--head', 'main'], { cwd: repo.root, env: NO_CI });
    expect(other.stderr).toContain('unknown git ref "nope" (base)');
  });

  it('--changed-files with a map that records a commit: the full suite, saying there is no commit yet', async () => {
    const repo = emptyRepo();
    repo.write({ 'tests.yml': "tests: ['test/**/*.test.ts']\ncoverage_map: map.bin\n", 'test/a.test.ts': '', 'src/a.ts': '' });
    await writeMap(join(repo.root, 'map.bin'), { commit: 'a'.repeat(40), rows: { 'src/a.ts': ['test/a.test.ts'] }, known: [] });
    const r = await runCli(['detect', '--changed-files', '-', '--format', 'json'], { cwd: repo.root, env: NO_CI, input: 'src/a.ts\n' });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { mode: string; reasons: string[] };
    expect(out.mode).toBe('full');
    expect(out.reasons, JSON.stringify(out.reasons)).toContain(
      'the repository has no commit yet (HEAD is unborn: branch "main"), so coverage map map.bin cannot be checked against it',
    );
  });
});

describe('a foreign map that records no commit is decided from its head', () => {
  /** Many valid rows, then a tail no reader accepts: reading it all would end in a parse error. */
  function gitlabMapWithBrokenTail(path: string): void {
    const rows: string[] = [];
    for (let i = 0; i < 20_000; i++) rows.push(`"src/f${i}.ts":["test/t${i % 50}.test.ts"]`);
    writeFileSync(path, `{${rows.join(',')},"src/legacy.ts": [BROKEN`);
  }

  it('GitLab JSON: the no-commit reason, not a parse error of its tail', async () => {
    const s = await scenario();
    gitlabMapWithBrokenTail(join(s.repo.root, 'gitlab.json'));
    const r = await runCli(['detect', '--base', 'main', '--coverage-map', 'gitlab.json', '--format', 'json'], { cwd: s.repo.root, env: NO_CI });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { mode: string; reasons: string[]; map: { format: string } };
    expect(out.mode).toBe('full');
    expect(out.reasons).toEqual([
      'coverage map gitlab.json records no commit, so what changed since it was recorded is unknown (record it with testsift, or import it with --commit SHA)',
    ]);
    expect(out.map.format).toBe('gitlab-json');
  });

  it('Crystalball: its metadata document without :commit, then a broken document', async () => {
    const s = await scenario();
    const head = `---\n:type: Crystalball::ExecutionMap\n:commit:\n:timestamp: ${Math.floor(Date.now() / 1000)}\n:version:\n---\n`;
    writeFileSync(join(s.repo.root, 'cb.yml'), `${head}"./spec/a_spec.rb[1]":\n- app/a.rb\n---\n"./spec/b_spec.rb[1]": [unclosed\n`);
    const r = await runCli(['detect', '--base', 'main', '--coverage-map', 'cb.yml', '--format', 'json'], { cwd: s.repo.root, env: NO_CI });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { mode: string; reasons: string[] };
    expect(out.mode).toBe('full');
    expect(out.reasons).toEqual([expect.stringMatching(/^coverage map cb\.yml records no commit/)]);
  });

  it('a Crystalball map that records a commit is still read in full (and its broken tail reported)', async () => {
    const s = await scenario();
    const head = `---\n:type: Crystalball::ExecutionMap\n:commit: ${s.mapCommit}\n:timestamp: 1763899200\n:version:\n---\n`;
    writeFileSync(join(s.repo.root, 'cb.yml'), `${head}"./spec/b_spec.rb[1]": [unclosed\n`);
    const r = await runCli(['detect', '--base', 'main', '--coverage-map', 'cb.yml', '--format', 'json'], { cwd: s.repo.root, env: NO_CI });
    const out = JSON.parse(r.stdout) as { mode: string; reasons: string[] };
    expect(out.mode).toBe('full');
    expect(out.reasons[0]).toMatch(/^coverage map cb\.yml is unusable: .*invalid YAML/);
  });
});

describe('.testsift symlinked out of the repository', () => {
  it('is refused as the output folder: exit 2 naming it, nothing written there', async () => {
    const s = await scenario();
    const outside = mkdtempSync(join(tmpdir(), 'testsift-outside-'));
    cleanups.push(() => rmSync(outside, { recursive: true, force: true }));
    // The map is read from elsewhere; .testsift is only where outputs would go.
    await writeMap(join(s.repo.root, 'map.bin'), { commit: s.mapCommit });
    s.repo.remove('.testsift');
    symlinkSync(outside, join(s.repo.root, '.testsift'), 'dir');
    const r = await runCli(['--base', 'main', '--coverage-map', 'map.bin'], { cwd: s.repo.root, bin: DETECT_TESTS_BIN, env: NO_CI });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `testsift: ${join(s.repo.root, '.testsift')}: a symlink to ${outside}, outside the repository ${s.repo.root}; testsift does not write its outputs there`,
    );
    expect(readdirSync(outside)).toEqual([]);
    const merge = await runCli(['timings', 'merge', '--output', '.testsift/timings.json', 'in.json'], { cwd: s.repo.root });
    expect(merge.code).toBe(2);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('a .testsift linked to a folder inside the repository is written as usual', async () => {
    const s = await scenario();
    await writeMap(join(s.repo.root, 'map.bin'), { commit: s.mapCommit });
    s.repo.remove('.testsift');
    mkdirSync(join(s.repo.root, 'cache/testsift'), { recursive: true });
    symlinkSync('cache/testsift', join(s.repo.root, '.testsift'), 'dir');
    const r = await runCli(['--base', 'main', '--coverage-map', 'map.bin'], { cwd: s.repo.root, bin: DETECT_TESTS_BIN, env: NO_CI });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(s.repo.root, 'cache/testsift/detect.json'))).toBe(true);
  });
});
