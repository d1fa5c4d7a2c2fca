/**
 * The pieces under the Vitest plugin that do not need a Vitest run: selection parsing, the
 * recording writer (real files, a real git repo), the fs-read tracker, source-map line lookup
 * and block tables (parsed with the same parser the plugin uses).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { parseAst } from 'vitest/node';
import { readMapRecord } from '../../../src/mappings/coverage/index.js';
import { readSelection } from '../../../src/integrations/shared/selection.js';
import { shardPartialPath, writeRecording } from '../../../src/integrations/shared/recording.js';
import { installFsReadTracker } from '../../../src/integrations/shared/fs-reads.js';
import { createRootFilter, scriptUrlToPath } from '../../../src/integrations/shared/path-filter.js';
import { decodeMappings, originalLine } from '../../../src/integrations/shared/source-map-lines.js';
import { buildBlockTable, executedBlocks } from '../../../src/integrations/shared/block-table.js';
import { positiveSpans, ranSpans } from '../../../src/integrations/shared/v8-spans.js';
import { usesV8Coverage } from '../../../src/integrations/vitest/coverage-conflict.js';
import { CoverageTap } from '../../../src/integrations/vitest/coverage-tap.js';
import { dirtyTreeWarning, ignoreOutputDir, uncommittedFiles } from '../../../src/integrations/shared/worktree.js';
import { TempRepo } from '../../helpers/git.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'testsift-units-'));
  cleanups.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

describe('readSelection', () => {
  test('detect JSON: mode and sorted, normalised tests', () => {
    const sel = readSelection(JSON.stringify({ mode: 'selective', reasons: [], tests: ['./b.test.ts', 'a.test.ts'], selection: [] }));
    expect(sel).toEqual({ mode: 'selective', tests: ['a.test.ts', 'b.test.ts'], origin: 'TESTSIFT_SELECT' });
    expect(readSelection('{"mode":"full","tests":["x"]}').mode).toBe('full');
  });

  test('a JSON array or a list (CRLF, blank and # lines) of paths', () => {
    expect(readSelection('["b.ts","a.ts","a.ts"]').tests).toEqual(['a.ts', 'b.ts']);
    expect(readSelection('# selected\r\ntest/b.test.ts\r\n\r\n./test/a.test.ts\r\n').tests).toEqual(['test/a.test.ts', 'test/b.test.ts']);
  });

  test('a path to a selection file is read; a path to a test file is a one-test list', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'tests.txt'), 'test/x.test.ts\ntest/y.test.ts\n');
    writeFileSync(join(dir, 'sel.json'), '{"mode":"full","tests":[]}');
    writeFileSync(join(dir, 'only.test.ts'), '');
    expect(readSelection('tests.txt', { cwd: dir })).toEqual({ mode: 'selective', tests: ['test/x.test.ts', 'test/y.test.ts'], origin: 'tests.txt' });
    expect(readSelection('sel.json', { cwd: dir }).mode).toBe('full');
    expect(readSelection('only.test.ts', { cwd: dir }).tests).toEqual(['only.test.ts']);
  });

  test('bad input is the whole suite, with the reason naming the origin and the key', () => {
    expect(readSelection('{"mode":"selective"}')).toEqual({
      mode: 'full',
      tests: [],
      origin: 'TESTSIFT_SELECT',
      unusable: 'invalid selection: TESTSIFT_SELECT (tests): expected an array of test paths',
    });
    expect(readSelection('{"mode":"selective","tests":["a",3]}').unusable).toContain('TESTSIFT_SELECT (tests[1])');
    expect(readSelection('{"mode":').unusable).toMatch(/TESTSIFT_SELECT: invalid JSON selection/);
    const dir = tempDir();
    writeFileSync(join(dir, 'broken.json'), '[1]');
    expect(readSelection('broken.json', { cwd: dir }).unusable).toContain('broken.json ([][0])');
  });
});

describe('writeRecording', () => {
  test('writes map and timings atomically with metadata; drops paths outside the root or in node_modules', async () => {
    const repo = new TempRepo('testsift-rec-');
    cleanups.push(() => repo.cleanup());
    repo.write({ 'a.txt': 'a' });
    const sha = repo.commit('one');
    const written = await writeRecording(
      [
        { test: 'test/a.test.ts', executed: ['src/a.ts', 'test/a.test.ts', 'node_modules/x/index.js', '../outside.ts'], read: ['fixtures/a.json'], seconds: 1.23456 },
        { test: 'test/b.test.ts', executed: ['src/a.ts', './src/b.ts'], read: [], seconds: 0.5 },
        { test: 'test/b.test.ts', executed: ['src/c.ts'], read: [], seconds: 0.25 },
      ],
      {
        root: repo.root,
        mapPath: join(repo.root, '.testsift/map.json'),
        timingsPath: join(repo.root, '.testsift/timings.json'),
        runner: 'vitest',
        runnerVersion: '4.1.12',
        known: ['src/unused.ts', 'src/a.ts'],
      },
    );
    expect(written).toMatchObject({ tests: 2, edges: 6 });
    const record = await readMapRecord(written.mapPath);
    const rows = Object.fromEntries([...record.rows].map(([s, ids]) => [s, [...ids].map((i) => record.tests[i]).sort()]));
    expect(rows).toEqual({
      'fixtures/a.json': ['test/a.test.ts'],
      'src/a.ts': ['test/a.test.ts', 'test/b.test.ts'],
      'src/b.ts': ['test/b.test.ts'],
      'src/c.ts': ['test/b.test.ts'],
      'test/a.test.ts': ['test/a.test.ts'],
    });
    expect([...record.unused]).toEqual(['src/unused.ts']);
    expect(record.metadata).toMatchObject({ commit: sha, runner: 'vitest', runnerVersion: '4.1.12', granularity: 'file' });
    // testsift's own version, from its package.json (not a constant that goes stale on release).
    expect(record.metadata.testsiftVersion).toBe(JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version);
    // A test file recorded twice (two projects) costs the sum; rounded to milliseconds.
    expect(JSON.parse(readFileSync(written.timingsPath, 'utf8'))).toEqual({ 'test/a.test.ts': 1.235, 'test/b.test.ts': 0.75 });
  });

  test('a test recorded twice, once without block data for a file, stays at file level for it', async () => {
    const dir = tempDir();
    const table = [
      { id: 0, name: '', start: 1, end: 9 },
      { id: 1, name: 'add', start: 1, end: 3 },
      { id: 2, name: 'mul', start: 5, end: 9 },
    ];
    const written = await writeRecording(
      [
        // Project 1: add.test.ts ran `add`; project 2: the same file ran src/math.ts, but its
        // calls could not be matched to the table (no block data).
        { test: 'test/add.test.ts', executed: ['src/math.ts'], read: [], seconds: 1, blocks: [{ source: 'src/math.ts', blocks: table, executed: [0, 1] }] },
        { test: 'test/add.test.ts', executed: ['src/math.ts'], read: [], seconds: 1, blocks: [] },
        { test: 'test/mul.test.ts', executed: ['src/math.ts'], read: [], seconds: 1, blocks: [{ source: 'src/math.ts', blocks: table, executed: [0, 2] }] },
      ],
      { root: dir, mapPath: join(dir, 'map.json'), timingsPath: join(dir, 'timings.json'), runner: 'vitest' },
    );
    const record = await readMapRecord(written.mapPath);
    const math = record.blocks?.get('src/math.ts');
    expect(math?.blocks).toEqual(table);
    const executed = Object.fromEntries([...(math?.executed ?? [])].map(([id, ids]) => [record.tests[id], ids]));
    expect(executed).toEqual({ 'test/mul.test.ts': [0, 2] });
    expect([...record.rows.get('src/math.ts')!].map((i) => record.tests[i]).sort()).toEqual(['test/add.test.ts', 'test/mul.test.ts']);
  });

  test('with a shard writes the partial names; outside a repository no commit is recorded', async () => {
    const dir = tempDir();
    const written = await writeRecording([{ test: 't.test.ts', executed: ['s.ts'], read: [], seconds: 1 }], {
      root: dir,
      mapPath: join(dir, 'out/map.json'),
      timingsPath: join(dir, 'out/timings.json'),
      runner: 'vitest',
      shard: { index: 2, count: 3 },
    });
    expect(written.mapPath).toBe(join(dir, 'out/map.shard-2-of-3.json'));
    expect(written.timingsPath).toBe(join(dir, 'out/timings.shard-2-of-3.json'));
    expect((await readMapRecord(written.mapPath)).metadata.commit).toBeUndefined();
    expect(shardPartialPath('/x/.testsift/map.json', { index: 1, count: 4 })).toBe('/x/.testsift/map.shard-1-of-4.json');
  });
});

describe('fs read tracker and path filter', () => {
  test('sees readFileSync (named import too), fs.promises.readFile, existsSync of existing files only', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.json'), '{}');
    writeFileSync(join(dir, 'b.txt'), 'b');
    const tracker = installFsReadTracker();
    tracker.take();
    // Named imports bound before the patch still see it (syncBuiltinESMExports).
    const { readFileSync: named } = await import('node:fs');
    named(join(dir, 'a.json'), 'utf8');
    await readFile(join(dir, 'b.txt'));
    fs.existsSync(join(dir, 'missing.txt'));
    const seen = tracker.take();
    expect(seen.has(join(dir, 'a.json'))).toBe(true);
    expect(seen.has(join(dir, 'b.txt'))).toBe(true);
    expect(seen.has(join(dir, 'missing.txt'))).toBe(false);
    expect(tracker.take().size).toBe(0);
  });

  test('sees files opened for reading (openSync, open, promises.open: named imports too), not writes or failed opens', async () => {
    const dir = tempDir();
    for (const n of ['sync.txt', 'cb.txt', 'promise.txt', 'numeric.txt', 'written.txt']) writeFileSync(join(dir, n), n);
    const tracker = installFsReadTracker();
    tracker.take();
    const { openSync: namedOpenSync, closeSync, readSync } = await import('node:fs');
    const { open: namedOpen } = await import('node:fs/promises');
    const fd = namedOpenSync(join(dir, 'sync.txt'), 'r');
    expect(readSync(fd, Buffer.alloc(8))).toBe(8);
    closeSync(fd);
    closeSync(fs.openSync(join(dir, 'numeric.txt'), fs.constants.O_RDONLY));
    await new Promise<void>((resolve, reject) => fs.open(join(dir, 'cb.txt'), (err, cfd) => (err ? reject(err) : (fs.closeSync(cfd), resolve()))));
    await (await namedOpen(join(dir, 'promise.txt'))).close();
    closeSync(fs.openSync(join(dir, 'written.txt'), 'w'));
    closeSync(fs.openSync(join(dir, 'new.txt'), 'a'));
    expect(() => fs.openSync(join(dir, 'missing-sync.txt'))).toThrow();
    const cbError = await new Promise<unknown>((resolve) => fs.open(join(dir, 'missing-cb.txt'), 'r', (err) => resolve(err)));
    expect(cbError).toBeInstanceOf(Error);
    await expect(namedOpen(join(dir, 'missing-promise.txt'))).rejects.toThrow();
    const seen = [...tracker.take()]
      .filter((p) => p.startsWith(dir))
      .map((p) => p.slice(dir.length + 1))
      .sort();
    expect(seen).toEqual(['cb.txt', 'numeric.txt', 'promise.txt', 'sync.txt']);
  });

  test('tells listeners each read with the fs function that made it; a URL from another realm (Jest sandbox) counts', () => {
    const dir = tempDir();
    for (const n of ['r.txt', 'e.txt', 'u.txt']) writeFileSync(join(dir, n), n);
    const tracker = installFsReadTracker();
    // One patch per worker, kept on the fs module every context shares (Jest gives each test file its own `process`).
    expect((fs as unknown as Record<symbol, unknown>)[Symbol.for('testsift.fsReads')]).toBe(tracker);
    tracker.take();
    const heard: string[] = [];
    let active = true; // listeners stay for the worker's life: this one goes quiet after the test
    tracker.listen?.((abs, via) => {
      if (active && abs.startsWith(dir)) heard.push(`${abs.slice(dir.length + 1)} ${via}`);
    });
    fs.readFileSync(join(dir, 'r.txt'));
    fs.existsSync(join(dir, 'e.txt'));
    // A URL made in another realm is not `instanceof URL` here: only its shape says what it is.
    const { href, protocol, hostname, pathname } = pathToFileURL(join(dir, 'u.txt'));
    fs.readFileSync({ href, protocol, hostname, pathname } as unknown as URL);
    active = false;
    // Node's readFileSync opens the file through fs.openSync, which is heard too.
    expect(heard.filter((h) => !h.endsWith(' openSync'))).toEqual(['r.txt readFileSync', 'e.txt existsSync', 'u.txt readFileSync']);
    expect(tracker.take().has(join(dir, 'u.txt'))).toBe(true);
  });

  test('root filter keeps repo files, drops node_modules, .git, excluded and outside paths', () => {
    const filter = createRootFilter('/repo', ['/repo/.testsift']);
    expect(filter.toRelative('/repo/src/a.ts')).toBe('src/a.ts');
    expect(filter.toRelative('/repo/node_modules/x/a.js')).toBeUndefined();
    expect(filter.toRelative('/repo/pkg/node_modules/x/a.js')).toBeUndefined();
    expect(filter.toRelative('/repo/.git/HEAD')).toBeUndefined();
    expect(filter.toRelative('/repo/.testsift/map.json')).toBeUndefined();
    expect(filter.toRelative('/elsewhere/a.ts')).toBeUndefined();
    // An output folder that is the root or above it (TESTSIFT_MAP_OUT=map.json, /tmp/map.json)
    // must not exclude the whole repository.
    for (const out of ['/repo', '/', '/repo/']) {
      expect(createRootFilter('/repo', [out, '/repo/.testsift']).toRelative('/repo/src/a.ts')).toBe('src/a.ts');
      expect(createRootFilter('/repo', [out, '/repo/.testsift']).toRelative('/repo/.testsift/map.json')).toBeUndefined();
    }
    expect(scriptUrlToPath('file:///repo/src/a%20b.ts?v=12')).toBe('/repo/src/a b.ts');
    expect(scriptUrlToPath('node:fs')).toBeUndefined();
  });
});

describe('source-map lines and block tables', () => {
  /** An identity map for `lines` lines: generated line i → original line i. */
  const identity = (lines: number): string => ['AAAA', ...Array.from({ length: lines - 1 }, () => 'AACA')].join(';');

  test('decodes VLQ mappings and answers original lines', () => {
    // Line 0 maps to original line 0; line 1 has no segment; line 2 col 4 maps to original line 5.
    const decoded = decodeMappings('AAAA;;IAKA');
    expect(originalLine(decoded, 0, 10)).toBe(1);
    expect(originalLine(decoded, 1, 0)).toBeUndefined();
    expect(originalLine(decoded, 2, 2)).toBeUndefined();
    expect(originalLine(decoded, 2, 4)).toBe(6);
  });

  test('functions, methods and nested arrows become blocks with original lines', () => {
    const code = ['function outer(a) {', '  return (b) => (c) => a + b + c;', '}', 'class K {', '  m() {', '    return 1;', '  }', '}', ''].join('\n');
    const table = buildBlockTable(code, { mappings: identity(9), sources: ['k.ts'] }, code, parseAst)!;
    expect(table.blocks.map((b) => [b.name, b.start, b.end])).toEqual([
      ['', 1, 8],
      ['outer', 1, 3],
      ['', 2, 2],
      ['', 2, 2],
      ['m', 5, 7],
    ]);
    // Nested arrows end at the same offset: a call reported there marks both (more tests, not fewer).
    const arrowEnd = code.indexOf(';');
    expect(executedBlocks(table, true, [arrowEnd], [])).toEqual([0, 2, 3]);
    // A called function the table does not know: no block data for this test (file level).
    expect(executedBlocks(table, true, [arrowEnd + 1], [])).toBeUndefined();
  });

  test("TypeScript's re-export getter is glue, not a function whose map runs backwards", async () => {
    const { default: ts } = await import('typescript');
    // `export { matcher }` of an imported binding, below the code: tsc emits the getter at the top
    // and maps its two ends to the export line and the import line (end before start).
    const source = ["import { matcher } from './symbols';", '', 'export function f(): string {', '  return matcher;', '}', '', 'export { matcher };', ''].join('\n');
    const out = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2019, sourceMap: true, removeComments: true },
      fileName: 'p.ts',
    });
    const code = out.outputText;
    expect(code).toContain('get: function () { return symbols_1.matcher; }');
    const table = buildBlockTable(code, JSON.parse(out.sourceMapText!), source, parseAst);
    expect(table?.blocks.map((b) => [b.name, b.start, b.end])).toEqual([
      ['', 1, 7],
      ['f', 3, 5],
    ]);
    // A read of the re-export calls the getter: nothing to credit, the test stays at block level.
    const getterEnd = code.indexOf('; } });') + 3;
    expect(executedBlocks(table!, true, [getterEnd], [])).toEqual([0]);
  });

  test("a class's field initialiser, which V8 reports as a function spanning the class, is not an unknown function", async () => {
    const code = ['class Box {', '  items = [];', '  constructor(n) {', '    this.n = n;', '  }', '  size() {', '    return this.n;', '  }', '}', 'new Box(1);', ''].join(
      '\n',
    );
    const table = buildBlockTable(code, { mappings: identity(11), sources: ['box.ts'] }, code, parseAst)!;
    expect(table.blocks.map((b) => [b.name, b.start, b.end])).toEqual([
      ['', 1, 10],
      ['constructor', 3, 5],
      ['size', 6, 8],
    ]);
    // What V8 itself reports for the code (binary precise coverage, as the Jest recorder takes it).
    const { Session } = await import('node:inspector');
    const { compileFunction } = await import('node:vm');
    const session = new Session();
    session.connect();
    const post = (method: string, params?: object): Promise<any> =>
      new Promise((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));
    await post('Profiler.enable');
    await post('Profiler.startPreciseCoverage', { callCount: false, detailed: false });
    compileFunction(code, [], { filename: '/testsift-class-fields.js' })();
    const { result } = await post('Profiler.takePreciseCoverage');
    session.disconnect();
    const script = (
      result as Array<{ url: string; functions: Array<{ functionName: string; ranges: Array<{ startOffset: number; endOffset: number; count: number }> }> }>
    ).find((x) => x.url.endsWith('/testsift-class-fields.js'))!;
    // Functions called, the script's top level (the module body) aside, as the recorder does.
    const ends = script.functions
      .map((f) => f.ranges[0]!)
      .filter((r) => r.count > 0 && r.endOffset < code.length)
      .map((r) => r.endOffset);
    expect(ends).toContain(code.indexOf('\nnew Box')); // the initialiser: the whole class
    // The constructor ran, size did not; the initialiser adds nothing (its code is the module body's).
    expect(executedBlocks(table, true, ends, [])).toEqual([0, 1]);
  });

  test('branch blocks inside functions: arms, loop body, code after an early exit, owned lines', () => {
    const code = [
      'export const N = 1;', // 1
      'if (N) { console.log(N); }', // 2: module level: no branch block
      'function f(x) {', // 3
      '  if (x < 0) {', // 4
      '    return -1;', // 5
      '  } else {', // 6
      '    x = -x;', // 7
      '  }', // 8
      '  for (const y of [x]) {', // 9
      '    x += y;', // 10
      '  }', // 11
      '  if (x > 9) return 9;', // 12
      '  const z = x * 2;', // 13
      '  return z;', // 14
      '}', // 15
      'function g(x) {', // 16
      '  if (x) {', // 17
      '    var leak = 1;', // 18: a var is visible to the whole function: no block for this arm
      '  }', // 19
      '  return leak;', // 20
      '}', // 21
      '',
    ].join('\n');
    const table = buildBlockTable(code, { mappings: identity(22), sources: ['f.ts'] }, code, parseAst)!;
    const shown = table.blocks.map((b) => `${b.name || '-'}:${b.kind ?? 'module'}:${b.start}-${b.end}${b.ownsStart ? ':S' : ''}${b.ownsEnd ? ':E' : ''}`);
    // The if/else returns in one arm, so what follows it is code after an early exit too.
    expect(shown).toEqual([
      '-:module:1-21',
      'f:function:3-15',
      'f:if:4-6',
      'f:else:6-8',
      'f:after:9-14:S:E',
      'f:loop:9-11',
      'f:if:12-12',
      'f:after:13-14:S:E',
      'g:function:16-21',
    ]);
    const byKind = (kind: string, start: number): number => table.blocks.find((b) => b.kind === kind && b.start === start)!.id;
    expect(table.blocks[byKind('after', 13)]!.parent).toBe(byKind('after', 9));
    expect(table.blocks[byKind('after', 9)]!.parent).toBe(byKind('function', 3));
    // A test where f ran with x < 0: the if arm ran (its first position is in a span that ran), nothing else.
    const at = (line: number, text: string): number =>
      code
        .split('\n')
        .slice(0, line - 1)
        .join('\n').length +
      1 +
      code.split('\n')[line - 1]!.indexOf(text);
    const fEnd = code.indexOf('\n}\nfunction g') + 2;
    const hits = [at(3, 'function'), at(6, '}') + 1];
    expect(executedBlocks(table, true, [fEnd], hits)).toEqual([0, 1, 2]);
    // One span covering everything: every block of f ran.
    expect(executedBlocks(table, true, [fEnd], [0, code.length])).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  test('V8 ranges painted innermost-wins: the spans that ran', () => {
    // Function [0,100) ran; its if arm [10,20) did not; inside the arm a nested range [12,14) ran (count 2).
    expect(
      positiveSpans([
        { startOffset: 0, endOffset: 100, count: 1 },
        { startOffset: 10, endOffset: 20, count: 0 },
        { startOffset: 12, endOffset: 14, count: 2 },
        { startOffset: 50, endOffset: 60, count: 0 },
      ]),
    ).toEqual([0, 10, 12, 14, 20, 50, 60, 100]);
    expect(positiveSpans([{ startOffset: 0, endOffset: 10, count: 0 }])).toEqual([]);
  });

  test('Jest: ranges of each script painted on their own, then joined; cut at the code start', () => {
    // Script 1 (offsets shifted by a wrapper: starts before 0): ran [-30,100) but not [10,20).
    // Script 2, the same module compiled again in this window: ran [15,40) only.
    expect(
      ranSpans([
        [-30, 100, 1, 10, 20, 0],
        [15, 40, 1],
      ]),
    ).toEqual([0, 10, 15, 100]);
    // A script whose ranges all counted 0 adds nothing; triples only (a cut-short list is ignored).
    expect(
      ranSpans([
        [0, 50, 0],
        [5, 9, 1, 7],
      ]),
    ).toEqual([5, 9]);
  });

  test('transform glue without a source position is not a block; uncertain files get no table', () => {
    const code = ['glue("x", () => x);', 'function x() {', '  return 1;', '}', ''].join('\n');
    const original = ['function x() {', '  return 1;', '}', ''].join('\n');
    const table = buildBlockTable(code, { mappings: ';AAAA;AACA;AACA', sources: ['x.ts'] }, original, parseAst)!;
    expect(table.blocks.map((b) => b.name)).toEqual(['', 'x']);
    expect(executedBlocks(table, true, [code.indexOf(');')], [])).toEqual([0]);
    expect(buildBlockTable(code, null, original, parseAst)).toBeUndefined();
    expect(buildBlockTable(code, { mappings: identity(5), sources: ['a.ts', 'b.ts'] }, original, parseAst)).toBeUndefined();
    // Non-ASCII code: parser offsets, V8 offsets and source-map columns all count UTF-16 units.
    const uni = 'const s = "→😀é"; function é() {}\n';
    const t = buildBlockTable(uni, { mappings: 'AAAA', sources: ['u.ts'] }, uni, parseAst)!;
    expect(t.blocks.map((b) => [b.name, b.start, b.end])).toEqual([
      ['', 1, 1],
      ['é', 1, 1],
    ]);
    expect([...t.byEnd.keys()]).toEqual([uni.indexOf('}') + 1]);
  });
});

