import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTimingReport } from '../../../src/sharding/index.js';
import { runCli } from '../../helpers/cli.js';
import { NYPL_ROOT, REAL_TIMINGS } from '../../helpers/real-reports.js';
import { scratchDirs } from '../../helpers/repo-fixture.js';

const scratch = scratchDirs('testsift-cli-timings-');

function tmp(): string {
  return scratch();
}

describe('testsift timings merge', () => {
  it('merges real reports of different formats into sorted knapsack JSON', async () => {
    const dir = tmp();
    const out = join(dir, 'merged.json');
    const a = join(REAL_TIMINGS, 'equinor__ecalc__.test_durations');
    const b = join(REAL_TIMINGS, 'discourse__discourse__knapsack_rspec_report.json');
    const r = await runCli(['timings', 'merge', a, b, '--output', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    const keys = Object.keys(JSON.parse(text) as object);
    expect(keys).toEqual([...keys].sort());
    expect(keys).toHaveLength(118 + 559);
    expect(await readTimingReport(out)).toEqual(new Map([...(await readTimingReport(a)), ...(await readTimingReport(b))]));
  });

  it('ema with --alpha, in place (the output is an input)', async () => {
    const dir = tmp();
    const main = join(dir, 'main.json');
    writeFileSync(main, JSON.stringify({ 'spec/a_spec.rb': 10, 'spec/b_spec.rb': 2 }));
    const job = join(dir, 'job.log');
    writeFileSync(job, 'Randomized with seed 1\n./spec/a_spec.rb:20\n');
    const r = await runCli(['timings', 'merge', main, job, '--output', main, '--strategy', 'ema', '--alpha', '0.5']);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(main, 'utf8'))).toEqual({ 'spec/a_spec.rb': 15, 'spec/b_spec.rb': 2 });
  });

  it('--prune-missing drops files that no longer exist under --root', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'spec'));
    writeFileSync(join(dir, 'spec', 'kept_spec.rb'), '');
    const input = join(dir, 'in.json');
    writeFileSync(input, JSON.stringify({ 'spec/kept_spec.rb': 1, 'spec/deleted_spec.rb': 2 }));
    const r = await runCli(['timings', 'merge', input, '--output', join(dir, 'out.json'), '--prune-missing', '--root', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('pruned 1');
    expect(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'))).toEqual({ 'spec/kept_spec.rb': 1 });
  });

  it('a corrupt input exits 2 naming the file, and leaves the output untouched', async () => {
    const dir = tmp();
    const out = join(dir, 'main.json');
    writeFileSync(out, '{"spec/a_spec.rb": 1}\n');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"spec/a_spec.rb": "slow"}');
    const r = await runCli(['timings', 'merge', out, bad, '--output', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(bad);
    expect(r.stderr).toContain('spec/a_spec.rb');
    expect(readFileSync(out, 'utf8')).toBe('{"spec/a_spec.rb": 1}\n');
  });

  it('--prune-missing that would drop every file (a wrong --root) exits 2 and leaves the output untouched', async () => {
    const dir = tmp();
    const main = join(dir, 'main.json');
    const before = '{"spec/a_spec.rb": 1, "spec/b_spec.rb": 2}\n';
    writeFileSync(main, before);
    const r = await runCli(['timings', 'merge', main, '--output', main, '--prune-missing', '--root', join(dir, 'not-the-checkout')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('timings merge: --prune-missing would drop all 2 files: none exists under --root');
    expect(r.stderr).toContain('(e.g. spec/a_spec.rb)');
    expect(r.stderr).toContain('Nothing written');
    expect(readFileSync(main, 'utf8')).toBe(before);
  });

  it('jest --json with a wrong or missing --root exits 2 naming the path outside, and writes nothing', async () => {
    const dir = tmp();
    const out = join(dir, 'main.json');
    writeFileSync(out, '{"spec/a_spec.rb": 1}\n');
    const nypl = join(REAL_TIMINGS, 'NYPL__nypl-design-system__.jest-test-results.json');
    const r = await runCli(['timings', 'merge', out, nypl, '--output', out], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${nypl} (testResults[0].name)`);
    expect(r.stderr).toContain('is outside the root');
    expect(r.stderr).toContain('--root');
    expect(readFileSync(out, 'utf8')).toBe('{"spec/a_spec.rb": 1}\n');
    const right = await runCli(['timings', 'merge', nypl, '--output', out, '--root', NYPL_ROOT], { cwd: dir });
    expect(right.code).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(out, 'utf8')) as object).every((k) => k.startsWith('src/'))).toBe(true);
  });

  it('bad usage exits 2 with one `testsift: timings…` prefix', async () => {
    for (const args of [
      ['merge'],
      ['merge', 'a.json'],
      ['merge', 'a.json', '--output', 'o', '--strategy', 'mean'],
      ['merge', 'a.json', '--output', 'o', '--alpha', '2'],
      ['merge', 'a.json', '--output', 'o', '--alpha', 'x'],
      ['merge', '--frob'],
      ['frob'],
    ]) {
      const r = await runCli(['timings', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^testsift: timings( merge)?: /);
      expect(r.stderr).not.toContain('testsift: testsift');
    }
  });

  it('has --help', async () => {
    const r = await runCli(['timings', 'merge', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--prune-missing');
  });
});
