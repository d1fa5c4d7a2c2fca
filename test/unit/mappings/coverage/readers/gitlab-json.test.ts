import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { MapError } from '../../../../../src/errors.js';
import { MapBuilder, readMapRecord } from '../../../../../src/mappings/coverage/index.js';
import { gitlabJsonPieces } from '../../../../../src/mappings/coverage/export-gitlab.js';
import { GitlabMapShape, readGitlabJson } from '../../../../../src/mappings/coverage/readers/gitlab-json.js';
import { JsonTokenizer } from '../../../../../src/mappings/coverage/readers/json-tokenizer.js';
import { RowCollector } from '../../../../../src/mappings/coverage/readers/row-collector.js';
import { edgesOf, fixture, SAMPLE_ROWS, tempDir } from '../../../../helpers/map-fixtures.js';

let tmp: ReturnType<typeof tempDir> | undefined;
afterEach(() => tmp?.cleanup());

async function mapError(p: Promise<unknown>): Promise<MapError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(MapError);
  return err as MapError;
}

describe('GitLab / tff direct JSON', () => {
  it('reads source → tests, strips ./, keeps [] keys as known-unused', async () => {
    const r = await readMapRecord(fixture('gitlab-direct.json'));
    expect(r.metadata.format).toBe('gitlab-json');
    expect(edgesOf(r)).toEqual({ rows: SAMPLE_ROWS, unused: ['app/helpers/unused_helper.rb'] });
  });

  it('reads it gzipped, by .gz name or by magic bytes alone', async () => {
    tmp = tempDir();
    const gz = gzipSync(readFileSync(fixture('gitlab-direct.json')));
    writeFileSync(join(tmp.dir, 'map.json.gz'), gz);
    writeFileSync(join(tmp.dir, 'map-without-extension'), gz);
    for (const name of ['map.json.gz', 'map-without-extension']) {
      const r = await readMapRecord(join(tmp.dir, name));
      expect(r.metadata.format).toBe('gitlab-json');
      expect(edgesOf(r).rows).toEqual(SAMPLE_ROWS);
    }
  });

  it("rejects a non-array value with tff's message and the key", async () => {
    const err = await mapError(readMapRecord(fixture('corrupt/wrong-shape.json')));
    expect(err.message).toContain('json file should contain a json object, with array of test files as the values');
    expect(err.message).toContain('"lib/util.rb"');
    expect(err.message).toContain('wrong-shape.json:3:');
  });

  it('rejects a non-string test, a top-level array, a truncated file and trailing garbage', async () => {
    tmp = tempDir();
    const cases: Record<string, [string, RegExp]> = {
      'num.json': ['{"a.rb": ["t.rb", 3]}', /key "a.rb" has 3 in its array/],
      'array.json': ['[["a.rb"]]', /top level is '\['/],
      'trailing.json': ['{"a.rb": []} {"b.rb": []}', /after the end of the top-level object/],
      'cut.json': ['{"a.rb": ["t.rb"]', /unexpected end of file/],
      'empty.json': ['', /empty file/],
    };
    for (const [name, [text, re]] of Object.entries(cases)) {
      writeFileSync(join(tmp.dir, name), text);
      const err = await mapError(readMapRecord(join(tmp.dir, name)));
      expect(err.message, name).toMatch(re);
      expect(err.message, name).toContain(name);
    }
    const err = await mapError(readMapRecord(fixture('corrupt/truncated.json')));
    expect(err.message).toMatch(/truncated\.json:3:\d+: unterminated string/);
  });

  it('parses the same as JSON.parse for any chunking (streaming across chunk boundaries)', () => {
    const map: Record<string, string[]> = {};
    for (let s = 0; s < 40; s++) map[`src/dir${s % 7}/file ${s}é.ts`] = Array.from({ length: s % 5 }, (_, t) => `test/t${(s * t) % 11}\\"x".test.ts`);
    const text = JSON.stringify(map, null, 2);
    for (const size of [1, 3, 64, text.length]) {
      const b = new RowCollector();
      let shape: GitlabMapShape | undefined;
      const tok = new JsonTokenizer('m.json', (k, v, h) => shape!.onToken(k, v, h));
      shape = new GitlabMapShape(tok, b, 'auto', {});
      for (let i = 0; i < text.length; i += size) tok.write(text.slice(i, i + size));
      tok.end();
      shape.finish();
      const got = edgesOf(b.build({ format: 'gitlab-json' }));
      const expected: Record<string, string[]> = {};
      const unused: string[] = [];
      for (const [k, v] of Object.entries(map)) {
        if (v.length === 0) unused.push(k);
        else expected[k] = [...new Set(v)].sort();
      }
      expect(got.rows).toEqual(Object.fromEntries(Object.entries(expected).sort(([a], [c]) => (a < c ? -1 : 1))));
      expect(got.unused).toEqual(unused.sort());
    }
  });

  it('makes absolute paths relative to the root', async () => {
    tmp = tempDir();
    const p = join(tmp.dir, 'abs.json');
    writeFileSync(p, JSON.stringify({ '/builds/gitlab/app/a.rb': ['/builds/gitlab/spec/a_spec.rb'] }));
    const r = await readGitlabJson(p, 'auto', { root: '/builds/gitlab' });
    expect(edgesOf(r).rows).toEqual({ 'app/a.rb': ['spec/a_spec.rb'] });
  });
});

