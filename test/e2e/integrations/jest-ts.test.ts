import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMapRecord } from '../../../src/mappings/coverage/index.js';
import { runCli } from '../../helpers/cli.js';
import { TempRepo } from '../../helpers/git.js';
import { linkJestToolchain } from '../../helpers/jest-project.js';
import { runNodeScript } from '../../helpers/spawn-node.js';

/**
 * Real Jest runs (29 and 30) on fixtures/jest-ts, a TypeScript library whose tests all import the
 * package entry, compiled by ts-jest or babel-jest with comments removed (code moves up) and
 * import helpers emitted (code moves down). The recorded block data must be in SOURCE lines:
 * checked against the functions TypeScript itself finds in the sources, and end to end by
 * changing a line inside each function and asking `testsift detect`.
 */

const MAIN = join(import.meta.dirname, '..', '..', '..');
const FIXTURE = join(MAIN, 'fixtures', 'jest-ts');
const ALL = ['tests/add.test.ts', 'tests/counter.test.ts', 'tests/files.test.ts', 'tests/mul.test.ts', 'tests/shout.test.ts', 'tests/square.test.ts'];

/** Which tests run which function (what the fixture's tests call, directly or not). */
const RAN: Record<string, string[]> = {
  'src/math.ts#add': ['tests/add.test.ts', 'tests/mul.test.ts', 'tests/square.test.ts'],
  'src/math.ts#mul': ['tests/mul.test.ts', 'tests/square.test.ts'],
  'src/math.ts#square': ['tests/square.test.ts'],
  'src/strings.ts#shout': ['tests/shout.test.ts'],
  'src/strings.ts#baseName': ['tests/files.test.ts'],
  'src/strings.ts#exists': ['tests/files.test.ts'],
  'src/counter.ts#constructor': ['tests/counter.test.ts'],
  'src/counter.ts#inc': ['tests/counter.test.ts'],
  'src/counter.ts#reset': [],
};

interface SourceFunction {
  file: string;
  name: string;
  start: number;
  end: number;
}

/** The functions of the fixture's sources as TypeScript parses them: the ground truth for lines. */
function sourceFunctions(root: string): SourceFunction[] {
  const out: SourceFunction[] = [];
  for (const file of ['src/math.ts', 'src/strings.ts', 'src/counter.ts']) {
    const sf = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
    const line = (pos: number): number => sf.getLineAndCharacterOfPosition(pos).line + 1;
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body) {
        let name = node.name && ts.isIdentifier(node.name) ? node.name.text : '';
        if (ts.isConstructorDeclaration(node)) name = 'constructor';
        if (!name && ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)) name = node.parent.name.text;
        out.push({ file, name, start: line(node.getStart(sf)), end: line(node.getEnd()) });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}

interface Run {
  code: number;
  stderr: string;
}

class TsProject {
  readonly repo: TempRepo;
  private readonly cacheDir: string;

  /** `jest`: which installed Jest (`jest` = 30, `jest29`); `babelJest`: the babel-jest of that Jest. */
  constructor(jest: 'jest' | 'jest29') {
    this.repo = new TempRepo('testsift-jest-ts-');
    cpSync(FIXTURE, this.repo.root, { recursive: true });
    linkJestToolchain(this.repo.root, jest);
    writeFileSync(join(this.repo.root, '.gitignore'), 'node_modules/\n.testsift/\n');
    this.repo.commit('fixture');
    this.cacheDir = mkdtempSync(join(tmpdir(), 'testsift-jest-ts-cache-'));
  }

  get root(): string {
    return this.repo.root;
  }

  async run(args: string[], env: Record<string, string>): Promise<Run> {
    const jest = join(this.root, 'node_modules', 'jest', 'bin', 'jest.js');
    const r = await runNodeScript(jest, ['--ci', '-w', '2', `--cacheDirectory=${join(this.cacheDir, 'jest')}`, ...args], this.root, env);
    return { code: r.code, stderr: r.out };
  }

  /** `granularity`: 'block' asks for block data; 'default' leaves it to the reporter (block data on Jest 30+, file level on 29). */
  async record(config: string, granularity: 'block' | 'default' = 'block'): Promise<Run> {
    return this.run(['-c', config], granularity === 'block' ? { TESTSIFT_RECORD: '1', TESTSIFT_GRANULARITY: 'block' } : { TESTSIFT_RECORD: '1' });
  }

  /** Rows and block data of the recorded map, by repo-relative path. */
  async map(): Promise<{
    rows: Record<string, string[]>;
    blocks: Map<string, { table: Array<{ name: string; start: number; end: number }>; ran: Record<string, number[]> }>;
  }> {
    const record = await readMapRecord(join(this.root, '.testsift/map.json'));
    const rows: Record<string, string[]> = {};
    for (const [source, ids] of record.rows) rows[source] = [...ids].map((i) => record.tests[i]!).sort();
    const blocks = new Map<string, { table: Array<{ name: string; start: number; end: number }>; ran: Record<string, number[]> }>();
    for (const [source, b] of record.blocks ?? []) {
      const ran: Record<string, number[]> = {};
      for (const [tid, ids] of b.executed) ran[record.tests[tid]!] = [...ids].sort((x, y) => x - y);
      blocks.set(source, { table: b.blocks.map((x) => ({ name: x.name, start: x.start, end: x.end })), ran });
    }
    return { rows, blocks };
  }

  /** `testsift detect` at block level for an edit of one line in the working tree (then undone). */
  async detectEdit(file: string, line: number): Promise<{ mode: string; tests: string[] }> {
    const path = join(this.root, file);
    const before = readFileSync(path, 'utf8');
    const lines = before.split('\n');
    lines[line - 1] = `${lines[line - 1]} `;
    writeFileSync(path, lines.join('\n'));
    try {
      const r = await runCli(['detect', '--base', 'HEAD', '--include-uncommitted', '--granularity', 'block', '--format', 'json'], { cwd: this.root });
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { mode: string; tests: string[] };
    } finally {
      writeFileSync(path, before);
    }
  }