describe('recording next to V8 coverage', () => {
  test("uses Vitest's takes only when coverage is on with the v8 provider (the default)", () => {
    expect(usesV8Coverage({ enabled: true, provider: 'v8' })).toBe(true);
    expect(usesV8Coverage({ enabled: true })).toBe(true);
    expect(usesV8Coverage({ enabled: true, provider: 'istanbul' })).toBe(false);
    expect(usesV8Coverage({ enabled: false, provider: 'v8' })).toBe(false);
    expect(usesV8Coverage(undefined)).toBe(false);
  });

  test('the tap notes what ran per test file and passes every call on unchanged', () => {
    const root = mkdtempSync(join(tmpdir(), 'testsift-tap-'));
    const seen: unknown[] = [];
    const provider = { onAfterSuiteRun: (meta: unknown) => void seen.push(meta) };
    const vitest = { coverageProvider: provider, projects: [{ name: 'p', config: { root: join(root, 'pkg') } }], config: { root } };
    const tap = new CoverageTap(createRootFilter(root));
    expect(tap.install(vitest as never)).toBe(true);
    const fn = (count: number) => ({ functionName: '', isBlockCoverage: true, ranges: [{ startOffset: 0, endOffset: 9, count }] });
    const meta = {
      projectName: 'p',
      testFiles: ['test/a.test.ts'],
      coverage: {
        result: [
          { scriptId: '1', url: pathToFileURL(join(root, 'pkg/src/used.ts')).href, functions: [fn(1)] },
          { scriptId: '2', url: pathToFileURL(join(root, 'pkg/src/idle.ts')).href, functions: [fn(0)] },
          { scriptId: '3', url: pathToFileURL(join(root, 'node_modules/x/i.js')).href, functions: [fn(3)] },
        ],
      },
    };
    provider.onAfterSuiteRun(meta);
    expect(seen).toEqual([meta]);
    expect(tap.executedFor('p', join(root, 'pkg/test/a.test.ts'))).toEqual(['pkg/src/used.ts']);
    expect(tap.executedFor('p', join(root, 'pkg/test/b.test.ts'))).toBeUndefined();
    rmSync(root, { recursive: true, force: true });
  });
});

