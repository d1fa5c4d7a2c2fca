import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { MappingError } from '../../../src/errors.js';
import { mutated } from './reference/mutate.js';
import { RefError } from './reference/paths.js';
import { refTestsYml, type RefConfig } from './reference/tests-yml.js';
import { FC_RUNS } from './runs.js';

/*
 * tests.yml against the `yaml` package's strict reading: a valid file gives exactly its rules,
 * lists and paths; whatever the loader accepts, the strict reading accepts and agrees with
 * (never a rule, test glob or full-suite pattern lost); anything else is a MappingError naming
 * the file (exit 2), never another exception.
 */
const root = realpathSync(mkdtempSync(join(tmpdir(), 'testsift-prop-yml-')));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const word = fc.oneof(
  fc.constantFrom('app', 'lib', 'models', 'spec', 'x y', 'é', 'a#b', "it's", 'a: b', '- c', '*', '[x]', '{y}', '%', '@at', '!tag'),
  fc.string({ minLength: 1, maxLength: 6 }),
);
const ruleArb = fc.oneof(
  fc
    .tuple(word, word)
    .map(([dir, ext]) => ({ source: `${dir.replace(/[^A-Za-z0-9_/]/g, '')}/(?<name>[^/]+)\\.rb`, test: `spec/%{name}_${ext.replace(/[%{}]/g, '')}_spec.rb` })),
  fc.tuple(fc.array(word, { minLength: 1, maxLength: 3 }), fc.array(word, { minLength: 1, maxLength: 3 })).map(([s, t]) => ({
    source: s.map((x) => x.replace(/[^A-Za-z0-9_/ ]/g, '') || 'x'),
    test: t.map((x) => `spec/${x.replace(/[%{}\\]/g, '')}.rb`),
  })),
);
const configArb = fc.record(
  {
    mapping: fc.array(ruleArb, { maxLength: 4 }),
    tests: fc.array(
      word.map((w) => `spec/**/${w}*_spec.rb`),
      { minLength: 1, maxLength: 3 },
    ),
    ignore: fc.array(word, { maxLength: 3 }),
    coverage_map: word,
    full_suite: fc.record({ changes: fc.array(word, { maxLength: 3 }), labels: fc.array(word, { maxLength: 3 }) }, { requiredKeys: [] }),
  },
  { requiredKeys: ['mapping'] },
);
const validText = fc
  .tuple(configArb, fc.constantFrom('block', 'flow', 'quoted'))
  .map(([c, style]) => stringify(c, style === 'flow' ? { collectionStyle: 'flow' } : style === 'quoted' ? { defaultStringType: 'QUOTE_DOUBLE' } : {}));

let n = 0;
async function check(text: string, exact: boolean): Promise<void> {
  const file = `t${n++}.yml`;
  writeFileSync(join(root, file), text);
  const content = Buffer.from(text, 'utf8').toString('utf8');
  let ref: RefConfig | { refused: string };
  try {
    ref = refTestsYml(content);
  } catch (err) {
    if (!(err instanceof RefError)) throw err;
    ref = { refused: err.message };
  }
  let config: Awaited<ReturnType<typeof loadConfig>>;
  try {
    config = await loadConfig(file, { root });
  } catch (err) {
    expect(err).toBeInstanceOf(MappingError);
    expect((err as MappingError).message.startsWith(file)).toBe(true);
    if (exact) throw err; // a valid generated file must load
    return;
  }
  expect(ref, 'the loader accepted what the strict reading refuses').not.toHaveProperty('refused');
  const r = ref as RefConfig;
  expect(config.mapping.map((m) => ({ sources: m.sources, tests: m.tests }))).toEqual(r.rules);
  if (r.tests) expect(config.tests).toEqual([...new Set(r.tests)]);
  if (r.ignore) expect(config.ignore).toEqual([...new Set(r.ignore)]);
  if (r.coverageMap !== undefined) expect(config.coverageMap).toBe(r.coverageMap);
  for (const c of r.changes ?? []) expect(config.fullSuite.changes).toContain(c);
  for (const l of r.labels ?? []) expect(config.fullSuite.labels).toContain(l);
}

describe('tests.yml against the yaml package', () => {
  it('valid files: exactly the rules, lists and paths of the strict reading', async () => {
    await fc.assert(
      fc.asyncProperty(validText, (t) => check(t, true)),
      { numRuns: FC_RUNS },
    );
  });

  it('mutated files: a MappingError naming the file, or the strict reading, never less', async () => {
    await fc.assert(
      fc.asyncProperty(mutated(validText), (t) => check(t, false)),
      { numRuns: FC_RUNS },
    );
  });
});
