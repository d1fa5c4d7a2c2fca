/** `testsift tff` through the real built CLI (dist/), in temp trees. */
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { makeTree, removeTrees } from '../../helpers/tree.js';

afterAll(removeTrees);

const TS_RULES = `mapping:
  - source: 'src/(?<rest>.+)\\.ts'
    test: 'test/%{rest}.test.ts'
  - source: 'src/cli/.+\\.ts'
    test: 'test/cli/**/*.test.ts'
`;

const RAILS_TREE = ['spec/models/user_spec.rb', 'spec/lib/foo_spec.rb', 'spec/x_spec.rb', 'spec/models', 'app/models/user.rb'];

describe('testsift tff', () => {
  it('--help documents the flags, the default mapping and the exit codes', async () => {
    const r = await runCli(['tff', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('-f, --mapping-file FILE');
    expect(r.stdout).toContain('--json MAP');
    expect(r.stdout).toContain('default Rails mapping');
    expect(r.stdout).toContain('NOT picked up automatically');
    expect(r.stdout).toMatch(/Exit codes: 0 .* 2 .* 1/s);
  });

  it("without -f/--json uses tff's default Rails mapping; output sorted, de-duplicated", async () => {
    const cwd = makeTree(RAILS_TREE.filter((f) => f !== 'spec/models'));
    const r = await runCli(['tff', 'spec/x_spec.rb', 'app/models/user.rb', 'lib/foo.rb', 'app/missing.rb', 'spec/x_spec.rb'], { cwd });
    expect(r).toEqual({ code: 0, stdout: 'spec/lib/foo_spec.rb\nspec/models/user_spec.rb\nspec/x_spec.rb\n', stderr: '' });
  });

  it('a tests.yml in the cwd is not used unless passed with -f (like tff)', async () => {
    const cwd = makeTree({ 'tests.yml': TS_RULES, 'test/a.test.ts': '' });
    expect((await runCli(['tff', 'src/a.ts'], { cwd })).stdout).toBe('');
    expect((await runCli(['tff', '-f', 'tests.yml', 'src/a.ts'], { cwd })).stdout).toBe('test/a.test.ts\n');
  });

  it('reads paths from stdin: one a line (spaces kept), or one whitespace-separated line', async () => {
    const cwd = makeTree({
      'tests.yml': TS_RULES,
      'test/a.test.ts': '',
      'test/b c.test.ts': '',
      'test/cli/x.test.ts': '',
      'test/cli/deep/y.test.ts': '',
    });
    const lines = await runCli(['tff', '--mapping-file', 'tests.yml'], { cwd, input: 'src/a.ts\nsrc/b c.ts\n' });
    expect(lines).toEqual({ code: 0, stdout: 'test/a.test.ts\ntest/b c.test.ts\n', stderr: '' });
    const oneLine = await runCli(['tff', '--yaml', 'tests.yml'], { cwd, input: 'src/a.ts   ./src/cli/main.ts\n' });
    expect(oneLine.stdout).toBe('test/a.test.ts\ntest/cli/deep/y.test.ts\ntest/cli/x.test.ts\n');
  });

  it('glob characters in a changed path are literal', async () => {
    const cwd = makeTree({ 'tests.yml': TS_RULES, 'test/routes/[id].test.ts': '', 'test/routes/i.test.ts': '' });
    const r = await runCli(['tff', '-f', 'tests.yml', 'src/routes/[id].ts'], { cwd });
    expect(r.stdout).toBe('test/routes/[id].test.ts\n');
  });

  it('--json: exact lookup (./ keys too), existing files only, no default Rails mapping; unions with -f', async () => {
    const cwd = makeTree({
      'tests.yml': TS_RULES,
      'map.json': JSON.stringify({
        'app/models/user.rb': ['spec/models/user_spec.rb', 'spec/gone_spec.rb'],
        './src/a.ts': ['test/other.test.ts'],
      }),
      'spec/models/user_spec.rb': '',
      'test/a.test.ts': '',
      'test/other.test.ts': '',
    });
    expect((await runCli(['tff', '--json', 'map.json', 'app/models/user.rb', 'lib/x.rb'], { cwd })).stdout).toBe('spec/models/user_spec.rb\n');
    expect((await runCli(['tff', '--json', 'map.json', '-f', 'tests.yml', 'src/a.ts'], { cwd })).stdout).toBe('test/a.test.ts\ntest/other.test.ts\n');
  });

  it('nothing matching is success with empty output', async () => {
    const cwd = makeTree({ 'tests.yml': TS_RULES });
    expect(await runCli(['tff', '-f', 'tests.yml', 'README.md'], { cwd })).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('invalid input exits 2 naming the file and problem', async () => {
    const cwd = makeTree({
      'bad.yml': "mapping:\n  - source: 'src/(?<a>.+)'\n    test: 'x/%s'\n",
      'bad.json': '["not", "an", "object"]',
      'worse.json': '{"a": "b"}',
    });
    const yml = await runCli(['tff', '-f', 'bad.yml', 'src/a.ts'], { cwd });
    expect(yml.code).toBe(2);
    expect(yml.stderr).toBe(
      "testsift: bad.yml:3:11 (mapping[0].test): test template 'x/%s' uses %s but source 'src/(?<a>.+)' has named groups (named and numbered captures cannot be mixed)\n",
    );
    const arr = await runCli(['tff', '--json', 'bad.json', 'a'], { cwd });
    expect(arr.code).toBe(2);
    expect(arr.stderr).toContain('bad.json: json file should contain a json object, with array of test files as the values; got an array');
    const val = await runCli(['tff', '--json', 'worse.json', 'a'], { cwd });
    expect(val.stderr).toContain('worse.json ("a"): json file should contain a json object');
    const missing = await runCli(['tff', '-f', 'nope.yml', 'a'], { cwd });
    expect([missing.code, missing.stderr]).toEqual([2, 'testsift: nope.yml: file not found\n']);
    const flag = await runCli(['tff', '--bogus'], { cwd });
    expect(flag.code).toBe(2);
    const mr = await runCli(['tff', '--project-path', 'gitlab-org/gitlab', 'a'], { cwd });
    expect(mr.code).toBe(2);
    expect(mr.stderr).toContain('not supported');
  });

  it("works with GitLab's real tests.yml", async () => {
    const cwd = makeTree([
      'spec/models/every_model_spec.rb',
      'spec/lib/gitlab/import_export/model_configuration_spec.rb',
      'ee/spec/models/project_spec.rb',
      'spec/requests/api/project_hooks_spec.rb',
    ]);
    const r = await runCli(
      ['tff', '-f', '/work/shared/data/real/mappings/gitlabhq__gitlabhq__tests.yml__017a6c12.yml', 'ee/app/models/project.rb', 'lib/api/hooks/x.rb'],
      { cwd },
    );
    expect(r).toEqual({
      code: 0,
      stdout:
        'ee/spec/models/project_spec.rb\nspec/lib/gitlab/import_export/model_configuration_spec.rb\nspec/models/every_model_spec.rb\nspec/requests/api/project_hooks_spec.rb\n',
      stderr: '',
    });
  });
});
