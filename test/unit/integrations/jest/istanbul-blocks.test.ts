/**
 * Istanbul counters → blocks (src/integrations/jest/istanbul-blocks.ts), on real istanbul data:
 * the source is instrumented by istanbul-lib-instrument (what babel-plugin-istanbul runs in
 * babel-jest) and run in a VM context; the counters it leaves are what Jest hands the reporter.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { istanbulBlocks, sourceTable, type IstanbulCoverage, type SourceTable } from '../../../../src/integrations/jest/istanbul-blocks.js';
import { loadSourceParser } from '../../../../src/integrations/jest/js-parser.js';

// Jest's own copy (a dependency of babel-plugin-istanbul): not one of ours.
const fromJest = createRequire(join(import.meta.dirname, '..', '..', '..', '..', 'node_modules', 'babel-plugin-istanbul', 'package.json'));
const instrumenter = (
  fromJest('istanbul-lib-instrument') as { createInstrumenter(o: object): { instrumentSync(code: string, file: string, inputSourceMap?: object): string } }
).createInstrumenter({
  esModules: false,
  compact: false,
});
const parse = loadSourceParser()!;

/** Instrument `code` as `file`, run it, then `run(exports)`; the file's istanbul coverage. */
function coverageOf(
  code: string,
  run: (exports: Record<string, (...a: unknown[]) => unknown>) => void,
  file = '/repo/src/m.js',
  inputSourceMap?: object,
): IstanbulCoverage {
  const sandbox: Record<string, unknown> = { exports: {} };
  runInNewContext(instrumenter.instrumentSync(code, file, inputSourceMap), sandbox);
  run(sandbox.exports as Record<string, (...a: unknown[]) => unknown>);
  return (sandbox.__coverage__ as Record<string, IstanbulCoverage>)[file]!;
}

function tableOf(code: string, file = '/repo/src/m.js'): SourceTable {
  const t = sourceTable(code, (c) => parse(c, file));
  if ('reason' in t) throw new Error(t.reason);
  return t;
}

/** `name:kind:start-end` of the executed blocks. */
function ran(code: string, run: Parameters<typeof coverageOf>[1]): string[] {
  const r = istanbulBlocks(coverageOf(code, run), tableOf(code));
  if ('reason' in r) throw new Error(r.reason);
  return r.executed.map((id) => r.blocks[id]!).map((b) => `${b.name || '-'}:${b.kind ?? 'module'}:${b.start}-${b.end}`);
}

const CALC = `exports.div = function div(a, b) {
  if (b === 0) {
    throw new Error('division by zero');
  }
  const q = a / b;
  return q;
};
exports.pick = function pick(n, big) {
  if (n > 100) {
    const x = big ? 'BIG' : 'big';
    return x;
  } else {
    return n > 0 && 'small';
  }
};
exports.total = function total(xs) {
  let sum = 0;
  for (const x of xs) {
    sum += x;
  }
  switch (sum) {
    case 0:
      return 'none';
    default:
      return sum;
  }
};
`;

describe('blocks from istanbul counters', () => {
  it('has the V8 path’s blocks: functions, arms, loop body, cases, code after an early exit, with parents and owned lines', () => {
    const t = tableOf(CALC);
    const shown = t.table.blocks.map((b) => `${b.name || '-'}:${b.kind ?? 'module'}:${b.start}-${b.end}${b.ownsStart ? ':S' : ''}${b.ownsEnd ? ':E' : ''}`);
    expect(shown).toEqual(
      expect.arrayContaining([
        '-:module:1-27',
        'div:function:1-7',
        'div:if:2-4',
        'div:after:5-6:S:E',
        'pick:if:9-12',
        'pick:cond:10-10',
        'pick:else:12-14',
        'total:loop:18-20',
        'total:case:23-23:S:E',
      ]),
    );
    const ifArm = t.table.blocks.find((b) => b.kind === 'if' && b.name === 'div')!;
    expect(t.table.blocks[ifArm.parent!]).toMatchObject({ name: 'div', kind: 'function' });
  });

  it('a test that took an arm ran it; one that did not, did not', () => {
    expect(ran(CALC, (e) => expect(() => e.div!(1, 0)).toThrow())).toEqual(['-:module:1-27', 'div:function:1-7', 'div:if:2-4']);
    expect(ran(CALC, (e) => e.div!(6, 3))).toEqual(['-:module:1-27', 'div:function:1-7', 'div:after:5-6']);
    expect(ran(CALC, (e) => e.pick!(500, true))).toEqual(['-:module:1-27', 'pick:function:8-15', 'pick:if:9-12', 'pick:cond:10-10']);
    expect(ran(CALC, (e) => e.pick!(5))).toEqual(['-:module:1-27', 'pick:function:8-15', 'pick:else:12-14', 'pick:cond:13-13']);
    expect(ran(CALC, (e) => e.pick!(-5))).toEqual(['-:module:1-27', 'pick:function:8-15', 'pick:else:12-14']);
    expect(ran(CALC, (e) => e.total!([]))).toEqual(['-:module:1-27', 'total:function:16-27', 'total:case:23-23']);
    expect(ran(CALC, () => {})).toEqual(['-:module:1-27']);
  });

  it('a block whose first code has no counter counts as run when its counters are zero (it may have thrown before them)', () => {
    const code = `exports.f = function f(k) {
  if (k) {
    class A extends k() {}
    return new A();
  }
  return 0;
};
`;
    const shown = ran(code, (e) =>
      expect(() =>
        e.f!(() => {
          throw new Error('no');
        }),
      ).toThrow(),
    );
    expect(shown).toContain('f:if:2-5');
  });

  it('the same table for every test file: ids agree across records', () => {
    const a = istanbulBlocks(
      coverageOf(CALC, (e) => e.div!(6, 3)),
      tableOf(CALC),
    );
    const b = istanbulBlocks(
      coverageOf(CALC, (e) => e.total!([1])),
      tableOf(CALC),
    );
    expect('blocks' in a && 'blocks' in b && JSON.stringify(a.blocks) === JSON.stringify(b.blocks)).toBe(true);
  });
});

