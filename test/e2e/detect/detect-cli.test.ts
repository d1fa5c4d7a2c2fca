import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DETECT_TESTS_BIN, runCli, runJson } from '../../helpers/cli.js';
import { TempRepo } from '../../helpers/git.js';
import { FILES, ROWS, makeScenario, writeMap, type Scenario } from '../../helpers/scenario.js';

const ALL_TESTS = ['test/cart.test.ts', 'test/config.test.ts', 'test/count.test.ts', 'test/legacy.test.ts', 'test/money.test.ts'];

let s: Scenario;
afterEach(() => s?.repo.cleanup());

const detectJson = (args: string[], env: Record<string, string | undefined> = {}) => runJson(['detect', '--base', 'main', ...args], s.repo.root, env);

describe('testsift detect: selective mode', () => {
  it('a source change selects the tests the map and tests.yml name, each with its reasons', async () => {
    s = await makeScenario();
    s.repo.write({ 'src/money.ts': 'export function cents(x: number) {\n  return Math.round(x * 1000) / 10;\n}\n' }).commit('money');
    const { json } = await detectJson([]);
    expect(json.mode).toBe('selective');
    expect(json.reasons).toEqual([]);
    expect(json.changedFiles).toEqual(['src/money.ts']);
    expect(json.tests).toEqual(['test/cart.test.ts', 'test/money.test.ts']);
    const money = json.selection.find((x: { test: string }) => x.test === 'test/money.test.ts');
    expect(money.because.map((b: { strategy: string }) => b.strategy).sort()).toEqual(['coverage-map', 'tests.yml']);
    expect(money.because.find((b: { strategy: string }) => b.strategy === 'tests.yml').detail).toMatch(/tests\.yml:2$/);
    const cart = json.selection.find((x: { test: string }) => x.test === 'test/cart.test.ts');
    expect(cart.because).toEqual([{ strategy: 'coverage-map', file: 'src/money.ts', detail: 'map row' }]);
    expect(json.map.commit).toBe(s.mapCommit);
  });

  it('the list format prints one test a line, sorted', async () => {
    s = await makeScenario();
    s.repo.write({ 'src/cart.ts': `${readFileSync(join(s.repo.root, 'src/cart.ts'), 'utf8')}// touched\n` }).commit('cart');
    const r = await runCli(['detect', '--base', 'main'], { cwd: s.repo.root });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('test/cart.test.ts\ntest/count.test.ts\n');
  });

  it('a changed test selects itself; a deleted test selects nothing and needs nothing', async () => {
    s = await makeScenario();
    s.repo.write({ 'test/money.test.ts': "import '../src/money.js';\n// more\n", 'test/new.test.ts': '// new\n' }).remove('test/legacy.test.ts').commit('tests');
    const { json } = await detectJson([]);
    expect(json.mode).toBe('selective');
    expect(json.tests).toEqual(['test/money.test.ts', 'test/new.test.ts']);
    expect(json.selection[1].because).toEqual([{ strategy: 'changed-test', file: 'test/new.test.ts', detail: 'added' }]);
  });

  it('a renamed source is looked up in the map under its old path', async () => {
    s = await makeScenario();
    s.repo.git('mv', 'src/legacy.ts', 'src/old-stuff.ts');
    s.repo.write({ 'test/legacy.test.ts': "import '../src/old-stuff.js';\n" }).commit('rename');
    const { json } = await detectJson([]);
    expect(json.mode).toBe('selective');
    expect(json.tests).toEqual(['test/legacy.test.ts']);
    const reasons = json.selection[0].because;
    expect(reasons).toContainEqual({ strategy: 'coverage-map', file: 'src/old-stuff.ts', detail: 'map row src/legacy.ts' });
  });

  it('a deleted source selects the tests that executed it', async () => {
    s = await makeScenario();
    s.repo.remove('src/legacy.ts').commit('drop legacy');
    const { json } = await detectJson([]);
    expect(json.mode).toBe('selective');
    expect(json.tests).toEqual(['test/legacy.test.ts']);
  });

  it('an ignored file needs no tests; a known file no test executes needs none either', async () => {
    s = await makeScenario();
    s.repo.write({ 'README.md': '# shop!\n', 'lib/util.ts': 'export const U = 2;\n' }).commit('docs');
    const { json } = await detectJson([]);
    expect(json.mode).toBe('selective');
    expect(json.tests).toEqual([]);
    expect(json.ignored).toEqual(['README.md']);
  });

  it('a non-code file read by a test is selected through the map and tests.yml', async () => {
    s = await makeScenario();
    s.repo.write({ 'config/app.json': '{"x":1}\n' }).commit('config');
    const { json } = await detectJson([]);
    expect(json.tests).toEqual(['test/config.test.ts']);
  });

  it('a test file the map never recorded runs (it may execute the change)', async () => {
    const rows = {
      'src/money.ts': ['test/money.test.ts'],
      'src/legacy.ts': ['test/legacy.test.ts'],
      'config/app.json': ['test/config.test.ts'],
      'src/cart.ts': ['test/cart.test.ts'],
    };
    s = await makeScenario({ rows });
    s.repo.write({ 'src/legacy.ts': '// x\n' }).commit('legacy');
    const { json } = await detectJson([]);
    expect(json.mode).toBe('selective');
    expect(json.tests).toEqual(['test/count.test.ts', 'test/legacy.test.ts']);
    const count = json.selection.find((x: { test: string }) => x.test === 'test/count.test.ts');
    expect(count.because).toEqual([{ strategy: 'unrecorded-test', file: 'test/count.test.ts', detail: 'not in the coverage map' }]);
  });

  it('--coverage-map none selects by tests.yml and changed tests alone', async () => {
    s = await makeScenario();
    s.repo.write({ 'src/money.ts': 'export const cents = (x: number) => x * 100;\n' }).commit('money');
    const { json } = await detectJson(['--coverage-map', 'none']);
    expect(json.mode).toBe('selective');
    expect(json.tests).toEqual(['test/money.test.ts']);
  });
});

