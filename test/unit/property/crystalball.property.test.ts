import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { MapError } from '../../../src/errors.js';
import { readCrystalballFile } from '../../../src/mappings/coverage/readers/crystalball.js';
import { refCrystalball } from './reference/crystalball.js';
import { mutated } from './reference/mutate.js';
import { coversExactly, plain, RefError, type RefRows } from './reference/paths.js';
import { FC_RUNS } from './runs.js';

/*
 * Crystalball execution maps (the Psych fast path and the general YAML path) against the `yaml`
 * package's strict multi-document reading: valid maps give exactly its rows; whatever it refuses
 * is a MapError naming the file; a mutated map it accepts gives at least its tests.
 */
const ROOT = '/repo';
const dir = mkdtempSync(join(tmpdir(), 'testsift-prop-crystal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const segment = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('app', 'spec', 'models', 'user.rb', 'a_spec.rb', 'lib', 'x-y', '.') },
  { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 5 }) },
  { weight: 1, arbitrary: fc.constantFrom('a"b', "it's", 'c\\d', 'é', '日本', 'a: b', '#x', 'x #y', '- z', 'true', '123', '\0', ' ', '[1]') },
);
const path = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/'));
const exampleId = fc
  .tuple(fc.boolean(), path, fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 3 }))
  .map(([dot, p, ids]) => `${dot ? './' : ''}${p}${ids.length ? `[${ids.join(':')}]` : ''}`);
const doc = fc.uniqueArray(fc.tuple(exampleId, fc.array(path, { maxLength: 4 })), { selector: ([id]) => id, maxLength: 5 });

/** Psych's block style, quoted as Psych quotes (JSON's escapes are YAML's), or the yaml package's own. */
function emit(entries: Array<[string, string[]]>, style: 'psych' | 'yaml'): string {
  if (style === 'yaml') return stringify(Object.fromEntries(entries.map(([id, f]) => [id, f.length ? f : null])));
  const q = (s: string) => JSON.stringify(s);
  return entries.map(([id, files]) => (files.length === 0 ? `${q(id)}: []\n` : `${q(id)}:\n${files.map((f) => `- ${q(f)}\n`).join('')}`)).join('');
}

const META = '---\n:type: Crystalball::MapGenerator::StandardExecutionMap\n:commit: 0a1b2c3\n:timestamp: 1700000000\n:version: 0.7.0\n';
const validText = fc
  .array(fc.tuple(doc, fc.constantFrom('psych', 'yaml') as fc.Arbitrary<'psych' | 'yaml'>), { maxLength: 3 })
  .map((docs) => META + docs.map(([d, style]) => `---\n${emit(d, style)}`).join(''));

let n = 0;
async function check(text: string, exact: boolean): Promise<void> {
  const file = join(dir, `m${n++}.yml`);
  const bytes = Buffer.from(text, 'utf8');
  writeFileSync(file, bytes);
  let ref: RefRows | { refused: string };
  try {
    ref = refCrystalball(bytes.toString('utf8'), ROOT);
  } catch (err) {
    if (!(err instanceof RefError)) throw err;
    ref = { refused: err.message };
  }
  let got: RefRows | undefined;
  let error: unknown;
  try {
    const { record } = await readCrystalballFile(file, { root: ROOT });
    got = new Map();
    for (const [s, ids] of record.rows) got.set(s, new Set(Array.from(ids, (id) => record.tests[id])));
  } catch (err) {
    error = err;
  }
  if (error !== undefined) {
    expect(error).toBeInstanceOf(MapError);
    expect((error as MapError).message.startsWith(file)).toBe(true);
    // A typed refusal is always allowed (the caller runs the full suite or exits 2).
    return;
  }
  expect(ref, 'the reference refused what the reader read').not.toHaveProperty('refused');
  if (exact) expect(plain(got!)).toEqual(plain(ref as RefRows));
  else expect(coversExactly(got!, ref as RefRows)).toBeUndefined();
}

describe('Crystalball maps: the reader against the yaml package', () => {
  it('valid maps (Psych style and the yaml package style): exactly the reference rows', async () => {
    await fc.assert(
      fc.asyncProperty(validText, (t) => check(t, true)),
      { numRuns: FC_RUNS },
    );
  });

  it('mutated maps: a MapError, or never fewer tests than the strict reading', async () => {
    await fc.assert(
      fc.asyncProperty(mutated(validText), (t) => check(t, false)),
      { numRuns: FC_RUNS * 2 },
    );
  });
});
