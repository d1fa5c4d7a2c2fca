import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { MapError } from '../../../src/errors.js';
import { readMapRecord } from '../../../src/mappings/coverage/index.js';
import { GitlabMapShape } from '../../../src/mappings/coverage/readers/gitlab-json.js';
import { JsonTokenizer } from '../../../src/mappings/coverage/readers/json-tokenizer.js';
import { RowCollector } from '../../../src/mappings/coverage/readers/row-collector.js';
import { refGitlabJson } from './reference/gitlab-json.js';
import { chunksOf, mutated } from './reference/mutate.js';
import { coversExactly, plain, RefError, rowsOfRecord, type RefRows } from './reference/paths.js';
import { FC_RUNS } from './runs.js';

/*
 * GitLab / tff JSON maps (direct and packed) against a JSON.parse reading of the same text:
 * valid maps give exactly the reference's rows, whatever the chunking; any input the reference
 * refuses is a MapError (never another exception, never a lenient reading that could select
 * fewer tests than the strict one's full suite); a mutated input the reference accepts gives at
 * least its tests (a repeated key is unioned where JSON.parse keeps the last).
 */
const ROOT = '/repo';

/** Path segments: ordinary, and the characters JSON and paths make hard. */
const segment = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('app', 'spec', 'lib', 'models', 'user.rb', 'a_spec.rb', 'x.ts', '.', '..', '') },
  { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom('a"b', 'c\\d', 'é', '日本', '😀', 'tab\t', 'nl\n', '\u2028', '\0', '\ud800', ' ') },
);
const path = fc.oneof(
  { weight: 8, arbitrary: fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/')) },
  { weight: 1, arbitrary: fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => `./${s.join('/')}`) },
  { weight: 1, arbitrary: fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => `${ROOT}/${s.join('/')}`) },
);
const rowsArb = fc.array(fc.tuple(path, fc.array(path, { maxLength: 5 })), { maxLength: 8 });

function direct(rows: Array<[string, string[]]>, indent: number): string {
  const obj: Record<string, string[]> = {};
  for (const [s, t] of rows) obj[s] = t; // a repeated source: the last wins, as in the text
  return JSON.stringify(obj, null, indent);
}

function packed(rows: Array<[string, string[]]>, indent: number): string {
  const obj: Record<string, Record<string, unknown>> = {};
  for (const [s, tests] of rows) {
    const trie: Record<string, unknown> = {};
    for (const t of tests) {
      const segs = t.split('/');
      let node = trie;
      let ok = true;
      for (let i = 0; i < segs.length - 1 && ok; i++) {
        const next = node[segs[i]];
        if (next === undefined) node = (node[segs[i]] = {}) as Record<string, unknown>;
        else if (typeof next === 'object') node = next as Record<string, unknown>;
        else ok = false; // a test path that is also a folder of another: left out of the text
      }
      if (ok && node[segs[segs.length - 1]] === undefined) node[segs[segs.length - 1]] = 1;
    }
    obj[s] = trie;
  }
  return JSON.stringify(obj, null, indent);
}

const validText = fc.tuple(rowsArb, fc.boolean(), fc.constantFrom(0, 1, 2)).map(([rows, isPacked, indent]) => (isPacked ? packed(rows, indent) : direct(rows, indent)));

/** The reader on text cut into the given chunks: rows, or the error it threw. */
function read(chunks: string[]): { rows: RefRows; format: string } | { error: unknown } {
  try {
    const rows = new RowCollector();
    let shape: GitlabMapShape | undefined;
    const tokens = new JsonTokenizer('map.json', (k, v, h) => shape!.onToken(k, v, h));
    shape = new GitlabMapShape(tokens, rows, 'auto', { root: ROOT });
    for (const c of chunks) tokens.write(c);
    tokens.end();
    shape.finish();
    return { rows: rowsOfRecord(rows.build({ format: shape.format, granularity: 'file' })), format: shape.format };
  } catch (error) {
    return { error };
  }
}

function reference(text: string): { rows: RefRows; format: string } | { refused: string } {
  try {
    return refGitlabJson(text, ROOT);
  } catch (err) {
    if (err instanceof RefError) return { refused: err.message };
    throw err;
  }
}

function check(text: string, cuts: number[], exact: boolean): void {
  const ref = reference(text);
  const got = read(chunksOf(text, cuts));
  if ('refused' in ref) {
    // The strict reading refuses: so must the reader, with a typed error naming the file.
    expect('error' in got ? got.error : got, `reference refused (${ref.refused}); reader must too`).toBeInstanceOf(MapError);
    expect((got as { error: MapError }).error.message).toMatch(/^map\.json/);
    return;
  }
  if ('error' in got) throw got.error; // the reference read it: the reader must too
  if (exact) {
    expect(plain(got.rows)).toEqual(plain(ref.rows));
    if (ref.rows.size > 0) expect(got.format).toBe(ref.format);
  } else {
    expect(coversExactly(got.rows, ref.rows)).toBeUndefined();
  }
}

const cuts = fc.array(fc.nat(), { maxLength: 6 });

describe('GitLab JSON maps: the streaming reader against JSON.parse', () => {
  it('valid direct and packed maps: exactly the reference rows, however the text is chunked', () => {
    fc.assert(
      fc.property(validText, cuts, (text, c) => check(text, c, true)),
      { numRuns: FC_RUNS },
    );
  });

  it('mutated maps: a MapError whenever JSON.parse or the shape refuses, else never fewer tests', () => {
    fc.assert(
      fc.property(mutated(validText), cuts, (text, c) => check(text, c, false)),
      { numRuns: FC_RUNS * 3 },
    );
  });

  it('arbitrary text: a MapError or a reading JSON.parse agrees with, never another exception', () => {
    const anyText = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.json(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
    );
    fc.assert(
      fc.property(anyText, cuts, (text, c) => check(text, c, false)),
      { numRuns: FC_RUNS },
    );
  });
});

describe('GitLab JSON maps from files: detection, gzip, readMapRecord', () => {
  const dir = mkdtempSync(join(tmpdir(), 'testsift-prop-gitlab-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;

  it('plain or gzipped, valid or mutated: readMapRecord gives the reference rows or a MapError naming the file', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(validText, mutated(validText)), fc.boolean(), async (text, gz) => {
        const file = join(dir, `m${n++}.json${gz ? '.gz' : ''}`);
        const bytes = Buffer.from(text, 'utf8');
        writeFileSync(file, gz ? gzipSync(bytes) : bytes);
        // The reference reads what is on disk: UTF-8 has no unpaired surrogates (they become U+FFFD).
        const ref = reference(bytes.toString('utf8'));
        let got: RefRows | undefined;
        try {
          got = rowsOfRecord(await readMapRecord(file, { root: ROOT }));
        } catch (err) {
          expect(err).toBeInstanceOf(MapError);
          expect((err as MapError).message.startsWith(file)).toBe(true);
        }
        // Detection may refuse what is not a JSON object map (e.g. a lone istanbul file): fine,
        // that is a MapError. What it reads must never have fewer tests than the reference.
        if ('refused' in ref) expect(got).toBeUndefined();
        else if (got) expect(coversExactly(got, ref.rows)).toBeUndefined();
      }),
      { numRuns: Math.max(20, Math.round(FC_RUNS / 4)) },
    );
  });
});
