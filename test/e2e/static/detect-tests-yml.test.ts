/**
 * tests.yml through `testsift detect` (real git repo, real built CLI): glob rules select and
 * explain changes, so a change a glob rule covers does not fall back to the full suite.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { TempRepo } from '../../helpers/git.js';

const repos: TempRepo[] = [];
afterAll(() => repos.forEach((r) => r.cleanup()));

describe('tests.yml in detect', () => {
  it('a change covered only by a glob rule is selected and explained (selective, not full)', async () => {
    const repo = new TempRepo();
    repos.push(repo);
    repo.write({
      'tests.yml': "mapping:\n  - source: 'src/cli/.+\\.ts'\n    test: 'test/cli/**/*.test.ts'\n",
      'src/cli/main.ts': 'export {};\n',
      'src/other.ts': 'export {};\n',
      'test/cli/a.test.ts': '',
      'test/cli/deep/b.test.ts': '',
      'test/other.test.ts': '',
    });
    repo.commit('init');
    repo.write({ 'src/cli/main.ts': 'export const x = 1;\n' });
    repo.commit('change cli');
    const r = await runCli(['detect', '--base', 'HEAD~1', '--coverage-map', 'none', '--format', 'json'], { cwd: repo.root });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      mode: string;
      tests: string[];
      unmapped: string[];
      selection: Array<{ test: string; because: Array<{ strategy: string; detail?: string }> }>;
    };
    expect(out.mode).toBe('selective');
    expect(out.tests).toEqual(['test/cli/a.test.ts', 'test/cli/deep/b.test.ts']);
    expect(out.unmapped).toEqual([]);
    expect(out.selection[0]!.because).toEqual([{ strategy: 'tests.yml', file: 'src/cli/main.ts', detail: 'tests.yml:2' }]);
  });
});
