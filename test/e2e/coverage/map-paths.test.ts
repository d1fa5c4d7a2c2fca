import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MapError } from '../../../src/errors.js';
import { readMapRecord } from '../../../src/mappings/coverage/index.js';
import { NO_CI, runCli } from '../../helpers/cli.js';
import { makeScenario, type Scenario } from '../../helpers/scenario.js';
import { tempDir } from '../../helpers/map-fixtures.js';

/*
 * A path no file can have (a NUL, an unpaired surrogate, nothing at all) in a foreign map. The
 * native encoder used to find the NUL only when writing, and `map import`/`merge` exited 1 with
 * a RangeError stack trace. Each reader now refuses it on first sight: exit 2, naming the file,
 * where in it, and the entry; `detect` turns the same MapError into a full-suite reason.
 */
let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const META = '---\n:type: Crystalball::MapGenerator::StandardExecutionMap\n:commit: abc123\n:timestamp: 1700000000\n';

/** name → [file content, what the error must name]. */
const BAD: Record<string, [string | Buffer, RegExp]> = {
  'nul-key.json': [JSON.stringify({ 'app/a\0b.rb': ['spec/a_spec.rb'] }), /nul-key\.json:1:2: source path "app\/a\\u0000b\.rb" contains a NUL character/],
  'nul-test.json': [JSON.stringify({ 'app/a.rb': ['spec/ok_spec.rb', 'spec/a\0_spec.rb'] }), /nul-test\.json:1:\d+ \(key "app\/a\.rb"\): test path "spec\/a\\u0000_spec\.rb" contains a NUL/],
  'nul-test.json.gz': [gzipSync(JSON.stringify({ 'app/a.rb': ['spec/a\0_spec.rb'] })), /nul-test\.json\.gz:1:\d+ \(key "app\/a\.rb"\): test path .* contains a NUL/],
  'nul-packed.json': [JSON.stringify({ 'app/a.rb': { spec: { 'a\0_spec.rb': 1 } } }), /nul-packed\.json:1:\d+ \(key "app\/a\.rb"\): test path "spec\/a\\u0000_spec\.rb" contains a NUL/],
  'surrogate.json': ['{"app/a.rb": ["spec/a\\ud800_spec.rb"]}', /surrogate\.json:1:\d+ \(key "app\/a\.rb"\): test path "spec\/a\\ud800_spec\.rb" is not valid Unicode/],
  'empty-test.json': [JSON.stringify({ 'app/a.rb': ['./'] }), /empty-test\.json:1:\d+ \(key "app\/a\.rb"\): test path "\.\/" names no file/],
  'empty-key.json': [JSON.stringify({ '': ['spec/a_spec.rb'] }), /empty-key\.json:1:2: source path "" names no file/],
  'nul.yml': [`${META}---\n"./spec/a_spec.rb[1:1]":\n- app/ok.rb\n- "app/a\\0b.rb"\n`, /nul\.yml:6 \(\.\/spec\/a_spec\.rb\[1:1\]\): path "app\/a\\u0000b\.rb" contains a NUL/],
  'nul-id.yml': [`${META}---\n"./spec/a\\0_spec.rb[1:1]":\n- app/ok.rb\n`, /nul-id\.yml:6 \(\.\/spec\/a\u0000_spec\.rb\[1:1\]\): path "\.\/spec\/a\\u0000_spec\.rb" contains a NUL/],
};

describe('a path no file can have, in a foreign map', () => {
  it('map import and map merge: exit 2 naming the file, the place and the entry; no stack trace, nothing written', async () => {
    writeFileSync(join(tmp.dir, 'good.json'), JSON.stringify({ 'app/a.rb': ['spec/a_spec.rb'] }));
    for (const [name, [content, names]] of Object.entries(BAD)) {
      writeFileSync(join(tmp.dir, name), content);
      for (const args of [['map', 'import', name, '-o', 'out.map', '--commit', 'abc123'], ['map', 'merge', 'good.json', name, '-o', 'out.map']]) {
        const r = await runCli(args, { cwd: tmp.dir });
        expect(r.stderr, `${args.join(' ')}`).toMatch(names);
        expect(r.stderr).not.toMatch(/unexpected error|RangeError|\n\s+at /);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
        expect(existsSync(join(tmp.dir, 'out.map'))).toBe(false);
      }
    }
  }, 60_000);

  it('an istanbul folder: exit 2 naming the coverage file and its entry', async () => {
    const dir = join(tmp.dir, 'cov', 'test');
    mkdirSync(dir, { recursive: true });
    const fc = { path: 'src/a\0.ts', statementMap: { 0: { start: { line: 1, column: 0 }, end: { line: 1, column: 5 } } }, fnMap: {}, branchMap: {}, s: { 0: 1 }, f: {}, b: {} };
    writeFileSync(join(dir, 'a.test.ts.json'), JSON.stringify({ 'src/a\0.ts': fc }));
    const r = await runCli(['map', 'import', 'cov', '-o', 'out.map', '--format', 'istanbul-folder', '--commit', 'abc123'], { cwd: tmp.dir });
    expect(r.stderr).toMatch(/a\.test\.ts\.json \(src\/a\u0000\.ts\): path "src\/a\\u0000\.ts" contains a NUL/);
    expect(r.stderr).not.toMatch(/unexpected error|\n\s+at /);
    expect(r.code).toBe(2);
  });

  it('every reader throws the MapError itself (not the encoder later)', async () => {
    for (const [name, [content]] of Object.entries(BAD)) {
      writeFileSync(join(tmp.dir, name), content);
      await expect(readMapRecord(join(tmp.dir, name), { root: tmp.dir }), name).rejects.toBeInstanceOf(MapError);
    }
  });
});

describe('detect with such a map', () => {
  let s: Scenario;
  afterEach(() => s?.repo.cleanup());

  it('runs the full suite with a reason naming the map and the path', async () => {
    s = await makeScenario();
    // A Crystalball map records its commit, so detect reads it whole (a foreign map without a
    // commit means the full suite before its rows are read: see no-commit-cli.test.ts).
    writeFileSync(
      join(s.repo.root, '.testsift/map.yml'),
      `---\n:type: Crystalball::ExecutionMap\n:commit: ${s.mapCommit}\n:timestamp: 1763899200\n:version:\n---\n"./test/a\\0.test.ts[1]":\n- src/money.ts\n`,
    );
    s.repo.write({ 'src/legacy.ts': '// x\n' }).commit('legacy');
    const r = await runCli(['detect', '--base', 'main', '--format', 'json', '--coverage-map', '.testsift/map.yml'], { cwd: s.repo.root, env: NO_CI });
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.mode).toBe('full');
    expect(json.reasons.join('\n')).toMatch(/map\.yml.*contains a NUL/);
  });
});
