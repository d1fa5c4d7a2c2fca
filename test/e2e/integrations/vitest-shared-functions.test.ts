/**
 * Branch level against function level where it matters most (issue 11: "branch level takes at
 * least a third off the function-level selection on a project whose tests share a few big
 * functions"): fixtures/vitest-shared-functions, where every test goes through render,
 * renderNode and escapeHtml, recorded by the real Vitest plugin with its defaults. Per one-line
 * change inside a branch: `detect` with the recorded map (branch level, the default) and with the
 * same map cut down to functions (what function-level block data gives), and the truth from a
 * real run: the changed line is made to throw, so the tests that fail are exactly those that
 * executed it. Branch level must select every one of them (safe), no more here (exact), and
 * strictly fewer than function level.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { readMapRecord, writeCoverageMap, type MapRecord } from '../../../src/mappings/coverage/index.js';
import { TempRepo } from '../../helpers/git.js';
import { NO_CI, runCli } from '../../helpers/cli.js';
import { runNodeScript } from '../../helpers/spawn-node.js';

const MAIN = fileURLToPath(new URL('../../..', import.meta.url));
const FIXTURE = join(MAIN, 'fixtures/vitest-shared-functions');
const VITEST_BIN = join(MAIN, 'node_modules/vitest/vitest.mjs');
const SOURCE = 'src/markup.ts';
const ALL = [
  'test/code.test.ts',
  'test/heading.test.ts',
  'test/image.test.ts',
  'test/link.test.ts',
  'test/list.test.ts',
  'test/strong-em.test.ts',
  'test/text.test.ts',
  'test/wrap.test.ts',
];

function runVitest(root: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  return runNodeScript(VITEST_BIN, ['run', ...args], root, env);
}

/** The test files that failed in a real run of the suite (the JSON reporter's verdicts). */
async function failingTests(root: string): Promise<string[]> {
  const report = join(root, '.report.json');
  rmSync(report, { force: true });
  const run = await runVitest(root, ['--reporter=json', `--outputFile=${report}`]);
  const json = JSON.parse(readFileSync(report, 'utf8')) as { testResults: { name: string; status: string }[] };
  expect(json.testResults, run.out).toHaveLength(ALL.length);
  return json.testResults
    .filter((t) => t.status !== 'passed')
    .map((t) => relative(root, t.name).split('\\').join('/'))
    .sort();
}

/**
 * The map with its blocks cut down to functions and the module body: what function-level block
 * data of the same run says (bench/quality/function-level.mjs does the same for the benchmark).
 */
function functionLevel(record: MapRecord): MapRecord {
  const blocks: NonNullable<MapRecord['blocks']> = new Map();
  for (const [source, entry] of record.blocks ?? []) {
    const byId = new Map(entry.blocks.map((b) => [b.id, b]));
    const keep = new Set(entry.blocks.filter((b) => b.id === 0 || b.kind === undefined || b.kind === 'function').map((b) => b.id));
    const kept = entry.blocks
      .filter((b) => keep.has(b.id))
      .map((b) => {
        let parent = b.parent;
        while (parent !== undefined && !keep.has(parent)) parent = byId.get(parent)?.parent;
        const { parent: _, ...rest } = b;
        return parent === undefined ? rest : { ...rest, parent };
      });
    const executed = new Map([...entry.executed].map(([t, ids]) => [t, ids.filter((id) => keep.has(id))]));
    blocks.set(source, { blocks: kept, executed });
  }
  return { ...record, blocks };
}

let repo: TempRepo;
let base: string;
let original: string;