describe('testsift detect: full-suite rules', () => {
  it('a run-all label forces the full suite, and the list is the whole universe', async () => {
    s = await makeScenario();
    s.repo.write({ 'src/money.ts': '// x\n' }).commit('money');
    const { json } = await detectJson(['--label', 'pipeline:run-all-tests']);
    expect(json.mode).toBe('full');
    expect(json.reasons).toEqual(["label 'pipeline:run-all-tests' requests the full suite"]);
    expect(json.tests).toEqual(ALL_TESTS);
    // What selection found is still reported.
    expect(json.selection.map((x: { test: string }) => x.test)).toEqual(['test/cart.test.ts', 'test/money.test.ts']);
  });

  it('labels also come from CI_MERGE_REQUEST_LABELS', async () => {
    s = await makeScenario();
    s.repo.write({ 'src/money.ts': '// x\n' }).commit('money');
    const { json } = await detectJson([], { CI_MERGE_REQUEST_LABELS: 'backend, pipeline:run-all-tests' });
    expect(json.mode).toBe('full');
  });

  it('package.json and CI config changes force the full suite with the matching pattern', async () => {
    s = await makeScenario();
    s.repo.write({ 'package.json': '{ "name": "shop", "type": "module", "version": "2.0.0" }\n', '.gitlab/ci/test.gitlab-ci.yml': 'x: 1\n' }).commit('deps');
    const { json } = await detectJson([]);
    expect(json.mode).toBe('full');
    expect(json.reasons.some((r: string) => r.includes('package.json'))).toBe(true);
    expect(json.reasons.some((r: string) => r.includes('.gitlab/ci/test.gitlab-ci.yml'))).toBe(true);
    expect(json.tests).toEqual(ALL_TESTS);
  });

  it('an unmapped source forces the full suite; unmapped: ignore does not', async () => {
    s = await makeScenario();
    s.repo.write({ 'lib/new-helper.ts': 'export const N = 1;\n' }).commit('helper');
    const { json } = await detectJson([]);
    expect(json.mode).toBe('full');
    expect(json.unmapped).toEqual(['lib/new-helper.ts']);
    expect(json.reasons[0]).toContain('unmapped change: lib/new-helper.ts');

    const cfg = readFileSync(join(s.repo.root, 'tests.yml'), 'utf8');
    writeFileSync(join(s.repo.root, 'relaxed.yml'), `${cfg}full_suite:\n  unmapped: ignore\n`);
    const relaxed = await detectJson(['--config', 'relaxed.yml']);
    expect(relaxed.json.mode).toBe('selective');
    expect(relaxed.json.tests).toEqual([]);
  });

  it('a source a tests.yml rule matches but whose test does not exist, unknown to the map, is unmapped; ignore: exempts it', async () => {
    s = await makeScenario();
    // The rule src/(?<name>[^/]+).ts → test/%{name}.test.ts names test/paypal.test.ts: absent.
    s.repo.write({ 'src/paypal.ts': 'export const P = 1;\n' }).commit('provider');
    const { json } = await detectJson([]);
    expect(json.mode).toBe('full');
    expect(json.unmapped).toEqual(['src/paypal.ts']);

    const cfg = readFileSync(join(s.repo.root, 'tests.yml'), 'utf8');
    writeFileSync(join(s.repo.root, 'exempt.yml'), `${cfg}ignore: ['src/paypal.ts']\n`);
    const exempt = await detectJson(['--config', 'exempt.yml']);
    expect(exempt.json.mode).toBe('selective');
    expect(exempt.json.ignored).toEqual(['src/paypal.ts']);
  });

  it('a missing map means the full suite, with the reason and a warning, exit 0', async () => {
    s = await makeScenario();
    s.repo.write({ 'src/money.ts': '// x\n' }).commit('money');
    s.repo.remove('.testsift/map.json');
    const { json, stderr } = await detectJson([]);
    expect(json.mode).toBe('full');
    expect(json.reasons[0]).toContain('coverage map .testsift/map.json not found');
    expect(stderr).toContain('warning');
  });

  it('a corrupt map means the full suite, naming the file', async () => {
    s = await makeScenario();
    s.repo.write({ 'src/money.ts': '// x\n' }).commit('money');
    writeFileSync(join(s.repo.root, '.testsift/map.json'), '{"src/a.ts": 42');
    const { json } = await detectJson([]);
    expect(json.mode).toBe('full');
    expect(json.reasons[0]).toContain('.testsift/map.json');
  });

  it('a native map found corrupt only when its test names are read means the full suite, exit 0', async () => {
    s = await makeScenario();
    s.repo.write({ 'src/money.ts': '// x\n' }).commit('money');
    // Opening checks the header and index; the test-name section is read (and its CRC checked)
    // only by the selection. Flip one bit in it.
    const file = join(s.repo.root, '.testsift/map.json');
    const bytes = readFileSync(file);
    const header = JSON.parse(bytes.toString('utf8', 20, 20 + bytes.readUInt32LE(12)));
    bytes[header.sections.testNames[0] + 3] ^= 1;
    writeFileSync(file, bytes);
    const { json } = await detectJson([]); // exit 0, or it throws
    expect(json.mode).toBe('full');
    expect(json.reasons.join('\n')).toMatch(/map\.json \(testNames\): is corrupt/);
    expect(json.tests).toEqual(ALL_TESTS);
    const list = await runCli(['detect', '--base', 'main'], { cwd: s.repo.root });
    expect(list.code).toBe(0);
    expect(list.stdout).toBe(`${ALL_TESTS.join('\n')}\n`);
  });

  it('a map older than max_map_age_hours means the full suite, when the option is set', async () => {
    s = await makeScenario({ timestamp: new Date(Date.now() - 48 * 3600_000).toISOString() });
    s.repo.write({ 'tests.yml': `${FILES['tests.yml']}full_suite: { max_map_age_hours: 24 }\n` }).commit('age limit');
    s.repo.write({ 'src/money.ts': '// x\n' }).commit('money');
    const { json } = await detectJson([]);
    expect(json.mode).toBe('full');
    expect(json.reasons.join('\n')).toMatch(/is 4[78]\.\d h old \(full_suite\.max_map_age_hours: 24\)/);
  });

  it('by default an old map whose commit is known stays usable: the commit check covers the drift', async () => {
    s = await makeScenario({ timestamp: new Date(Date.now() - 72 * 3600_000).toISOString() });
    s.repo.write({ 'src/money.ts': '// x\n' }).commit('money');
    const { json } = await detectJson([]);
    expect(json.mode).toBe('selective');
    expect(json.tests).toEqual(['test/cart.test.ts', 'test/money.test.ts']);
  });

  it('a map without a recorded commit means the full suite', async () => {
    s = await makeScenario();
    s.repo.write({ 'src/money.ts': '// x\n' }).commit('money');
    writeFileSync(join(s.repo.root, '.testsift/direct.json'), JSON.stringify({ 'src/money.ts': ['test/money.test.ts'] }));
    const { json } = await detectJson(['--coverage-map', '.testsift/direct.json']);
    expect(json.mode).toBe('full');
    expect(json.reasons[0]).toContain('records no commit');
  });

  it('a map recorded on a commit that is neither an ancestor nor a descendant of the base means the full suite', async () => {
    s = await makeScenario();
    // main moves on and the branch forks from there; the map comes from a side line of the
    // commit main had before: on neither the branch's nor main's line of history.
    s.repo.git('checkout', '-q', 'main');
    s.repo.write({ 'README.md': '# shop 2\n' }).commit('main moves on');
    s.repo.git('checkout', '-q', '-b', 'elsewhere', s.mapCommit);
    const other = s.repo.write({ 'lib/util.ts': 'export const U = 3;\n' }).commit('elsewhere');
    s.repo.git('checkout', '-q', '-B', 'feature', 'main');
    s.repo.write({ 'src/money.ts': '// x\n' }).commit('money');
    await writeMap(join(s.repo.root, '.testsift/map.json'), { commit: other });
    const { json } = await detectJson([]);
    expect(json.mode).toBe('full');
    expect(json.reasons[0]).toContain('neither an ancestor nor a descendant of the diff base');
  });

  it('a map recorded on main after the branch forked serves it: files changed on main since the fork count as changed', async () => {
    s = await makeScenario();
    s.repo.git('checkout', '-q', '-b', 'feature2', 'main');
    s.repo.write({ 'src/money.ts': '// x\n' }).commit('money');
    s.repo.git('checkout', '-q', 'main');
    const later = s.repo.write({ 'src/legacy.ts': 'export const OLD = 2;\n' }).commit('main moves on');
    // The map of main's newest commit, recorded after feature2 forked.
    await writeMap(join(s.repo.root, '.testsift/map.json'), { commit: later });
    s.repo.git('checkout', '-q', 'feature2');
    const { json } = await detectJson([]);
    expect(json.reasons).toEqual([]);
    expect(json.mode).toBe('selective');
    expect(json.staleFiles).toEqual(['src/legacy.ts']);
    expect(json.tests).toEqual(['test/cart.test.ts', 'test/legacy.test.ts', 'test/money.test.ts']);
  });

  it('files changed on main since the map was recorded are treated as changed', async () => {
    s = await makeScenario();
    s.repo.git('checkout', '-q', 'main');
    s.repo.write({ 'src/legacy.ts': 'export const OLD = 2;\n' }).commit('main moves on');
    s.repo.git('checkout', '-q', '-b', 'feature2');
    s.repo.write({ 'src/money.ts': '// x\n' }).commit('money');
    const { json } = await detectJson([]);
    expect(json.mode).toBe('selective');
    expect(json.staleFiles).toEqual(['src/legacy.ts']);
    expect(json.changedFiles).toEqual(['src/money.ts']);
    expect(json.tests).toEqual(['test/cart.test.ts', 'test/legacy.test.ts', 'test/money.test.ts']);
  });
});

