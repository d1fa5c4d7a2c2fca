import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

describe('testsift CLI entry', () => {
  it('lists the commands with --help and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['detect', 'shard', 'map', 'timings', 'tff', 'verify-mapping']) expect(r.stdout).toContain(c);
  });
  it('rejects an unknown command with exit 2', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });
});
