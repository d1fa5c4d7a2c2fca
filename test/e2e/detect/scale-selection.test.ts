// The selection at scale equals the union of the map rows (issue "GitLab scale"), checked through
// the real CLI on a generated GitLab-shaped map (the bench's generator, ~2k sources × 2.5k specs)
// in a real repository: rows read as bitsets, the test folders listed from git's index, the
// map's tests met with them in one merge. Around the rows, what detect must add or drop: specs
// the map never recorded, specs deleted or added since the map's commit.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNativeMap } from '../../../src/mappings/coverage/native/index.js';
import type { MapRecord } from '../../../src/mappings/coverage/model.js';
import { runCli } from '../../helpers/cli.js';
import { TempRepo } from '../../helpers/git.js';
// @ts-expect-error plain .mjs bench helper without type declarations
import { generateGitlabMap, hottestSources } from '../../../bench/lib/gitlab-map.mjs';
// @ts-expect-error plain .mjs bench helper without type declarations
import { createRng } from '../../../bench/lib/prng.mjs';

interface Generated {
  sources: string[];
  tests: string[];
  rows: Uint32Array[];
}

let repo: TempRepo;
let gen: Generated;
/** Specs on disk that the map never recorded. */
const unrecorded = ['spec/models/zz_never_recorded_spec.rb', 'ee/spec/features/zz_crashed_spec.rb'];
let deleted: string[];
const added = ['spec/models/zz_added_after_map_spec.rb'];

beforeAll(async () => {
  gen = generateGitlabMap({ sources: 2000, tests: 2500, edgesPerTest: 60, seed: 11 }) as Generated;
  repo = new TempRepo('testsift-scale-');
  const files: Record<string, string> = {
    'tests.yml': "tests: ['spec/**/*_spec.rb', 'ee/spec/**/*_spec.rb']\nfull_suite:\n  changes: ['Gemfile.lock']\n",
    '.gitignore': '.testsift/\n',
  };
  for (const s of gen.sources) files[s] = '';
  for (const t of [...gen.tests, ...unrecorded]) files[t] = '';
  const mapCommit = repo.write(files).commit('generated tree');
  const rows = new Map<string, Uint32Array>();
  const unused = new Set<string>();
  gen.sources.forEach((s, i) => (gen.rows[i].length > 0 ? rows.set(s, gen.rows[i]) : unused.add(s)));
  const record: MapRecord = { metadata: { format: 'native', commit: mapCommit, timestamp: new Date().toISOString() }, tests: gen.tests, rows, unused };
  await writeNativeMap(join(repo.root, '.testsift/map.json'), record);
  // After the map: some specs deleted, one added (a CI clone at this commit has exactly these).
  const rng = createRng(5);
  deleted = [...new Set(Array.from({ length: 12 }, () => rng.pick(gen.tests) as string))];
  repo
    .remove(...deleted)
    .write({ [added[0]]: '' })
    .commit('specs moved on');
});
afterAll(() => repo?.cleanup());

/** What detect must print: the rows' union, minus deleted specs, plus unrecorded and added ones. */
function expected(changed: readonly string[]): string[] {
  const index = new Map(gen.sources.map((s, i) => [s, i]));
  const out = new Set<string>();
  for (const f of changed) for (const t of gen.rows[index.get(f)!] ?? []) out.add(gen.tests[t]);
  for (const d of deleted) out.delete(d);
  for (const t of [...unrecorded, ...added]) out.add(t);
  return [...out].sort();
}

async function detectList(changed: readonly string[]): Promise<string[]> {
  writeFileSync(join(repo.root, 'changed.txt'), changed.join('\n') + '\n');
  const r = await runCli(['detect', '--changed-files', 'changed.txt'], { cwd: repo.root });
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).not.toContain('full suite');
  return r.stdout.split('\n').filter(Boolean);
}

describe('detect at scale: the selection is the union of the map rows', () => {
  it('for 50 changed files, 5 of them the hottest sources (nearly every spec)', async () => {
    const hot = (hottestSources(gen.rows, 5) as number[]).map((i) => gen.sources[i]);
    const rng = createRng(21);
    const changed = new Set(hot);
    while (changed.size < 50) changed.add(rng.pick(gen.sources));
    const list = await detectList([...changed]);
    expect(list.length).toBeGreaterThan(2000);
    expect(list).toEqual(expected([...changed]));
  });

  it('for random small changes', async () => {
    const rng = createRng(22);
    for (let trial = 0; trial < 5; trial++) {
      const changed = new Set<string>();
      while (changed.size < 1 + trial * 3) changed.add(rng.pick(gen.sources));
      expect(await detectList([...changed]), [...changed].join(' ')).toEqual(expected([...changed]));
    }
  });

  it('in JSON, every selected spec names the map rows behind it', async () => {
    const changed = [gen.sources[gen.rows.findIndex((r) => r.length > 3)]];
    writeFileSync(join(repo.root, 'changed.txt'), `${changed[0]}\n`);
    const r = await runCli(['detect', '--changed-files', 'changed.txt', '--format', 'json'], { cwd: repo.root });
    const json = JSON.parse(r.stdout) as { tests: string[]; selection: { test: string; because: { strategy: string; file: string }[] }[] };
    expect(json.tests).toEqual(expected(changed));
    expect(json.selection.map((s) => s.test)).toEqual(json.tests);
    for (const s of json.selection) {
      const why = s.because.map((b) => b.strategy);
      if ([...unrecorded, ...added].includes(s.test)) expect(why).not.toContain('coverage-map');
      else expect(s.because).toContainEqual(expect.objectContaining({ strategy: 'coverage-map', file: changed[0] }));
    }
  });
});