describe('testsift detect: inputs, outputs and errors', () => {
  it('reads changed files from a list file and from stdin', async () => {
    s = await makeScenario();
    writeFileSync(join(s.repo.root, 'changed.txt'), './src/legacy.ts\r\n\r\n');
    const fromFile = await runCli(['detect', '--changed-files', 'changed.txt'], { cwd: s.repo.root });
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(fromFile.stdout).toBe('test/legacy.test.ts\n');
    const fromStdin = await runCli(['detect', '--changed-files', '-'], { cwd: s.repo.root, input: 'src/legacy.ts\n' });
    expect(fromStdin.stdout).toBe('test/legacy.test.ts\n');
  });

  it('--format explain groups tests by changed file with the rule or map row', async () => {
    s = await makeScenario();
    s.repo.write({ 'src/money.ts': '// x\n', 'README.md': 'x\n' }).commit('money');
    const r = await runCli(['detect', '--base', 'main', '--format', 'explain'], { cwd: s.repo.root });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('testsift: selective, 2 of 5 test files (40%) for 2 changed files; est. unknown: no timings');
    expect(r.stdout).toContain(
      [
        'src/money.ts (modified)',
        '  test/cart.test.ts   ← coverage map: it executed or read this file',
        '  test/money.test.ts  ← tests.yml rule at tests.yml:2; coverage map: it executed or read this file',
      ].join('\n'),
    );
    expect(r.stdout).toContain('README.md (modified) — ignored (needs no tests)');
  });

  it('--format explain shows 20 tests per changed file and counts the rest; --explain-limit changes that', async () => {
    // src/money.ts was executed by 30 generated tests (a hot file): the log must not list them all.
    const many = Array.from({ length: 30 }, (_, i) => `test/gen/t${String(i).padStart(2, '0')}.test.ts`);
    const repo = new TempRepo('testsift-explain-');
    repo.write({ ...FILES, '.gitignore': '.testsift/\n', ...Object.fromEntries(many.map((t) => [t, '// t\n'])) });
    const mapCommit = repo.commit('shop');
    await writeMap(`${repo.root}/.testsift/map.json`, { commit: mapCommit, rows: { ...ROWS, 'src/money.ts': [...ROWS['src/money.ts'], ...many] } });
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write({ 'src/money.ts': '// x\n' }).commit('money');
    s = { repo, mapCommit };
    const shownUnder = (out: string) => out.split('\n').filter((l) => l.includes('←')).length;

    const r = await runCli(['detect', '--base', 'main', '--format', 'explain'], { cwd: repo.root });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('testsift: selective, 32 of 35 test files (91%) for 1 changed file');
    expect(shownUnder(r.stdout)).toBe(20);
    expect(r.stdout).toContain('  … and 12 more (every test with its reasons: --format json, or --explain-limit 0)');

    const all = await runCli(['detect', '--base', 'main', '--format', 'explain', '--explain-limit', '0'], { cwd: repo.root });
    expect(shownUnder(all.stdout)).toBe(32);
    expect(all.stdout).not.toContain('more (every test');
    const three = await runCli(['detect', '--base', 'main', '--format', 'explain', '--explain-limit', '3'], { cwd: repo.root });
    expect(shownUnder(three.stdout)).toBe(3);
    expect(three.stdout).toContain('… and 29 more');
    // detect-tests writes every test to its JSON artifact and says so.
    const ci = await runCli(['--base', 'main'], { cwd: repo.root, bin: DETECT_TESTS_BIN });
    expect(ci.stdout).toContain('  … and 12 more (all of them, with their reasons, in .testsift/detect.json)');
    expect(JSON.parse(readFileSync(join(repo.root, '.testsift/detect.json'), 'utf8')).selection).toHaveLength(32);
    // The list and the JSON are never capped.
    expect((await runCli(['detect', '--base', 'main'], { cwd: repo.root })).stdout.trim().split('\n')).toHaveLength(32);
    const bad = await runCli(['detect', '--format', 'explain', '--explain-limit', 'lots'], { cwd: repo.root });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--explain-limit expects an integer ≥ 0, got 'lots'");
  });

  it('--output writes the file and prints nothing on stdout', async () => {
    s = await makeScenario();
    s.repo.write({ 'src/legacy.ts': '// x\n' }).commit('legacy');
    const r = await runCli(['detect', '--base', 'main', '--format', 'json', '--output', 'out/sel.json'], { cwd: s.repo.root });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(join(s.repo.root, 'out/sel.json'), 'utf8')).tests).toEqual(['test/legacy.test.ts']);
  });

  it('detect-tests writes the JSON and list artifacts and explains on stdout', async () => {
    s = await makeScenario();
    s.repo.write({ 'src/legacy.ts': '// x\n' }).commit('legacy');
    const r = await runCli(['--base', 'main'], { cwd: s.repo.root, bin: DETECT_TESTS_BIN });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('testsift: selective, 1 of 5 test files (20%) for 1 changed file');
    expect(JSON.parse(readFileSync(join(s.repo.root, '.testsift/detect.json'), 'utf8')).mode).toBe('selective');
    expect(readFileSync(join(s.repo.root, '.testsift/tests.txt'), 'utf8')).toBe('test/legacy.test.ts\n');
  });

  it('previously failed tests (JUnit XML) run again', async () => {
    s = await makeScenario();
    s.repo.write({ 'src/legacy.ts': '// x\n' }).commit('legacy');
    writeFileSync(
      join(s.repo.root, 'junit.xml'),
      `<?xml version="1.0"?><testsuites><testsuite name="test/count.test.ts"><testcase classname="test/count.test.ts" name="counts"><failure message="boom"/></testcase></testsuite><testsuite name="test/money.test.ts"><testcase classname="test/money.test.ts" name="ok"/></testsuite></testsuites>`,
    );
    const { json } = await detectJson(['--previous-failures', 'junit.xml']);
    expect(json.tests).toEqual(['test/count.test.ts', 'test/legacy.test.ts']);
    expect(json.selection[0].because[0].strategy).toBe('previous-failure');
  });

  it('the fail-fast subset lists directly mapped tests, or says why it is skipped', async () => {
    s = await makeScenario();
    s.repo.write({ 'src/money.ts': '// x\n', 'src/legacy.ts': '// y\n' }).commit('money');
    const { json } = await detectJson([]);
    // tests.yml maps both files to their own test; the map adds cart (not "direct").
    expect(json.tests).toEqual(['test/cart.test.ts', 'test/legacy.test.ts', 'test/money.test.ts']);
    expect(json.failFast).toEqual({ tests: ['test/legacy.test.ts', 'test/money.test.ts'] });
    const cfg = readFileSync(join(s.repo.root, 'tests.yml'), 'utf8');
    writeFileSync(join(s.repo.root, 'strict.yml'), `${cfg}fail_fast: { threshold: 1 }\n`);
    const strict = await detectJson(['--config', 'strict.yml']);
    expect(strict.json.failFast.tests).toEqual([]);
    expect(strict.json.failFast.skipped).toContain('2 directly mapped tests exceed fail_fast.threshold 1');
  });

  it('an invalid tests.yml is exit 2 naming the file and line', async () => {
    s = await makeScenario();
    writeFileSync(join(s.repo.root, 'bad.yml'), "mapping:\n  - source: 'src/(.+)\\.ts'\n  - test: 'x'\n");
    const r = await runCli(['detect', '--base', 'main', '--config', 'bad.yml'], { cwd: s.repo.root });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yml:\d+/);
  });

  it('an unknown ref is exit 2 naming it', async () => {
    s = await makeScenario();
    const r = await runCli(['detect', '--base', 'no-such-branch'], { cwd: s.repo.root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no-such-branch');
  });

  it('bad flags are exit 2 with the command named', async () => {
    s = await makeScenario();
    const r = await runCli(['detect', '--format', 'yaml'], { cwd: s.repo.root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--format must be list, json, explain or markdown');
    const help = await runCli(['detect', '--help'], { cwd: s.repo.root });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: testsift detect');
    expect(existsSync(join(s.repo.root, '.testsift/detect.json'))).toBe(false);
  });
});
