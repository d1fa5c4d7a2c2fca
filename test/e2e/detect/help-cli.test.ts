/** Help as a user asks for it: `testsift help CMD`, `CMD --help`, and the CI wrapper's `--help`. */
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DETECT_TESTS_BIN, runCli } from '../../helpers/cli.js';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'testsift-help-')));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('help', () => {
  it("`testsift help CMD` prints CMD's help, the same as `CMD --help`", async () => {
    for (const cmd of ['detect', 'report', 'shard', 'map', 'timings', 'tff', 'verify-mapping']) {
      const viaHelp = await runCli(['help', cmd], { cwd: dir });
      const viaFlag = await runCli([cmd, '--help'], { cwd: dir });
      expect(viaHelp.code, cmd).toBe(0);
      expect(viaHelp.stdout, cmd).toBe(viaFlag.stdout);
      expect(viaHelp.stdout, cmd).not.toContain('Commands:');
    }
    expect((await runCli(['help', 'detect'], { cwd: dir })).stdout).toContain('Usage: testsift detect');
    expect((await runCli(['help', 'report'], { cwd: dir })).stdout).toContain('Usage: testsift report');
    expect((await runCli(['help'], { cwd: dir })).stdout).toMatch(/^ {2}report +Write a self-contained HTML report/m);
  });

  it('`testsift help` alone is the overview; an unknown command is exit 2', async () => {
    const overview = await runCli(['help'], { cwd: dir });
    expect(overview.code).toBe(0);
    expect(overview.stdout).toContain('Commands:');
    const unknown = await runCli(['help', 'frobnicate'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
  });

  it('detect-tests --help prints the detect help, exit 0, and writes no artifact', async () => {
    const r = await runCli(['--help'], { cwd: dir, bin: DETECT_TESTS_BIN });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('detect-tests [options]');
    expect(r.stdout).toContain('--ci');
    expect(r.stderr).toBe('');
    expect(existsSync(join(dir, '.testsift'))).toBe(false);
  });
});