describe('the work tree a recording is made in', () => {
  test('names uncommitted files, leaving out the output folder', () => {
    const repo = new TempRepo('testsift-dirty-');
    cleanups.push(() => repo.cleanup());
    repo.write({ 'src/a.ts': 'export const a = 1;\n' }).commit('a');
    expect(dirtyTreeWarning(repo.root, [join(repo.root, '.testsift')])).toBeUndefined();
    repo.write({ '.testsift/map.json': '{}', 'src/a.ts': 'export const a = 2;\n', 'src/new.ts': '' });
    expect(uncommittedFiles(repo.root, [join(repo.root, '.testsift')])).toEqual(['src/a.ts', 'src/new.ts']);
    expect(dirtyTreeWarning(repo.root, [join(repo.root, '.testsift')])).toContain('uncommitted changes (src/a.ts, src/new.ts)');
  });

  test('ignores a .testsift folder once, unless git tracks something in it', () => {
    const repo = new TempRepo('testsift-ignore-');
    cleanups.push(() => repo.cleanup());
    repo.write({ 'a.txt': '' }).commit('a');
    const dir = join(repo.root, '.testsift');
    expect(ignoreOutputDir(repo.root, dir)).toBe(join(dir, '.gitignore'));
    repo.write({ '.testsift/map.json': '{}' });
    expect(repo.git('status', '--porcelain')).toBe('');
    expect(ignoreOutputDir(repo.root, dir)).toBeUndefined(); // there already
    expect(ignoreOutputDir(repo.root, join(repo.root, 'build'))).toBeUndefined(); // not ours
    const team = new TempRepo('testsift-tracked-');
    cleanups.push(() => team.cleanup());
    team.write({ '.testsift/map.json': '{}' }).commit('the team commits its map');
    expect(ignoreOutputDir(team.root, join(team.root, '.testsift'))).toBeUndefined();
  });
});
