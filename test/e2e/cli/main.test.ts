import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DETECT_TESTS_BIN, runCli } from '../../helpers/cli.js';

describe('testsift CLI entry', () => {
  it('lists the commands with --help and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['detect', 'shard', 'map', 'timings', 'tff', 'verify-mapping']) expect(r.stdout).toContain(c);
  });
  it('prints the version for --version, -v and -V, from both bins', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const bin of [undefined, DETECT_TESTS_BIN]) {
      for (const flag of ['--version', '-v', '-V']) {
        const r = await runCli([flag], { bin });
        expect(r.code, `${bin ?? 'testsift'} ${flag}: ${r.stderr}`).toBe(0);
        expect(r.stdout).toBe(`${version}\n`);
      }
    }
  });
  it('rejects an unknown command with exit 2', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });
  it('names a bad option once per command, with a single testsift: prefix and exit 2', async () => {
    for (const argv of [
      ['detect', '--bogus'],
      ['map', 'merge', '--bogus'],
      ['tff', '--bogus'],
      ['verify-mapping', '--bogus'],
      ['timings', 'merge', '--bogus'],
      ['shard', '--bogus'],
    ]) {
      const r = await runCli(argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^testsift: [a-z-]+( [a-z]+)?: /);
      expect(r.stderr).not.toContain('testsift: testsift');
      expect(r.stderr).toContain("'--bogus'");
    }
  });
});
