import { afterAll, describe, expect, it } from 'vitest';
import type { MappingRule } from '../../../../src/config/types.js';
import { MappingError } from '../../../../src/errors.js';
import { matchStatic, testsOf } from '../../../../src/mappings/static/index.js';
import { parseTemplate, renderTemplate } from '../../../../src/config/template.js';
import { createFileIndex } from '../../../../src/util/files.js';
import { makeTree, removeTrees } from '../../../helpers/tree.js';

afterAll(removeTrees);

let n = 0;
const rule = (sources: string | string[], tests: string | string[]): MappingRule => ({
  sources: Array.isArray(sources) ? sources : [sources],
  tests: Array.isArray(tests) ? tests : [tests],
  file: 'rules.yml',
  line: 10 + n,
  index: n++,
});

describe('matchStatic: tff semantics on a TS project', () => {
  const root = makeTree([
    'src/routes/[id].ts',
    'test/routes/[id].test.ts',
    'test/routes/i.test.ts',
    'test/routes/d.test.ts',
    'test/cli/a.test.ts',
    'test/cli/deep/b.test.ts',
    'test/cli/.skip/c.test.ts',
    'test/util/fs.test.ts',
    'test/integration.test.ts',
  ]);
  const files = createFileIndex(root);

  it('plain templates are kept only if the file exists', () => {
    const r = rule('src/(?<rest>.+)\\.ts', 'test/%{rest}.test.ts');
    expect(testsOf(matchStatic([r], ['src/util/fs.ts', 'src/util/missing.ts'], files))).toEqual(['test/util/fs.test.ts']);
  });

  it('glob characters in a changed path stay literal (plain and glob templates)', () => {
    const plain = rule('src/(?<rest>.+)\\.ts', 'test/%{rest}.test.ts');
    const glob = rule('src/(?:.+/)?(?<name>[^/]+)\\.ts', 'test/**/%{name}.test.ts');
    expect(testsOf(matchStatic([plain], ['src/routes/[id].ts'], files))).toEqual(['test/routes/[id].test.ts']);
    // tff would glob test/**/[id].test.ts and also pick i.test.ts and d.test.ts.
    expect(testsOf(matchStatic([glob], ['src/routes/[id].ts'], files))).toEqual(['test/routes/[id].test.ts']);
  });

  it('a glob template expands over existing files (dot dirs excluded like Dir.glob)', () => {
    const r = rule('src/cli/.+\\.ts', 'test/cli/**/*.test.ts');
    expect(testsOf(matchStatic([r], ['src/cli/main.ts'], files))).toEqual(['test/cli/a.test.ts', 'test/cli/deep/b.test.ts']);
  });

  it('an empty capture between slashes (spec//x) still finds spec/x, as File.exist? does', () => {
    const r = rule('src/(?:(?<dir>[a-z]+)/)?(?<name>[^/]+)\\.ts', ['test/%{dir}/%{name}.test.ts', 'test/%{dir}/../util/fs.test.ts']);
    // test//../util/fs.test.ts is util/fs.test.ts on disk (absent), as it is for Ruby.
    expect(testsOf(matchStatic([r], ['src/integration.ts'], files))).toEqual(['test/integration.test.ts']);
  });

  it('a template spelled ./x names the same file as x', () => {
    const r = rule('src/(?<rest>.+)\\.ts', ['./test/%{rest}.test.ts', './test/cli/*.test.ts']);
    expect(testsOf(matchStatic([r], ['src/util/fs.ts'], files))).toEqual(['test/cli/a.test.ts', 'test/util/fs.test.ts']);
  });

  it('many → one: every source of a rule, every template', () => {
    const r = rule(['src/cli/.+\\.ts', 'src/util/.+\\.ts'], ['test/integration.test.ts', 'test/util/fs.test.ts']);
    const hits = matchStatic([r], ['src/cli/x.ts', 'src/util/y.ts', 'README.md'], files);
    expect(hits.map((h) => `${h.source} -> ${h.test}`)).toEqual([
      'src/cli/x.ts -> test/integration.test.ts',
      'src/cli/x.ts -> test/util/fs.test.ts',
      'src/util/y.ts -> test/integration.test.ts',
      'src/util/y.ts -> test/util/fs.test.ts',
    ]);
  });

  it('one match per (path, test, rule) even when two templates reach the same test', () => {
    const r = rule('src/(?<rest>.+)\\.ts', ['test/%{rest}.test.ts', 'test/{util,cli}/fs.test.ts']);
    const hits = matchStatic([r], ['src/util/fs.ts', 'src/util/fs.ts'], files);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ source: 'src/util/fs.ts', test: 'test/util/fs.test.ts', template: 'test/util/fs.test.ts' });
  });

  it('a rule built in code with a bad regex or template throws MappingError naming file:line', () => {
    const badRegex: MappingRule = { sources: ['src/(?x)a'], tests: ['t'], file: 'my.yml', line: 7, index: 0 };
    expect(() => matchStatic([badRegex], ['a'], files)).toThrow(MappingError);
    expect(() => matchStatic([badRegex], ['a'], files)).toThrow(/^my\.yml:7 \(mapping\[0\]\.source\): source regex 'src\/\(\?x\)a': inline options/);
    const badTemplate: MappingRule = { sources: ['src/(.+)'], tests: ['t/%{x}'], file: 'my.yml', line: 9, index: 1 };
    expect(() => matchStatic([badTemplate], ['a'], files)).toThrow(/^my\.yml:9 \(mapping\[1\]\.test\): .*has no named groups \(it has numbered groups: use %s\)/);
  });
});

describe('templates (Ruby format subset)', () => {
  it('fills %{name}, %<name>s, %s and %%', () => {
    const named = new Map([
      ['a', 'x'],
      ['b', ''],
    ]);
    expect(renderTemplate(parseTemplate('%{a}/%<a>s/%{b}z/100%%'), named, [])).toBe('x/x/z/100%');
    expect(renderTemplate(parseTemplate('spec/%s%s_spec.rb'), new Map(), ['models/', 'user'])).toBe('spec/models/user_spec.rb');
  });

  it('rejects what Ruby format would choke on when the rule fires', () => {
    expect(() => parseTemplate('100%')).toThrow(/unsupported format directive '%'/);
    expect(() => parseTemplate('a/%d')).toThrow(/unsupported format directive '%d'/);
    expect(() => parseTemplate('%{a}/%s')).toThrow(/mixes named .* and numbered/);
  });

  it('escapes captured text only in glob templates', () => {
    const named = new Map([['n', '[id]']]);
    expect(renderTemplate(parseTemplate('t/%{n}.ts'), named, [])).toBe('t/[id].ts');
    expect(renderTemplate(parseTemplate('t/**/%{n}.ts'), named, [])).toBe('t/**/\\[id\\].ts');
  });
});