  cleanup(): void {
    this.repo.cleanup();
    rmSync(this.cacheDir, { recursive: true, force: true });
  }
}

/**
 * The recorded map holds, for each source, exactly TypeScript's functions at their source lines,
 * and for each test exactly the functions it ran; then a change on any line inside a function
 * selects exactly the tests that ran it (checked end to end for one line of each function).
 */
async function expectSourceLineBlocks(p: TsProject): Promise<void> {
  const { rows, blocks } = await p.map();
  for (const file of ['src/index.ts', 'src/math.ts', 'src/strings.ts', 'src/counter.ts']) expect(rows[file], file).toEqual(ALL);
  const fns = sourceFunctions(p.root);
  for (const file of ['src/math.ts', 'src/strings.ts', 'src/counter.ts']) {
    const b = blocks.get(file);
    expect(b, `block data for ${file}`).toBeDefined();
    const mine = fns.filter((f) => f.file === file);
    // Block 0 is the module body; the rest are the source's functions, at the source's lines.
    expect(b!.table.slice(1), file).toEqual(mine.map(({ name, start, end }) => ({ name, start, end })));
    for (const test of ALL) {
      const expected = [0, ...mine.flatMap((f, i) => (RAN[`${file}#${f.name}`]!.includes(test) ? [i + 1] : []))];
      expect(b!.ran[test], `${test} in ${file}`).toEqual(expected);
    }
  }
  for (const f of fns) {
    // A line strictly inside the function (not its header or closing line).
    const line = Math.floor((f.start + f.end) / 2);
    expect(line > f.start && line < f.end, `${f.file}#${f.name} has a body line`).toBe(true);
    const sel = await p.detectEdit(f.file, line);
    expect(sel.tests, `change at ${f.file}:${line} (in ${f.name})`).toEqual(RAN[`${f.file}#${f.name}`]);
  }
}

describe('Jest 30 + ts-jest, CommonJS jest.config.js (require("testsift/jest"))', () => {
  let p: TsProject;
  let rec: Run;
  beforeAll(async () => {
    p = new TsProject('jest');
    rec = await p.record('jest.config.js', 'default');
  }, 180_000);
  afterAll(() => p.cleanup());

  it('loads testsift/jest from a CommonJS config and records without Jest coverage (block data by default)', async () => {
    expect(rec.code, rec.stderr).toBe(0);
    expect(rec.stderr).toContain('testsift: recorded 6 test files');
    const { rows } = await p.map();
    // ts-jest reads tsconfig.json and every source while compiling: transformer work, no test's.
    expect(Object.keys(rows).sort()).toEqual(['src/counter.ts', 'src/index.ts', 'src/math.ts', 'src/strings.ts']);
  });

  it('records block data in source lines', async () => {
    await expectSourceLineBlocks(p);
  }, 120_000);
});

describe('Jest 29 + ts-jest (removeComments, esModuleInterop)', () => {
  let p: TsProject;
  let rec: Run;
  beforeAll(async () => {
    p = new TsProject('jest29');
    rec = await p.record('jest.config.js');
  }, 180_000);
  afterAll(() => p.cleanup());

  it('records block data in source lines: a change inside a function selects exactly the tests that ran it', async () => {
    expect(rec.code, rec.stderr).toBe(0);
    expect(rec.stderr).not.toContain('no block data');
    await expectSourceLineBlocks(p);
  }, 120_000);

  it('records file level by default (Jest 29 block data needs call counts: opt-in)', async () => {
    const plain = await p.record('jest.config.js', 'default');
    expect(plain.code, plain.stderr).toBe(0);
    const { rows, blocks } = await p.map();
    expect(rows['src/math.ts']).toEqual(ALL);
    expect([...blocks.keys()]).toEqual([]);
  }, 180_000);
});

describe('Jest 29 + babel-jest (preset-typescript)', () => {
  let p: TsProject;
  let rec: Run;
  beforeAll(async () => {
    p = new TsProject('jest29');
    rec = await p.record('jest.babel.config.js');
  }, 180_000);
  afterAll(() => p.cleanup());

  it('records block data in source lines: a change inside a function selects exactly the tests that ran it', async () => {
    expect(rec.code, rec.stderr).toBe(0);
    expect(rec.stderr).not.toContain('no block data');
    await expectSourceLineBlocks(p);
  }, 120_000);
});

describe('Jest 30 + a transformer that gives no source map', () => {
  let p: TsProject;
  let rec: Run;
  beforeAll(async () => {
    p = new TsProject('jest');
    rec = await p.record('jest.nomap.config.js');
  }, 180_000);
  afterAll(() => p.cleanup());

  it('drops the block data with a warning, and selection stays at file level', async () => {
    expect(rec.code, rec.stderr).toBe(0);
    for (const file of ['src/counter.ts', 'src/math.ts', 'src/strings.ts']) {
      expect(rec.stderr).toContain(`testsift: no block data for ${file} (file level): the transformer left no source map`);
    }
    const { rows, blocks } = await p.map();
    expect(rows['src/math.ts']).toEqual(ALL);
    expect(blocks.has('src/math.ts')).toBe(false);
    // Inside mul(): every test that loaded math.ts, not just mul's.
    const mul = sourceFunctions(p.root).find((f) => f.name === 'mul')!;
    const sel = await p.detectEdit('src/math.ts', mul.start + 2);
    expect(sel.tests).toEqual(ALL);
  }, 120_000);
});