describe('GitLab packed mapping', () => {
  it('unpacks path tries (leaves 1) into the same map as the direct form', async () => {
    const r = await readMapRecord(fixture('gitlab-packed.json'));
    expect(r.metadata.format).toBe('gitlab-packed');
    expect(edgesOf(r)).toEqual({ rows: SAMPLE_ROWS, unused: ['app/helpers/unused_helper.rb'] });
  });

  it('reads the gzipped fixture (as GitLab publishes it), also under another name', async () => {
    tmp = tempDir();
    copyFileSync(fixture('gitlab-packed.json.gz'), join(tmp.dir, 'packed-mapping'));
    for (const p of [fixture('gitlab-packed.json.gz'), join(tmp.dir, 'packed-mapping')]) {
      const r = await readMapRecord(p);
      expect(r.metadata.format).toBe('gitlab-packed');
      expect(edgesOf(r).rows).toEqual(SAMPLE_ROWS);
    }
  });

  it('a truncated gzip file is a MapError naming it (JSON and Crystalball YAML alike)', async () => {
    tmp = tempDir();
    const cut = (bytes: Buffer) => bytes.subarray(0, bytes.length - 30);
    writeFileSync(join(tmp.dir, 'cut.json.gz'), cut(readFileSync(fixture('gitlab-packed.json.gz'))));
    writeFileSync(join(tmp.dir, 'cut.yml.gz'), cut(gzipSync(readFileSync(fixture('crystalball/expanded.yml')))));
    for (const name of ['cut.json.gz', 'cut.yml.gz']) {
      const err = await mapError(readMapRecord(join(tmp.dir, name)));
      expect(err.message).toContain(`${name}: corrupt gzip data`);
    }
  });

  it('packed and direct forms of the same generated map decode identically (export → re-read)', async () => {
    tmp = tempDir();
    const b = new MapBuilder({ format: 'native' });
    // Paths that share segments at different depths, and splits that concatenate alike.
    const tests = ['a/bc', 'ab/c', 'a/b/c', 'spec/x_spec.rb', 'spec/spec/x_spec.rb', 'x_spec.rb', 'spec/é/ü_spec.rb', 'spec/models/user_spec.rb'];
    for (let s = 0; s < 60; s++) {
      for (let t = 0; t < tests.length; t++) if ((s * 7 + t * 3) % 5 < 2) b.addEdge(`src/f${s}.rb`, tests[t]);
      if (s % 9 === 0) b.addKnown(`src/unused${s}.rb`);
    }
    const record = b.build();
    for (const format of ['gitlab-json', 'gitlab-packed'] as const) {
      const p = join(tmp.dir, `${format}.json`);
      writeFileSync(p, [...gitlabJsonPieces(record, format, 64)].join(''));
      const back = await readMapRecord(p);
      expect(back.metadata.format).toBe(format);
      expect(edgesOf(back)).toEqual(edgesOf(record));
    }
  });

  it('rejects a leaf other than 1, naming key and trie path', async () => {
    const err = await mapError(readMapRecord(fixture('corrupt/bad-packed-leaf.json')));
    expect(err.message).toContain('bad-packed-leaf.json:1:');
    expect(err.message).toContain('leaves are 1');
    expect(err.message).toContain("key \"lib/util.rb\" has 2 at 'spec/lib/util_spec.rb'");
  });

  it('rejects a map mixing direct and packed values, and a forced format that does not match', async () => {
    tmp = tempDir();
    const p = join(tmp.dir, 'mixed.json');
    writeFileSync(p, '{"a.rb": ["t.rb"], "b.rb": {"t.rb": 1}}');
    expect((await mapError(readMapRecord(p))).message).toMatch(/value of key "b.rb" is '\{'/);
    const forced = await mapError(readMapRecord(fixture('gitlab-direct.json'), { format: 'gitlab-packed' }));
    expect(forced.message).toContain('leaves are 1');
  });
});