beforeAll(async () => {
  repo = new TempRepo('testsift-shared-fns-');
  cpSync(FIXTURE, repo.root, { recursive: true });
  mkdirSync(join(repo.root, 'node_modules'));
  symlinkSync(MAIN, join(repo.root, 'node_modules/testsift'), 'dir');
  symlinkSync(join(MAIN, 'node_modules/vitest'), join(repo.root, 'node_modules/vitest'), 'dir');
  repo.write({ '.gitignore': 'node_modules/\n.testsift/\n.report.json\n' });
  repo.commit('fixture');
  base = repo.head();
  original = readFileSync(join(repo.root, SOURCE), 'utf8');
  const run = await runVitest(repo.root, [], { TESTSIFT_RECORD: '1' });
  expect(run.code, run.out).toBe(0);
  const record = await readMapRecord(join(repo.root, '.testsift/map.json'));
  expect(record.rows.get(SOURCE)).toHaveLength(ALL.length);
  await writeCoverageMap(join(repo.root, '.testsift/function-map.json'), functionLevel(record));
}, 120_000);
afterAll(() => repo?.cleanup());

async function detect(args: string[]): Promise<string[]> {
  const r = await runCli(['detect', '--base', base, '--format', 'json', ...args], { cwd: repo.root, env: NO_CI });
  expect(r.code, r.stderr).toBe(0);
  const json = JSON.parse(r.stdout) as { mode: string; tests: string[] };
  expect(json.mode).toBe('selective');
  return json.tests;
}

/** One-line changes inside branches, each found by the text of its line (a line of its own in the fixture). */
const CHANGES = [
  { where: 'escapeHtml, the `<` arm', line: "out += '&lt;';" },
  { where: 'renderNode, case strong', line: 'return `<strong>${inner}</strong>`;' },
  { where: 'renderNode, case code', line: 'const body = escapeHtml(node.text);' },
  { where: 'renderNode, case link', line: 'return `<a href="${href}">${inner}</a>`;' },
  { where: 'renderNode, case image', line: 'const alt = escapeHtml(node.alt);' },
  { where: 'renderNode, heading clamped down', line: 'level = 6;' },
  { where: 'renderNode, ordered list', line: "const tag = 'ol';" },
  { where: 'render, wrapped', line: 'const cls = escapeHtml(opts.wrapClass);' },
];

test('a change inside a branch of a shared function: branch level selects exactly the tests that ran it, function level every test', async () => {
  let functionTotal = 0;
  let branchTotal = 0;
  const seen: string[] = [];
  for (const [i, c] of CHANGES.entries()) {
    repo.git('checkout', '-q', '-B', `change-${i}`, base);
    const lines = original.split('\n');
    const at = lines.findIndex((l) => l.trim() === c.line);
    expect(at, c.where).toBeGreaterThanOrEqual(0);
    expect(
      lines.findIndex((l, j) => j > at && l.trim() === c.line),
      `${c.where}: the line must be unique`,
    ).toBe(-1);
    // The one-line change: the line throws instead, so a real run fails exactly the tests that executed it.
    lines[at] = `${lines[at]!.match(/^\s*/)![0]}throw new Error('changed: ${c.where}');`;
    writeFileSync(join(repo.root, SOURCE), lines.join('\n'));
    repo.commit(c.where);

    const branch = await detect([]);
    const fn = await detect(['--coverage-map', '.testsift/function-map.json', '--granularity', 'block']);
    const ran = await failingTests(repo.root);
    expect(ran.length, `${c.where}: some test executes the changed line`).toBeGreaterThan(0);
    // Safe: every test that executed the changed line is selected; exact: no other.
    expect(branch, c.where).toEqual(ran);
    // Function level: every test, since every test runs the function around the change.
    expect(fn, c.where).toEqual(ALL);
    expect(branch.length, c.where).toBeLessThan(fn.length);
    functionTotal += fn.length;
    branchTotal += branch.length;
    seen.push(`${c.where}: ${branch.length}/${fn.length}`);
  }
  // The target, on this kind of project: at least a third off the function-level selection.
  expect(branchTotal, seen.join('; ')).toBeLessThanOrEqual((functionTotal * 2) / 3);
}, 300_000);
