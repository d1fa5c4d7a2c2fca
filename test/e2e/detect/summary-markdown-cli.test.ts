/**
 * The summary line, `--format markdown` and detect-tests' summary.md on a real Vitest project:
 * fixtures/vitest-basic recorded by the real Vitest (its map and timings), then detect run as
 * a user runs it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSeconds } from '../../../src/outputs/summary.js';
import { DETECT_TESTS_BIN, NO_CI, runCli } from '../../helpers/cli.js';
import type { TempRepo } from '../../helpers/git.js';
import { recordedVitestProject } from '../../helpers/vitest-project.js';

let repo: TempRepo;
let timings: Record<string, number>;
const run = (args: string[], env: Record<string, string | undefined> = {}) => runCli(args, { cwd: repo.root, env: { ...NO_CI, GITHUB_STEP_SUMMARY: undefined, ...env } });
const sum = (tests: string[]) => Math.round(tests.reduce((a, t) => a + timings[t]!, 0) * 1000) / 1000;

beforeAll(async () => {
  repo = await recordedVitestProject();
  timings = JSON.parse(readFileSync(join(repo.root, '.testsift/timings.json'), 'utf8'));
  // The change: src/math.ts (add, mul) and src/greet.ts (greet).
  repo.write({ 'src/math.ts': `${readFileSync(join(repo.root, 'src/math.ts'), 'utf8')}// changed\n` });
  repo.write({ 'src/greet.ts': `${readFileSync(join(repo.root, 'src/greet.ts'), 'utf8')}// changed\n` });
  repo.commit('change');
}, 120_000);
afterAll(() => repo?.cleanup());

describe('the summary line', () => {
  it('is on stderr for list, json and markdown (stdout unchanged), first in explain, and in the JSON', async () => {
    const selected = ['test/add.test.ts', 'test/greet.test.ts', 'test/mul.test.ts'];
    const all = Object.keys(timings);
    expect(all).toHaveLength(6);
    const line = `testsift: selective, 3 of 6 test files (50%) for 2 changed files; est. ${formatSeconds(sum(selected))} of ${formatSeconds(sum(all))}`;

    const list = await run(['detect', '--base', 'main']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toBe(`${selected.join('\n')}\n`);
    expect(list.stderr).toBe(`${line}\n`);

    const json = await run(['detect', '--base', 'main', '--format', 'json']);
    expect(json.stderr).toBe(`${line}\n`);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.tests).toEqual(selected);
    expect(parsed.summary).toEqual({
      mode: 'selective',
      selected: 3,
      total: 6,
      percent: 50,
      changedFiles: 2,
      estimate: { selectedSeconds: sum(selected), totalSeconds: sum(all), untimedSelected: 0, untimedTotal: 0, timings: '.testsift/timings.json' },
      text: line,
    });

    const md = await run(['detect', '--base', 'main', '--format', 'markdown']);
    expect(md.stderr).toBe(`${line}\n`);

    // explain on stdout starts with the line; it is not repeated on stderr.
    const explain = await run(['detect', '--base', 'main', '--format', 'explain']);
    expect(explain.stdout.split('\n')[0]).toBe(line);
    expect(explain.stderr).toBe('');
    // Written to a file instead, the line still reaches the log.
    const toFile = await run(['detect', '--base', 'main', '--format', 'explain', '--output', 'out/explain.txt']);
    expect(toFile.stderr).toBe(`${line}\n`);
    expect(readFileSync(join(repo.root, 'out/explain.txt'), 'utf8').split('\n')[0]).toBe(line);
  });

  it('says "est. unknown: no timings" without a timing report, and counts tests without a timing', async () => {
    const none = await run(['detect', '--base', 'main', '--timings', 'nowhere.json']);
    expect(none.stderr).toContain('testsift: warning: timing report');
    expect(none.stderr).toContain('testsift: selective, 3 of 6 test files (50%) for 2 changed files; est. unknown: timings unreadable (nowhere.json)\n');

    const moved = join(repo.root, '.testsift/timings.json');
    const saved = readFileSync(moved, 'utf8');
    try {
      writeFileSync(moved, '{}');
      const unknown = await run(['detect', '--base', 'main']);
      expect(unknown.stderr).toBe(
        'testsift: selective, 3 of 6 test files (50%) for 2 changed files; est. unknown: no test file has a recorded time in .testsift/timings.json\n',
      );
    } finally {
      writeFileSync(moved, saved);
    }

    // Partial: test/ has 0.2, 0.4 and 1.0 recorded, so each of the 3 others costs the median 0.4.
    writeFileSync(join(repo.root, 'partial.json'), JSON.stringify({ 'test/add.test.ts': 0.2, 'test/greet.test.ts': 0.4, 'test/slow.test.ts': 1.0 }));
    const partial = await run(['detect', '--base', 'main', '--timings', 'partial.json', '--format', 'json']);
    expect(partial.stderr).toBe(
      "testsift: selective, 3 of 6 test files (50%) for 2 changed files; est. 1.0 s of 2.8 s (3 of 6 test files had no timing, 1 of them selected: their folder's median used)\n",
    );
    expect(JSON.parse(partial.stdout).summary.estimate).toEqual({ selectedSeconds: 1, totalSeconds: 2.8, untimedSelected: 1, untimedTotal: 3, timings: 'partial.json' });
  });

  it('in full mode names the whole suite', async () => {
    const full = await run(['detect', '--base', 'main', '--label', 'pipeline:run-all-tests', '--format', 'explain']);
    const lines = full.stdout.split('\n');
    expect(lines[0]).toBe(`testsift: FULL SUITE, all 6 test files for 2 changed files; est. ${formatSeconds(sum(Object.keys(timings)))}`);
    expect(lines.slice(1, 3)).toEqual(['full suite, because:', "  - label 'pipeline:run-all-tests' requests the full suite"]);
  });
});

describe('--format explain', () => {
  it('lists a changed file that also changed since the map was recorded (it used to drop it)', async () => {
    // With --changed-files the diff base is HEAD: math.ts and greet.ts both differ from the
    // map's commit, and math.ts is also the change.
    const r = await runCli(['detect', '--changed-files', '-', '--format', 'explain'], { cwd: repo.root, env: NO_CI, input: 'src/math.ts\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      [
        'src/math.ts (modified)',
        '  test/add.test.ts  ← coverage map: it executed or read this file',
        '  test/mul.test.ts  ← coverage map: it executed or read this file',
        // Why the map's block data could not narrow it (said once more under warnings).
        '  (file level: changed since the map was recorded)',
        'src/greet.ts (changed since the map was recorded)',
        '  test/greet.test.ts  ← coverage map: it executed or read this file',
      ].join('\n'),
    );
  });
});

describe('--format markdown', () => {
  it('has the counts and estimate, then changed file → tests with reasons (exact structure)', async () => {
    // test/'s median is 0.25: greet (selected), plugin and settings get it. 0.75 s of 3.75 s.
    writeFileSync(join(repo.root, 'small.json'), JSON.stringify({ 'test/add.test.ts': 0.25, 'test/mul.test.ts': 0.25, 'test/slow.test.ts': 2.5 }));
    const args = ['detect', '--changed-files', '-', '--timings', 'small.json'];
    const r = await runCli([...args, '--format', 'markdown'], { cwd: repo.root, env: NO_CI, input: 'src/math.ts\n' });
    expect(r.code, r.stderr).toBe(0);
    const map = JSON.parse((await runCli([...args, '--format', 'json'], { cwd: repo.root, env: NO_CI, input: 'src/math.ts\n' })).stdout).map;
    // greet.ts changed since the map's commit: it counts as changed (and is said to be).
    expect(r.stdout).toBe(
      [
        '### testsift: selective',
        '',
        "selective, 3 of 6 test files (50%) for 1 changed file; est. 0.8 s of 3.8 s (3 of 6 test files had no timing, 1 of them selected: their folder's median used)",
        '',
        '| Changed file | Test | Why |',
        '| --- | --- | --- |',
        '| <code>src/math.ts</code> (modified) | <code>test/add.test.ts</code> | coverage map: it executed or read this file |',
        '|  | <code>test/mul.test.ts</code> | coverage map: it executed or read this file |',
        '| <code>src/greet.ts</code> (changed since the map was recorded) | <code>test/greet.test.ts</code> | coverage map: it executed or read this file |',
        '',
        `<sub>coverage map <code>.testsift/map.json</code> (native, commit ${map.commit.slice(0, 12)}, ${map.timestamp})</sub>`,
        '',
        // The recorded map has block data, which the files changed since its commit cannot use.
        '**Warnings**',
        '',
        '- file level for 2 changed file(s) where block data could not answer: src/math.ts (changed since the map was recorded); src/greet.ts (changed since the map was recorded)',
        '',
      ].join('\n'),
    );

    // Past the limit, the rest goes under <details>, its first row naming the file again.
    const limited = await runCli([...args, '--format', 'markdown', '--explain-limit', '1'], { cwd: repo.root, env: NO_CI, input: 'src/math.ts\n' });
    expect(limited.stdout).toContain(
      [
        '| <code>src/math.ts</code> (modified) | <code>test/add.test.ts</code> | coverage map: it executed or read this file |',
        '| <code>src/greet.ts</code> (changed since the map was recorded) | <code>test/greet.test.ts</code> | coverage map: it executed or read this file |',
        '',
        '<details><summary>1 more row (past 1 tests per changed file)</summary>',
        '',
        '| Changed file | Test | Why |',
        '| --- | --- | --- |',
        '| <code>src/math.ts</code> (modified) | <code>test/mul.test.ts</code> | coverage map: it executed or read this file |',
        '',
        '</details>',
      ].join('\n'),
    );
  });

  it('shows nasty paths as written: no cell split, no markup, no code span broken', async () => {
    const source = 'src/a|b`<i>x</i>*y*_[l](u)@h.ts';
    const test = 'test/we|ird `<b>&amp;</b>` www.x.io.test.ts';
    repo.write({ [test]: "import { test } from 'vitest';\ntest('x', () => {});\n" });
    const r = await runCli(['detect', '--changed-files', '-', '--format', 'markdown'], { cwd: repo.root, env: NO_CI, input: `${source}\n${test}\n` });
    repo.remove(test);
    expect(r.code, r.stderr).toBe(0);
    const out = r.stdout;
    // Nothing that Markdown or HTML reads as syntax is left as written.
    for (const raw of ['<i>', '<b>', '`', '*y*', '[l]', '&amp;</b>', 'www.x']) expect(out, raw).not.toContain(raw);
    const rows = out.split('\n').filter((l) => l.startsWith('| '));
    expect(rows.length).toBeGreaterThanOrEqual(4);
    // A row is exactly three cells: no `|` of a path ends one.
    for (const row of rows) expect(row.split('|'), row).toHaveLength(5);
    const decode = (s: string) => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
    expect(decode(out)).toContain(`<code>${source}</code> (deleted)`);
    expect(decode(out)).toContain(`<code>${test}</code>`);
    // The full-suite reason names the unmapped path, escaped the same way.
    expect(out).toMatch(/^- unmapped change: src\/a&#124;b&#96;&#60;i&#62;x&#60;\/i&#62;&#42;y&#42;&#95;&#91;l&#93;\(u\)&#64;h\.ts — /m);
  });
});

describe('detect-tests', () => {
  it('writes .testsift/summary.md and appends it to $GITHUB_STEP_SUMMARY', async () => {
    const step = join(repo.root, 'step-summary.md');
    writeFileSync(step, 'an earlier step\n');
    const r = await runCli(['--base', 'main'], { cwd: repo.root, bin: DETECT_TESTS_BIN, env: { ...NO_CI, GITHUB_STEP_SUMMARY: step } });
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(join(repo.root, '.testsift/summary.md'), 'utf8');
    expect(md.startsWith('### testsift: selective\n\nselective, 3 of 6 test files (50%) for 2 changed files; est. ')).toBe(true);
    expect(md).toContain('| <code>src/greet.ts</code> (modified) | <code>test/greet.test.ts</code> |');
    expect(readFileSync(step, 'utf8')).toBe(`an earlier step\n${md}\n`);
    // The JSON artifact has the summary too; explain on stdout starts with its line.
    const json = JSON.parse(readFileSync(join(repo.root, '.testsift/detect.json'), 'utf8'));
    expect(r.stdout.split('\n')[0]).toBe(json.summary.text);
    // Without the variable, only the file.
    const again = await runCli(['--base', 'main'], { cwd: repo.root, bin: DETECT_TESTS_BIN, env: { ...NO_CI, GITHUB_STEP_SUMMARY: undefined } });
    expect(again.code).toBe(0);
    expect(readFileSync(step, 'utf8')).toBe(`an earlier step\n${md}\n`);
  });
});