describe('functions only (TESTSIFT_BRANCHES off), as the V8 path records', () => {
  it('keeps the module body and the functions, a nested function hung from its function', () => {
    const code = `exports.f = function f(k) {\n  if (k) {\n    const g = () => k;\n    return g();\n  }\n  return 0;\n};\n`;
    const t = sourceTable(code, (c) => parse(c, 'm.js'), false);
    if ('reason' in t) throw new Error(t.reason);
    expect(t.table.blocks).toEqual([
      { id: 0, name: '', start: 1, end: 7 },
      { id: 1, name: 'f', start: 1, end: 7, kind: 'function' },
      { id: 2, name: 'g', start: 3, end: 3, kind: 'function', parent: 1 },
    ]);
    const r = istanbulBlocks(
      coverageOf(code, (e) => e.f!(0)),
      t,
    );
    expect(r).toEqual({ blocks: t.table.blocks, executed: [0, 1] });
  });
});

describe('file level (no block data, with the reason) when the counters are not positions of the source', () => {
  it('coverage of other text (instrumented after a transform that left no source map)', () => {
    const compiled = `"use strict";\n\n${CALC}`;
    const fc = coverageOf(compiled, (e) => e.div!(6, 3));
    expect(istanbulBlocks(fc, tableOf(CALC))).toEqual({ reason: expect.stringMatching(/does not lie in the source|is no span of the source's code/) });
  });

  it('a location past the last line', () => {
    const fc = coverageOf(CALC, (e) => e.div!(6, 3));
    const shorter = CALC.split('\n').slice(0, 7).join('\n');
    expect(istanbulBlocks(fc, tableOf(shorter))).toEqual({ reason: expect.stringContaining('does not lie in the source') });
  });

  it('a source with coverage ignore hints (code without counters)', () => {
    expect(sourceTable(`/* istanbul ignore next */\nexports.f = () => 1;\n`, (c) => parse(c, 'm.js'))).toEqual({ reason: expect.stringContaining('ignore hints') });
  });

  it('a source that does not parse', () => {
    expect(sourceTable('exports.f = (', (c) => parse(c, 'm.js'))).toEqual({ reason: expect.stringContaining('does not parse') });
  });
});

describe('TypeScript sources (babel-jest instruments the source as written)', () => {
  it('parses decorators (as TypeScript projects write them)', () => {
    const code = `@Component({ a: 1 })\nexport class A {\n  @Input() x = 1;\n  m(@Inject('t') t: string): string {\n    return t;\n  }\n}\n`;
    const t = tableOf(code, '/repo/src/a.ts');
    expect(t.table.blocks.map((b) => `${b.name || '-'}:${b.kind ?? 'module'}:${b.start}-${b.end}`)).toEqual(['-:module:1-7', 'm:function:4-6']);
  });

  it('parses type annotations and interfaces: blocks in the source’s own lines', () => {
    const code = `export interface O {\n  strict: boolean;\n}\nexport function f(n: number, o?: O): string {\n  if (n > 1) {\n    return o?.strict ? 'a' : 'b';\n  }\n  return 'c';\n}\n`;
    const t = tableOf(code, '/repo/src/m.ts');
    expect(t.table.blocks.map((b) => `${b.name || '-'}:${b.kind ?? 'module'}:${b.start}-${b.end}`)).toEqual(
      expect.arrayContaining(['-:module:1-9', 'f:function:4-9', 'f:if:5-7', 'f:after:8-8']),
    );
  });
});

/** `code` compiled by tsc (ES2019: `?.` becomes a made-up `?:`) with its source map, as ts-jest hands it to babel-plugin-istanbul. */
function compiled(code: string, file = 'm.ts', target = ts.ScriptTarget.ES2019): { js: string; map: { sources: string[]; sourcesContent?: string[]; mappings: string } } {
  const out = ts.transpileModule(code, {
    fileName: file,
    compilerOptions: {
      target,
      module: ts.ModuleKind.CommonJS,
      sourceMap: true,
      inlineSources: true,
      removeComments: true,
      esModuleInterop: true,
    },
  });
  return { js: out.outputText.replace(/\/\/# sourceMappingURL=.*$/m, ''), map: JSON.parse(out.sourceMapText!) };
}

const CALC_TS = `export interface Options {
  strict: boolean;
}
export function div(a: number, b: number): number {
  if (b === 0) {
    throw new Error('division by zero');
  }
  const q: number = a / b;
  return q;
}
export function classify(n: number, opts?: Options): string {
  if (n > 100) {
    const big = 'big';
    return opts?.strict ? big.toUpperCase() : big;
  } else {
    return 'small';
  }
}
export const twice = (xs: number[]): number[] => xs.map((x) => x * 2);
`;

describe('coverage of compiled code, through the input source map (ts-jest)', () => {
  const FILE = '/repo/src/m.ts';
  const ranTs = (run: Parameters<typeof coverageOf>[1]): string[] => {
    const { js, map } = compiled(CALC_TS);
    const r = istanbulBlocks(coverageOf(js, run, FILE, map), tableOf(CALC_TS, FILE), FILE);
    if ('reason' in r) throw new Error(r.reason);
    return r.executed.map((id) => r.blocks[id]!).map((b) => `${b.name || '-'}:${b.kind ?? 'module'}:${b.start}-${b.end}`);
  };

  it('maps the counters to the source: the same blocks run as the source’s own counters would say', () => {
    expect(ranTs((e) => expect(() => e.div!(1, 0)).toThrow())).toEqual(['-:module:1-19', 'div:function:4-10', 'div:if:5-7']);
    expect(ranTs((e) => e.div!(6, 3))).toEqual(['-:module:1-19', 'div:function:4-10', 'div:after:8-9']);
    expect(ranTs((e) => e.classify!(500, { strict: true }))).toEqual(['-:module:1-19', 'classify:function:11-18', 'classify:if:12-15', 'classify:cond:14-14']);
    expect(ranTs((e) => e.classify!(5))).toEqual(['-:module:1-19', 'classify:function:11-18', 'classify:else:15-17']);
    expect(ranTs((e) => e.twice!([1]))).toEqual(['-:module:1-19', 'twice:function:19-19', '-:function:19-19']);
    expect(ranTs(() => {})).toEqual(['-:module:1-19']);
  });

  it('an arm whose first statement threw ran, whatever code the compiler made up around it (ES2019, ES2015, ES5)', () => {
    const cases = [
      `export function g(k: boolean, f: () => any): any {\n  if (k) {\n    const { a } = f();\n    return a;\n  }\n  return 0;\n}\n`,
      `export function g(k: boolean, f: () => any): any {\n  if (k) {\n    return [...f()].length + f()?.x.y;\n  }\n  return 0;\n}\n`,
      `export async function g(k: boolean, f: () => any): Promise<any> {\n  if (k) {\n    await f()?.x.y;\n  }\n  return 0;\n}\n`,
    ];
    let checked = 0;
    for (const target of [ts.ScriptTarget.ES2019, ts.ScriptTarget.ES2015, ts.ScriptTarget.ES5]) {
      for (const code of cases) {
        const { js, map } = compiled(code, 'm.ts', target);
        const fc = coverageOf(
          js,
          (e) => {
            try {
              void Promise.resolve(e.g!(true, () => null)).catch(() => {});
            } catch {
              // the arm threw: it ran
            }
          },
          FILE,
          map,
        );
        const r = istanbulBlocks(fc, tableOf(code, FILE), FILE);
        if ('reason' in r) continue; // file level: safe
        const ifArm = r.blocks.find((b) => b.kind === 'if')!;
        expect(r.executed, `${ts.ScriptTarget[target]}: ${code}`).toContain(ifArm.id);
        checked++;
      }
    }
    expect(checked).toBe(9); // none fell back to file level
  });

  it('file level when the map holds other text than the source (it changed after Jest compiled it)', () => {
    const { js, map } = compiled(CALC_TS);
    const edited = CALC_TS.replace("'small'", "'SMALL'");
    const r = istanbulBlocks(
      coverageOf(js, (e) => e.div!(6, 3), FILE, map),
      tableOf(edited, FILE),
      FILE,
    );
    expect(r).toEqual({ reason: expect.stringContaining('changed after Jest compiled it') });
  });

  it('file level when the map is of another file, or of several', () => {
    const { js, map } = compiled(CALC_TS);
    const fc = coverageOf(js, (e) => e.div!(6, 3), FILE, map);
    expect(istanbulBlocks(fc, tableOf(CALC_TS, FILE), '/repo/src/other.ts')).toEqual({ reason: expect.stringContaining('of another file') });
    const several = { ...fc, inputSourceMap: { ...map, sources: ['m.ts', 'n.ts'] } };
    expect(istanbulBlocks(several, tableOf(CALC_TS, FILE), FILE)).toEqual({ reason: expect.stringContaining('2 sources, not 1') });
  });
});
