/**
 * Paths a one-a-line list cannot hold. A test path with a line break is an error in list output
 * (exit 2 naming it) unless `-z` asks for NUL-terminated paths, as git writes them; those read
 * back whole through `shard --tests` and TESTSIFT_SELECT. A list line starting with `#` is a
 * path unless it is a comment (`# ` or a bare `#`).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSelection } from '../../../src/integrations/shared/selection.js';
import { NO_CI, runCli } from '../../helpers/cli.js';
import { TempRepo } from '../../helpers/git.js';

const NEWLINE = 'test/new\nline.test.ts';
const HASH = 'test/#hash.test.ts';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

/** A repo whose test universe holds a path with a newline and one with a `#`; both changed. */
function makeRepo(): TempRepo {
  repo = new TempRepo('testsift-nul-');
  repo.write({ 'tests.yml': "tests: ['test/**/*.test.ts']\n", 'test/a.test.ts': '', [NEWLINE]: '', [HASH]: '' });
  repo.commit('tests');
  writeFileSync(join(repo.root, 'changed.z'), `${HASH}\0${NEWLINE}\0`);
  return repo;
}

const detect = (r: TempRepo, ...args: string[]) => runCli(['detect', '--coverage-map', 'none', '--changed-files', 'changed.z', ...args], { cwd: r.root, env: NO_CI });

describe('detect --format list', () => {
  it('a path with a line break is exit 2 naming it and pointing at -z, and nothing is written', async () => {
    const r = makeRepo();
    const out = await detect(r, '--list-output', 'tests.txt');
    expect(out.code).toBe(2);
    expect(out.stderr).toBe(
      'testsift: detect: the test path "test/new\\nline.test.ts" contains a line break, so a list of one path a line would split it; use -z (NUL-terminated paths, as git -z writes them) or --format json\n',
    );
    expect(out.stdout).toBe('');
    expect(existsSync(join(r.root, 'tests.txt'))).toBe(false);
  });

  it('-z prints NUL-terminated paths, which read back whole as TESTSIFT_SELECT and shard --tests', async () => {
    const r = makeRepo();
    const out = await detect(r, '-z');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toBe(`${HASH}\0${NEWLINE}\0`);
    const file = await detect(r, '--null', '--output', 'sel.z');
    expect(file.code, file.stderr).toBe(0);
    expect(readSelection('sel.z', { cwd: r.root })).toEqual({ mode: 'selective', tests: [HASH, NEWLINE], origin: 'sel.z' });
    const shard = await runCli(['shard', '--tests', 'sel.z', '--total', '1', '--index', '1', '-z'], { cwd: r.root, env: NO_CI });
    expect(shard.code, shard.stderr).toBe(0);
    expect(shard.stdout.split('\0').filter(Boolean).sort()).toEqual([HASH, NEWLINE]);
  });
});

describe('shard', () => {
  it('--tests keeps a path starting with # (only "# " lines and a bare # are comments)', async () => {
    const r = makeRepo();
    mkdirSync(join(r.root, 'lists'));
    writeFileSync(join(r.root, 'lists/tests.txt'), '# shard 1/2 (1.0s)\n#\n#top.test.ts\ntest/a.test.ts\n');
    const out = await runCli(['shard', '--tests', 'lists/tests.txt', '--total', '1', '--format', 'json'], { cwd: r.root, env: NO_CI });
    expect(out.code, out.stderr).toBe(0);
    expect((JSON.parse(out.stdout) as { shards: Array<{ tests: string[] }> }).shards[0]!.tests.sort()).toEqual(['#top.test.ts', 'test/a.test.ts']);
  });

  it('list output of a path with a line break is exit 2; -z needs --index', async () => {
    const r = makeRepo();
    const timings = join(r.root, 'timings.json');
    writeFileSync(timings, JSON.stringify({ [NEWLINE]: 1, 'test/a.test.ts': 2 }));
    const list = await runCli(['shard', '--timings', timings, '--total', '1', '--index', '1'], { cwd: r.root, env: NO_CI });
    expect(list.code).toBe(2);
    expect(list.stderr).toContain('shard: the test path "test/new\\nline.test.ts" contains a line break');
    const all = await runCli(['shard', '--timings', timings, '--total', '2', '-z'], { cwd: r.root, env: NO_CI });
    expect(all.code).toBe(2);
    expect(all.stderr).toContain('-z prints the paths of one shard: give --index');
    const z = await runCli(['shard', '--timings', timings, '--total', '1', '--index', '1', '-z'], { cwd: r.root, env: NO_CI });
    expect(z.code, z.stderr).toBe(0);
    expect(z.stdout.split('\0').filter(Boolean).sort()).toEqual(['test/a.test.ts', NEWLINE]);
    const headers = await runCli(['shard', '--timings', timings, '--total', '2'], { cwd: r.root, env: NO_CI });
    expect(headers.code).toBe(2);
  });
});
