// `map merge` of partial maps recorded at different commits, then `detect`: every row is checked
// for staleness from the commit its test was recorded at (the fail-safe issue, item 3).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, runJson } from '../../helpers/cli.js';
import { TempRepo } from '../../helpers/git.js';

let repo: TempRepo;
// Recent enough for the default map-age limit; p1 is the older part.
const T1 = new Date(Date.now() - 3 * 3_600_000).toISOString();
const T2 = new Date(Date.now() - 2 * 3_600_000).toISOString();
afterEach(() => repo?.cleanup());

async function cli(args: string[]): Promise<string> {
  const r = await runCli(args, { cwd: repo.root });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

/**
 * main: C1 with x.ts, z.ts, t (imports x), u (imports z); a partial map p1 recorded there.
 * C2 = `change` applied (t comes to depend on z); a partial map p2 of u alone recorded there.
 * The merged map is committed nowhere (ignored); feature branches off C2 and changes z.
 */
async function setUp(change: Record<string, string>): Promise<{ c1: string; c2: string }> {
  repo = new TempRepo('testsift-merge-commits-');
  repo.write({
    '.gitignore': 'maps/\n',
    'tests.yml': "tests: ['test/**/*.test.ts']\ncoverage_map: maps/merged.map\n",
    'src/x.ts': 'export const X = 1;\n',
    'src/z.ts': 'export const Z = 1;\n',
    'test/t.test.ts': "import '../src/x.js';\n",
    'test/u.test.ts': "import '../src/z.js';\n",
  });
  const c1 = repo.commit('C1');
  repo.write(change);
  const c2 = repo.commit('C2: t now depends on z');
  repo.write({
    'maps/p1.json': JSON.stringify({ 'src/x.ts': ['test/t.test.ts'], 'src/z.ts': ['test/u.test.ts'] }),
    'maps/p2.json': JSON.stringify({ 'src/z.ts': ['test/u.test.ts'] }),
  });
  await cli(['map', 'import', 'maps/p1.json', '--commit', c1, '--timestamp', T1, '-o', 'maps/p1.map']);
  await cli(['map', 'import', 'maps/p2.json', '--commit', c2, '--timestamp', T2, '-o', 'maps/p2.map']);
  await cli(['map', 'merge', 'maps/p1.map', 'maps/p2.map', '-o', 'maps/merged.map']);
  repo.git('checkout', '-q', '-b', 'feature');
  repo.write({ 'src/z.ts': 'export const Z = 2;\n' }).commit('MR: change z');
  return { c1, c2 };
}

const detect = (maps: string[]) => runJson(['detect', '--base', 'main', ...maps.flatMap((m) => ['--coverage-map', m])], repo.root);

describe('map merge of maps of different commits, then detect', () => {
  it('the issue repro: test t came to import z after p1 was recorded; an MR changing z selects t (was: u only)', async () => {
    const { c1, c2 } = await setUp({ 'test/t.test.ts': "import '../src/x.js';\nimport '../src/z.js';\n" });
    const { json } = await detect([]);
    expect(json.mode).toBe('selective');
    expect(json.tests).toEqual(['test/t.test.ts', 'test/u.test.ts']);
    // t's file changed between its recording (C1) and the base (C2): stale, so treated as changed.
    expect(json.staleFiles).toEqual(['test/t.test.ts']);
    expect(json.map.commit).toBeUndefined();
    expect(json.map.commits).toEqual([c1, c2]);
    // The same answer as handing detect the two partial maps unmerged.
    expect((await detect(['maps/p1.map', 'maps/p2.map'])).json.tests).toEqual(json.tests);
  });

  it("the same through a source file: x.ts came to import z after p1; t is selected through x.ts's row", async () => {
    await setUp({ 'src/x.ts': "import './z.js';\nexport const X = 1;\n" });
    const { json } = await detect([]);
    expect(json.mode).toBe('selective');
    expect(json.tests).toEqual(['test/t.test.ts', 'test/u.test.ts']);
    expect(json.staleFiles).toEqual(['src/x.ts']);
    const t = json.selection.find((x: { test: string }) => x.test === 'test/t.test.ts');
    expect(t.because).toContainEqual({ strategy: 'coverage-map', file: 'src/x.ts', detail: 'map row' });
    expect((await detect(['maps/p1.map', 'maps/p2.map'])).json.tests).toEqual(json.tests);
  });

  it('map stats lists the commits the merged map holds, with their tests and edges', async () => {
    const { c1, c2 } = await setUp({ 'test/t.test.ts': "import '../src/x.js';\nimport '../src/z.js';\n" });
    expect(await cli(['map', 'merge', 'maps/p1.map', 'maps/p2.map', '-o', 'maps/merged.map'])).toContain('recorded at 2 commits');
    const text = await cli(['map', 'stats', 'maps/merged.map']);
    expect(text).toContain('format:           native (version 2)');
    expect(text).toContain('commit:           (2 commits, below)');
    expect(text).toContain(`timestamp:        ${T1} (the oldest part)`);
    expect(text).toContain(`  ${c1}  2 tests  2 edges  ${T1}\n  ${c2}  1 tests  1 edges  ${T2}\n`);
    const json = JSON.parse(await cli(['map', 'stats', 'maps/merged.map', '--format', 'json']));
    expect(json.commits).toEqual([
      { commit: c1, timestamp: T1, tests: 2, edges: 2 },
      { commit: c2, timestamp: T2, tests: 1, edges: 1 },
    ]);
    // A map of one commit: that commit, the whole map.
    const one = JSON.parse(await cli(['map', 'stats', 'maps/p1.map', '--format', 'json']));
    expect(one.commits).toEqual([{ commit: c1, timestamp: T1, tests: 2, edges: 2 }]);
  });

  it('an undated input among dated ones: merge warns, detect runs the full suite saying why', async () => {
    await setUp({ 'test/t.test.ts': "import '../src/x.js';\nimport '../src/z.js';\n" });
    writeFileSync(join(repo.root, 'maps/undated.json'), JSON.stringify({ 'src/x.ts': ['test/t.test.ts'] }));
    const r = await runCli(['map', 'merge', 'maps/p2.map', 'maps/undated.json', '-o', 'maps/merged.map'], { cwd: repo.root });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: maps\/undated\.json records no commit while other inputs do/);
    const { json } = await detect([]);
    expect(json.mode).toBe('full');
    expect(json.reasons.join('\n')).toContain('records no commit');
    expect(json.tests).toEqual(['test/t.test.ts', 'test/u.test.ts']);
  });
});
