/**
 * A change to testsift's own configuration is judged by nobody's rules but forces the full suite:
 * otherwise a merge request could rewrite tests.yml (`unmapped: ignore`, a dropped rule) and be
 * selected by the rules it just wrote.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { detectTests } from '../../../src/detect.js';
import { runJson } from '../../helpers/cli.js';
import { TempRepo } from '../../helpers/git.js';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

const BASE_YML = "mapping:\n  - source: 'src/(?<n>.+)\\.ts'\n    test: 'test/%{n}.test.ts'\ntests: ['test/**/*.test.ts']\ncoverage_map: none\n";

function project(files: Record<string, string> = {}): TempRepo {
  const r = new TempRepo('testsift-cfgchange-');
  r.write({ 'src/a.ts': 'export const a = 1;\n', 'test/a.test.ts': '', 'test/b.test.ts': '', ...files });
  r.commit('init');
  r.git('checkout', '-q', '-b', 'feature');
  return r;
}

const detect = (opts: Parameters<typeof detectTests>[0] = {}) => detectTests({ cwd: repo!.root, base: 'main', env: {}, ...opts });

describe('a change to the configuration detect reads', () => {
  it('tests.yml rewritten to `unmapped: ignore` beside an unmapped change: the full suite, naming tests.yml', async () => {
    repo = project({ 'tests.yml': BASE_YML });
    repo.write({ 'tests.yml': `${BASE_YML}full_suite: { unmapped: ignore }\n`, 'src/unmapped/x.js': 'x\n' }).commit('sneak');
    const r = await detect();
    expect(r.mode).toBe('full');
    expect(r.reasons).toEqual(['testsift configuration changed: tests.yml']);
    expect(r.tests).toEqual(['test/a.test.ts', 'test/b.test.ts']);
  });

  it('adding tests.yml where there was none (defaults before) is a configuration change too', async () => {
    repo = project();
    repo.write({ 'tests.yml': `${BASE_YML}full_suite: { unmapped: ignore }\n` }).commit('add config');
    const r = await detect();
    expect(r.reasons).toEqual(['testsift configuration changed: tests.yml']);
  });

  it('a --config / --mapping file in the repository (not at the root) is watched; an unrelated yml is not', async () => {
    repo = project({ 'ci/tests.yml': BASE_YML, 'ci/extra.yml': 'ignore: ["docs/**"]\n', 'ci/other.yml': 'x: 1\n' });
    repo.write({ 'ci/extra.yml': 'ignore: ["docs/**", "src/**"]\n' }).commit('extra');
    const r = await detect({ config: ['ci/tests.yml', 'ci/extra.yml'] });
    expect(r.reasons).toEqual(['testsift configuration changed: ci/extra.yml']);

    repo.write({ 'ci/other.yml': 'x: 2\n' }).commit('other');
    const only = await detect({ base: 'HEAD~1', config: ['ci/tests.yml', 'ci/extra.yml'] });
    expect(only.reasons).toEqual(['unmapped change: ci/other.yml — not a test, not ignored, not matched by tests.yml and not known to the coverage map']);
  });

  it('a renamed or deleted tests.yml is a configuration change', async () => {
    repo = project({ 'tests.yml': BASE_YML });
    repo.git('mv', 'tests.yml', 'old-tests.yml');
    repo.commit('move');
    const r = await detect();
    expect(r.reasons).toContain('testsift configuration changed: tests.yml');
  });

  it('through the CLI: --mapping names the file in the reason', async () => {
    repo = project({ 'tests.yml': BASE_YML, 'more.yml': "mapping:\n  - source: 'lib/.+'\n    test: 'test/b.test.ts'\n" });
    repo.write({ 'more.yml': "mapping:\n  - source: 'lib/.+'\n    test: 'test/a.test.ts'\n" }).commit('more');
    const { json, stderr } = await runJson(['detect', '--base', 'main', '--config', 'tests.yml', '--mapping', 'more.yml'], repo.root);
    expect(json.mode).toBe('full');
    expect(json.reasons).toEqual(['testsift configuration changed: more.yml']);
    expect(stderr).toContain('testsift: full suite: testsift configuration changed: more.yml');
  });
});
