import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NO_CI, runCli } from '../../helpers/cli.js';
import { makeScenario, type Scenario } from '../../helpers/scenario.js';

/*
 * Changed-files lists as long as a big monorepo's diff. `entries.push(...lines)` passed every line
 * as a call argument: ~150k lines overflowed the stack (exit 1, RangeError). Through the real CLI,
 * from a file, from stdin, and as GitLab's one-line space-separated list.
 */
const N = 200_000;
let s: Scenario;
afterEach(() => s?.repo.cleanup());

function longList(sep: string): string {
  const lines = ['src/money.ts'];
  for (let i = 0; i < N; i++) lines.push(`app/gone/file${i}.rb`);
  return lines.join(sep) + '\n';
}

async function detect(args: string[], input?: string) {
  const r = await runCli(['detect', ...args, '--format', 'json'], { cwd: s.repo.root, env: NO_CI, input });
  expect(r.stderr).not.toMatch(/unexpected error|RangeError/);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as { changedFiles: string[]; tests: string[] };
}

describe('a changed-files list of 200k lines', () => {
  it('from a file: every line is a changed file and the selection still comes out', async () => {
    s = await makeScenario();
    writeFileSync(join(s.repo.root, 'changes.txt'), longList('\n'));
    const json = await detect(['--changed-files', 'changes.txt']);
    expect(json.changedFiles).toHaveLength(N + 1);
    expect(json.tests).toContain('test/money.test.ts');
  }, 60_000);

  it('from stdin (-)', async () => {
    s = await makeScenario();
    const json = await detect(['--changed-files', '-'], longList('\n'));
    expect(json.changedFiles).toHaveLength(N + 1);
    expect(json.tests).toContain('test/money.test.ts');
  }, 60_000);

  it('as one space-separated line (GitLab tooling) with only some parts existing: the parts and the whole line', async () => {
    s = await makeScenario();
    writeFileSync(join(s.repo.root, 'changes.txt'), longList(' '));
    const json = await detect(['--changed-files', 'changes.txt']);
    expect(json.changedFiles).toHaveLength(N + 2);
    expect(json.tests).toContain('test/money.test.ts');
  }, 60_000);
});
