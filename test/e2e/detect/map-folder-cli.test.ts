/**
 * `--coverage-map` naming a folder (a Crystalball map folder, per-test istanbul coverage) is read
 * like `testsift map import` reads it, not reported "not found" (the help says any supported
 * format works).
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runJson } from '../../helpers/cli.js';
import { TempRepo } from '../../helpers/git.js';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

function rubyProject(): { repo: TempRepo; base: string } {
  const r = new TempRepo('testsift-mapdir-');
  r.write({
    'tests.yml': "tests: ['spec/**/*_spec.rb']\ncoverage_map: maps\n",
    'app/models/user.rb': 'class User; end\n',
    'lib/util.rb': 'module Util; end\n',
    'spec/models/user_spec.rb': '',
    'spec/lib/util_spec.rb': '',
    '.gitignore': 'maps/\n',
  });
  const base = r.commit('init');
  r.git('checkout', '-q', '-b', 'feature');
  r.write({ 'app/models/user.rb': 'class User; def x; end; end\n' }).commit('user');
  return { repo: r, base };
}

describe('detect --coverage-map FOLDER', () => {
  it('a Crystalball map folder (coverage_map in tests.yml) is sniffed and selects from it (selective)', async () => {
    const p = rubyProject();
    repo = p.repo;
    const head = [`---`, `:type: Crystalball::ExecutionMap`, `:commit: ${p.base}`, `:timestamp: ${Math.floor(Date.now() / 1000)}`, `:version:`, `---`].join('\n');
    repo.write({
      'maps/rspec_1.yml': `${head}\n"./spec/models/user_spec.rb[1:1]":\n- app/models/user.rb\n`,
      'maps/rspec_2.yml': `${head}\n"./spec/lib/util_spec.rb[1:1]":\n- lib/util.rb\n`,
    });
    const { json } = await runJson(['detect', '--base', 'main'], repo.root);
    expect(json.reasons).toEqual([]);
    expect(json.mode).toBe('selective');
    expect(json.map.format).toBe('crystalball');
    expect(json.tests).toEqual(['spec/models/user_spec.rb']);
  });

  it('--coverage-map with a folder of per-test istanbul coverage is read (paths relative to the repository); it records no commit, which is the reason given', async () => {
    const p = rubyProject();
    repo = p.repo;
    const cov = (file: string) =>
      JSON.stringify({
        [join(repo!.root, file)]: {
          path: join(repo!.root, file),
          statementMap: { '0': { start: { line: 1, column: 0 }, end: { line: 1, column: 10 } } },
          fnMap: {},
          branchMap: {},
          s: { '0': 1 },
          f: {},
          b: {},
        },
      });
    repo.write({ 'maps/spec/models/user_spec.rb.json': cov('app/models/user.rb'), 'maps/spec/lib/util_spec.rb.json': cov('lib/util.rb') });
    const { json } = await runJson(['detect', '--base', 'main', '--coverage-map', 'maps'], repo.root);
    expect(json.map.format).toBe('istanbul-folder');
    expect(json.mode).toBe('full');
    // A map that records no commit is the full suite whatever it holds: decided from its format
    // before it is read (a foreign map may be 1 GB), so its rows explain nothing here.
    expect(json.reasons[0]).toBe(
      'coverage map maps records no commit, so what changed since it was recorded is unknown (record it with testsift, or import it with --commit SHA)',
    );
    expect(json.tests).toEqual(['spec/lib/util_spec.rb', 'spec/models/user_spec.rb']);
  });
});
