/**
 * Invalid tests.yml → MappingError (exit 2) naming file:line:column, the key, and what was
 * expected. Positions were checked by reading each document below.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { MappingError } from '../../../src/errors.js';
import { makeTree, removeTrees } from '../../helpers/tree.js';

afterAll(removeTrees);

async function failure(yaml: string): Promise<MappingError> {
  const root = makeTree({ 'tests.yml': yaml });
  try {
    await loadConfig('tests.yml', { root });
  } catch (err) {
    expect(err).toBeInstanceOf(MappingError);
    expect((err as MappingError).exitCode).toBe(2);
    return err as MappingError;
  }
  throw new Error('expected loadConfig to fail');
}

describe('loadConfig errors', () => {
  it('YAML syntax errors carry the parser position', async () => {
    expect((await failure('mapping:\n  - source: a\n   test: b\n')).message).toBe('tests.yml:3:1: invalid YAML: Sequence item without - indicator');
    expect((await failure('mapping:\n  - source: a\n    source: b\n    test: c\n')).message).toBe('tests.yml:3:5: invalid YAML: Map keys must be unique');
  });

  it("missing `mapping`: tff's message", async () => {
    expect((await failure('foo: 1\n')).message).toBe('tests.yml:1:1 (mapping): missing `mapping` in test mapping file');
    expect((await failure('mapping:\n')).message).toBe('tests.yml:1:1 (mapping): missing `mapping` in test mapping file');
    expect((await failure('- a\n')).message).toMatch(/^tests\.yml:1:1 \(mapping\): missing `mapping` in test mapping file \(.*got a list\)$/);
  });

  it("an entry without source or test: tff's message, pointing at the entry", async () => {
    const e = await failure("mapping:\n  - source: 'a'\n    test: 'a'\n  - source: 'b'\n");
    expect(e.message).toBe('tests.yml:4:5 (mapping[1]): missing `source` or `test` in test mapping file (`test` is missing)');
    expect(e.location).toEqual({ file: 'tests.yml', line: 4, column: 5, key: 'mapping[1]' });
    expect((await failure("mapping:\n  - test: 'c'\n")).message).toMatch(/\(mapping\[0\]\): .*\(`source` is missing\)$/);
  });

  it('wrong types say what was expected', async () => {
    expect((await failure("mapping: []\ntests: 'test/**'\n")).message).toBe("tests.yml:2:8 (tests): expected a list of strings, got the string 'test/**'");
    expect((await failure("mapping: []\ntests: ['a', 3]\n")).message).toBe('tests.yml:2:14 (tests[1]): expected a string, got number 3 (quote it to make it a string)');
    expect((await failure('mapping: []\nfull_suite:\n  unmapped: sometimes\n')).message).toBe(
      "tests.yml:3:13 (full_suite.unmapped): expected 'full' or 'ignore', got the string 'sometimes'",
    );
    expect((await failure('mapping: []\nfail_fast: { threshold: 0 }\n')).message).toBe('tests.yml:2:25 (fail_fast.threshold): expected a positive integer, got number 0');
    expect((await failure('mapping: []\nfail_fast:\n  threshold: 2.5\n')).message).toBe(
      'tests.yml:3:14 (fail_fast.threshold): expected a positive integer, got number 2.5',
    );
    expect((await failure('mapping: []\nfull_suite: { max_map_age_hours: -1 }\n')).message).toMatch(/^tests\.yml:2:34 .*≥ 0/);
    expect((await failure('mapping:\n  - source: 123\n    test: x\n')).message).toBe(
      'tests.yml:2:13 (mapping[0].source): expected a string or a list of strings, got number 123 (quote it to make it a string)',
    );
    expect((await failure('mapping:\n  - source: []\n    test: x\n')).message).toMatch(/^tests\.yml:2:13 .*got an empty list$/);
  });

  it('an empty test universe is an error: a full-suite run would run nothing', async () => {
    expect((await failure('mapping: []\ntests: []\n')).message).toBe(
      'tests.yml:2:8 (tests): expected at least one test glob: an empty `tests:` list would make the full suite run no test (leave `tests:` out to use the defaults)',
    );
    expect((await failure("mapping: []\ntests:\n  - 'test/**'\n  - ''\n")).message).toBe('tests.yml:4:5 (tests[1]): expected a test glob, got an empty string');
  });

  it('an invalid regex shows the regex and the engine complaint', async () => {
    expect((await failure("mapping:\n  - source: 'app/[z-a]'\n    test: x\n")).message).toBe(
      "tests.yml:2:13 (mapping[0].source): source regex 'app/[z-a]': not a valid regex: Range out of order in character class (as JavaScript: /^app/[z-a]$/u)",
    );
    expect((await failure("mapping:\n  - source: 'app/(.+'\n    test: x\n")).message).toBe(
      "tests.yml:2:13 (mapping[0].source): source regex 'app/(.+': unterminated group `(`",
    );
  });

  it('Ruby-only syntax is rejected at the line of that list item', async () => {
    expect((await failure("mapping:\n  - source:\n      - 'ok'\n      - '\\Gapp'\n    test: x\n")).message).toBe(
      "tests.yml:4:9 (mapping[0].source): source regex '\\Gapp': \\G (match start anchor) is Ruby-only syntax with no JavaScript equivalent",
    );
  });

  it('named and numbered captures mixed, or a name the source lacks', async () => {
    expect((await failure("mapping:\n  - source: '(?<a>x)/(y)'\n    test: 'spec/%s'\n")).message).toBe(
      "tests.yml:3:11 (mapping[0].test): test template 'spec/%s' uses %s but source '(?<a>x)/(y)' has named groups (named and numbered captures cannot be mixed)",
    );
    expect((await failure("mapping:\n  - source: '(?<a>x)'\n    test: 'spec/%{a}/%s'\n")).message).toMatch(/mixes named/);
    expect((await failure("mapping:\n  - source: '(?<a>x)'\n    test:\n      - ok\n      - 'spec/%{b}'\n")).message).toBe(
      "tests.yml:5:9 (mapping[0].test): test template 'spec/%{b}' uses %{b} but source '(?<a>x)' has no group named 'b'",
    );
    expect((await failure("mapping:\n  - source: 'a/(x)'\n    test: 'spec/%s/%s'\n")).message).toMatch(/has 2 %s but source 'a\/\(x\)' has only 1 capture group/);
  });

  it('a file that does not exist', async () => {
    const root = makeTree([]);
    await expect(loadConfig(['missing.yml'], { root })).rejects.toThrow(/^missing\.yml: file not found$/);
  });
});
