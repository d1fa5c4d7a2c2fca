/**
 * Jest's test universe in the map: the reporter stores each project's testMatch / testRegex /
 * roots / testPathIgnorePatterns (repo-relative), and detect, with no `tests:` in tests.yml,
 * recognises a new file that matches testMatch under the roots — a file the default globs miss.
 * The reporter runs in-process with the contexts Jest would hand it (no Jest run needed).
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import TestsiftJestReporter from '../../../src/integrations/jest/reporter.js';
import { ENV } from '../../../src/integrations/jest/env.js';
import { readMapRecord } from '../../../src/mappings/coverage/index.js';
import { detectTests } from '../../../src/detect.js';
import { TempRepo } from '../../helpers/git.js';

describe('Jest universe: recorded by the reporter, used by detect', () => {
  let repo: TempRepo;
  const saved = { ...process.env };
  beforeEach(() => {
    repo = new TempRepo('testsift-jest-universe-');
    repo.write({
      '.gitignore': '.testsift\n',
      'src/a.js': 'module.exports = 1;\n',
      'src/a.check.js': "require('../../integrations/a');\n",
      'src/fixtures/skip.check.js': '\n',
      'other/x.test.js': '\n',
    });
    repo.commit('fixture');
  });
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    repo.cleanup();
  });

  async function record(): Promise<void> {
    for (const k of Object.values(ENV)) delete process.env[k];
    const root = repo.root;
    const reporter = new TestsiftJestReporter({ rootDir: root }, { record: true });
    const test = { path: join(root, 'src/a.check.js') };
    reporter.onTestFileStart(test);
    // Jest's (empty) coverage stands in for the worker recorder: the file executed nothing
    // outside itself, and is still a test of the map.
    reporter.onTestFileResult(test, { testFilePath: test.path, coverage: {} });
    const config = {
      rootDir: root,
      roots: [join(root, 'src')],
      testMatch: ['**/*.check.js'],
      testRegex: [],
      testPathIgnorePatterns: ['/node_modules/', `${root}/src/fixtures/`],
    };
    await reporter.onRunComplete(new Set([{ config }]), {});
  }

  test('the map stores testMatch, roots and ignore patterns, repo-relative; an edgeless test is in its table', async () => {
    await record();
    const map = await readMapRecord(join(repo.root, '.testsift/map.json'));
    expect(map.metadata.universe).toEqual({
      runner: 'jest',
      projects: [{ roots: ['src'], testMatch: ['**/*.check.js'], testPathIgnorePatterns: ['/node_modules/', '/src/fixtures/'] }],
    });
    expect(map.tests).toEqual(['src/a.check.js']);
  });

  test('detect without tests: counts a new file matching testMatch as a test, not the ignored or other-root ones', async () => {
    await record();
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write({ 'src/b.check.js': "require('../../integrations/a');\n" });
    repo.commit('new test');
    const r = await detectTests({ cwd: repo.root, base: 'main', env: {} });
    expect(r.reasons).toEqual([]);
    expect(r.mode).toBe('selective');
    expect(r.tests).toEqual(['src/b.check.js']);

    const full = await detectTests({ cwd: repo.root, base: 'main', env: {}, labels: ['pipeline:run-all-tests'] });
    expect(full.mode).toBe('full');
    expect(full.tests).toEqual(['src/a.check.js', 'src/b.check.js']);
  });
});
