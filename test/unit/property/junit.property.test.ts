/**
 * Property tests of the JUnit reader behind `--previous-failures`.
 *
 * Reports are generated from a model (suites, cases, their status, attribute values full of
 * characters that need escaping, comments, CDATA, declared counts), so the strict reading of each
 * is known. Invariants:
 * - reading never throws, whatever the input; the CLI never exits 1 (nor 2: a report is an
 *   artifact, not input a person must fix);
 * - a well-formed report parses to exactly the model's failed cases, with no problem;
 * - a report broken in a way that makes it not well-formed (cut off, an unescaped quote, `<` or
 *   `&` in an attribute, a duplicate attribute, a mismatched or missing close tag, a failure
 *   removed from a suite that counts it) always gives a problem, so the full suite runs;
 * - the strategy never selects fewer tests than the strict reading: either the full suite with a
 *   reason, or every test the failed cases name (placed by path suffix) and no case left unplaced.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import type { CliIO } from '../../../src/cli/command.js';
import { readJUnitReport } from '../../../src/selection/junit.js';
import { previousFailuresStrategy } from '../../../src/selection/strategies/previous-failures.js';
import type { PathGroup, StrategyContext, StrategyResult } from '../../../src/selection/types.js';
import { FC_RUNS } from './runs.js';

/** The test universe of every property: no entry is a path suffix of another. */
const UNIVERSE = ['test/alpha.test.ts', 'test/beta.test.ts', 'test/sub/gamma.test.ts', 'pkg/x/test/delta.test.ts'];

// ---------------------------------------------------------------------------------------------
// The model and its serialisation

type Status = 'pass' | 'fail' | 'error' | 'skip';

interface CaseModel {
  name: string;
  classname?: string;
  file?: string;
  status: Status;
  /** <failure> written `<failure/>` or with a body. */
  failureBody?: string;
  systemOut?: string;
}

interface SuiteModel {
  name?: string;
  file?: string;
  cases: CaseModel[];
  /** Write failures=/errors= counts (consistent with the cases). */
  counts: boolean;
}

interface ReportModel {
  suites: SuiteModel[];
  /** One suite as the root element, without <testsuites>. */
  bareSuite: boolean;
  decl: boolean;
  comment?: string;
}

/** Text with what attribute values and element text must escape, and a few wide characters. */
const nastyChar = fc.constantFrom('a', 'b', 'Z', '0', ' ', '<', '>', '&', '"', "'", '\n', '\t', ';', '#', 'é', '中', '😀', ']', '-', '=');
const nasty = fc.string({ unit: nastyChar, maxLength: 12 });
/** A title: never a path (no `/`), so it places nowhere. */
const title = nasty;
const segment = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'x', '1', '_', '-'), minLength: 1, maxLength: 6 });
/** A universe test as a report may spell it: as is, `./`-prefixed, or under another checkout's absolute root. */
const testPath = fc
  .tuple(fc.constantFrom(...UNIVERSE), fc.constantFrom('plain', 'dot', 'abs'), fc.array(segment, { minLength: 1, maxLength: 3 }))
  .map(([p, how, prefix]) => (how === 'plain' ? p : how === 'dot' ? `./${p}` : `/${prefix.join('/')}/${p}`));
/** Where a case's file is named: some attribute may hold a test path, a title, or be absent. */
const pathOrTitle = fc.oneof({ weight: 2, arbitrary: testPath }, { weight: 1, arbitrary: title });

const caseModel: fc.Arbitrary<CaseModel> = fc.record(
  {
    name: title,
    classname: pathOrTitle,
    file: testPath,
    status: fc.constantFrom<Status>('pass', 'fail', 'error', 'skip'),
    failureBody: nasty,
    systemOut: nasty,
  },
  { requiredKeys: ['name', 'status'] },
);

const suiteModel: fc.Arbitrary<SuiteModel> = fc.record(
  { name: pathOrTitle, file: testPath, cases: fc.array(caseModel, { maxLength: 5 }), counts: fc.boolean() },
  { requiredKeys: ['cases', 'counts'] },
);

const reportModel: fc.Arbitrary<ReportModel> = fc
  .record({
    suites: fc.array(suiteModel, { minLength: 1, maxLength: 4 }),
    bareSuite: fc.boolean(),
    decl: fc.boolean(),
    comment: fc.option(fc.string({ unit: fc.constantFrom('a', ' ', '<', '>', '&', '"', '-'), maxLength: 10 }), { nil: undefined }),
  })
  .map((r) => ({ ...r, bareSuite: r.bareSuite && r.suites.length === 1 }));

interface Span {
  start: number;
  end: number;
}

interface Serialized {
  xml: string;
  /** Spans of attribute values (inside the quotes). */
  values: Span[];
  /** Spans of whole close tags `</x>`. */
  closeTags: Span[];
  /** Spans of whole <failure>/<error> elements in suites that write their counts. */
  countedFailures: Span[];
  /** Where the root's close tag ends: cutting before it always leaves the document open. */
  rootEnd: number;
  /** Spans of start tags that have a name= attribute (a duplicate can go after the name). */
  namedTags: number[];
}

const escAttr = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
const escText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** CDATA cannot hold `]]>`: split it across two sections, as a careful writer does. */
const cdata = (s: string) => `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
/** Comments cannot hold `--` nor end with `-`. */
const commentText = (s: string) => s.replace(/-+/g, '-').replace(/-$/, '');

function serialize(m: ReportModel): Serialized {
  let xml = '';
  const values: Span[] = [];
  const closeTags: Span[] = [];
  const countedFailures: Span[] = [];
  const namedTags: number[] = [];
  const open = (name: string, attrs: Record<string, string | undefined>, selfClose = false) => {
    xml += `<${name}`;
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined) continue;
      xml += ` ${k}="`;
      const start = xml.length;
      xml += escAttr(v);
      values.push({ start, end: xml.length });
      xml += '"';
      if (k === 'name') namedTags.push(xml.length);
    }
    xml += selfClose ? '/>' : '>';
  };
  const close = (name: string) => {
    const start = xml.length;
    xml += `</${name}>`;
    closeTags.push({ start, end: xml.length });
  };
  if (m.decl) xml += '<?xml version="1.0" encoding="UTF-8"?>\n';
  if (m.comment !== undefined) xml += `<!--${commentText(m.comment)}-->\n`;
  const writeSuite = (s: SuiteModel) => {
    const fails = s.cases.filter((c) => c.status === 'fail').length;
    const errors = s.cases.filter((c) => c.status === 'error').length;
    open('testsuite', {
      name: s.name,
      file: s.file,
      tests: String(s.cases.length),
      failures: s.counts ? String(fails) : undefined,
      errors: s.counts ? String(errors) : undefined,
    });
    xml += '\n';
    for (const c of s.cases) {
      open('testcase', { classname: c.classname, name: c.name, file: c.file });
      if (c.systemOut !== undefined) {
        xml += '<system-out>';
        xml += c.systemOut.length % 2 === 0 ? cdata(`${c.systemOut}<testcase name="x">`) : escText(c.systemOut);
        close('system-out');
      }
      if (c.status === 'skip') xml += '<skipped/>';
      if (c.status === 'fail' || c.status === 'error') {
        const el = c.status === 'fail' ? 'failure' : 'error';
        const start = xml.length;
        if (c.failureBody === undefined) open(el, { message: 'boom' }, true);
        else {
          open(el, { message: c.failureBody });
          xml += escText(c.failureBody);
          close(el);
        }
        if (s.counts) countedFailures.push({ start, end: xml.length });
      }
      close('testcase');
      xml += '\n';
    }
    close('testsuite');
  };
  if (m.bareSuite) writeSuite(m.suites[0]!);
  else {
    open('testsuites', { name: 'run' });
    xml += '\n';
    for (const s of m.suites) {
      writeSuite(s);
      xml += '\n';
    }
    close('testsuites');
  }
  const rootEnd = xml.length;
  xml += '\n';
  return { xml, values, closeTags, countedFailures, rootEnd, namedTags };
}

// ---------------------------------------------------------------------------------------------
// The strict reading of a model, written independently of the reader

const failedCases = (m: ReportModel) => m.suites.flatMap((s) => s.cases.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => ({ s, c })));

/** The longest universe test that a value equals or ends with (after `/`), or undefined. */
function placeRef(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = value.startsWith('./') ? value.slice(2) : value;
  let best: string | undefined;
  for (const u of UNIVERSE) if ((v === u || v.endsWith(`/${u}`)) && (!best || u.length > best.length)) best = u;
  return best;
}

/** Tests the model's failed cases name, and how many name none. */
function reference(m: ReportModel): { tests: Set<string>; unplaced: number } {
  const tests = new Set<string>();
  let unplaced = 0;
  for (const { s, c } of failedCases(m)) {
    const hits = [c.file, s.file, c.classname, s.name, c.name].map(placeRef).filter((x): x is string => x !== undefined);
    if (hits.length === 0) unplaced++;
    for (const h of hits) tests.add(h);
  }
  return { tests, unplaced };
}

// ---------------------------------------------------------------------------------------------
// Breaking a well-formed report

type Breakage = (s: Serialized, pick: number) => string | undefined;
const at = (xml: string, i: number, insert: string, remove = 0) => xml.slice(0, i) + insert + xml.slice(i + remove);
const choose = <T>(xs: readonly T[], pick: number): T | undefined => (xs.length === 0 ? undefined : xs[pick % xs.length]);

/** Each of these leaves a document that is not well-formed (or, for counts, that lists fewer failures than it counts). */
const BREAKAGES: Record<string, Breakage> = {
  'cut off before the root closes': (s, pick) => s.xml.slice(0, pick % s.rootEnd),
  'an unescaped quote in an attribute': (s, pick) => {
    const v = choose(s.values, pick);
    return v && at(s.xml, v.start + (pick % (v.end - v.start + 1)), '"');
  },
  "'<' in an attribute": (s, pick) => {
    const v = choose(s.values, pick);
    return v && at(s.xml, v.start + (pick % (v.end - v.start + 1)), '<');
  },
  "a bare '&' in an attribute": (s, pick) => {
    const v = choose(s.values, pick);
    return v && at(s.xml, v.start + (pick % (v.end - v.start + 1)), '& ');
  },
  'a duplicate attribute': (s, pick) => {
    const i = choose(s.namedTags, pick);
    return i === undefined ? undefined : at(s.xml, i, ' name="again"');
  },
  'a mismatched close tag': (s, pick) => {
    const t = choose(s.closeTags, pick);
    return t && at(s.xml, t.start, '</mismatch>', t.end - t.start);
  },
  'a missing close tag': (s, pick) => {
    const t = choose(s.closeTags, pick);
    return t && at(s.xml, t.start, '', t.end - t.start);
  },
  'a counted failure removed': (s, pick) => {
    const f = choose(s.countedFailures, pick);
    return f && at(s.xml, f.start, '', f.end - f.start);
  },
};

// ---------------------------------------------------------------------------------------------
// The strategy on a report, in a context whose universe is UNIVERSE

const dir = mkdtempSync(join(tmpdir(), 'testsift-junit-prop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

function runStrategy(xml: string) {
  const report = join(dir, `r${n++}.xml`);
  writeFileSync(report, xml);
  const ctx = {
    root: '/repo',
    changes: { files: [], labels: [], source: 'list', fullSuiteReasons: [], warnings: [] },
    universe: () => UNIVERSE,
    isTest: (p: string) => UNIVERSE.includes(p),
    files: { exists: (p: string) => UNIVERSE.includes(p) },
  } as unknown as StrategyContext;
  const r = previousFailuresStrategy([report]).select(ctx) as StrategyResult; // synchronous: it reads the file itself
  rmSync(report);
  const selected = new Set(r.groups.flatMap((g) => (g as PathGroup).tests));
  return { selected, full: (r.fullSuiteReasons ?? []).length > 0, reasons: r.fullSuiteReasons ?? [] };
}

// ---------------------------------------------------------------------------------------------

describe('JUnit reader properties', () => {
  it('a well-formed report parses to exactly the failed cases of its model, with no problem', () => {
    fc.assert(
      fc.property(reportModel, (m) => {
        const r = readJUnitReport(serialize(m).xml);
        expect(r.problem).toBeUndefined();
        const want = failedCases(m).map(({ c }) => [c.name, c.classname ?? null]);
        const got = r.failed.map((c) => [c.name ?? null, c.classname ?? null]);
        expect(got).toEqual(want);
        // Every attribute the case or its suite has is a candidate, unescaped exactly.
        failedCases(m).forEach(({ s, c }, i) => {
          for (const v of [c.file, s.file, c.classname, s.name, c.name]) if (v !== undefined && v.trim()) expect(r.failed[i]!.candidates).toContain(v);
        });
      }),
      { numRuns: FC_RUNS },
    );
  });

  it('a report broken so it is not well-formed always gives a problem', () => {
    const kinds = Object.keys(BREAKAGES);
    fc.assert(
      fc.property(reportModel, fc.constantFrom(...kinds), fc.nat(), (m, kind, pick) => {
        const broken = BREAKAGES[kind]!(serialize(m), pick);
        fc.pre(broken !== undefined);
        const r = readJUnitReport(broken!);
        expect(r.problem, `${kind}:\n${broken}`).toBeDefined();
        expect(runStrategy(broken!).full).toBe(true);
      }),
      { numRuns: FC_RUNS },
    );
  });

  it('any input at all: reading never throws, and a problem-free reading has sane cases', () => {
    const anyText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({
        unit: fc.constantFrom('<', '>', '/', '"', "'", '=', '&', ';', '!', '?', '[', ']', '-', ' ', 't', 'e', 's', 'u', 'i', 'c', 'a', 'f', 'l', 'r', 'o'),
        maxLength: 200,
      }),
      reportModel.chain((m) => fc.tuple(fc.nat(), fc.string({ maxLength: 3 })).map(([i, s]) => at(serialize(m).xml, i % (serialize(m).xml.length + 1), s))),
    );
    fc.assert(
      fc.property(anyText, (xml) => {
        const r = readJUnitReport(xml);
        expect(Array.isArray(r.failed)).toBe(true);
        for (const c of r.failed) {
          expect(c.line).toBeGreaterThanOrEqual(1);
          expect(c.candidates.every((x) => typeof x === 'string' && x.trim() !== '')).toBe(true);
        }
        if (r.problem !== undefined) expect(r.problem.length).toBeGreaterThan(0);
        runStrategy(xml);
      }),
      { numRuns: FC_RUNS },
    );
  });

  it('never fewer tests than the strict reading: the full suite with a reason, or every test the failures name', () => {
    const input = fc.oneof(
      reportModel.map((m) => ({ m, xml: serialize(m).xml })),
      fc
        .tuple(reportModel, fc.constantFrom(...Object.keys(BREAKAGES)), fc.nat())
        .map(([m, kind, pick]) => ({ m, xml: BREAKAGES[kind]!(serialize(m), pick) ?? serialize(m).xml })),
    );
    fc.assert(
      fc.property(input, ({ m, xml }) => {
        const ref = reference(m);
        const r = runStrategy(xml);
        for (const t of r.selected) expect(UNIVERSE).toContain(t);
        if (ref.unplaced > 0) expect(r.full).toBe(true);
        if (!r.full) for (const t of ref.tests) expect(r.selected.has(t)).toBe(true);
        // Unbroken, the selection is exactly what the failures name.
        if (xml === serialize(m).xml) expect([...r.selected].sort()).toEqual([...ref.tests].sort());
      }),
      { numRuns: FC_RUNS },
    );
  });
});

describe('the CLI on any report', () => {
  it('detect --previous-failures never exits 1 or 2, and selects every placed failure or runs the full suite', async () => {
    const root = mkdtempSync(join(tmpdir(), 'testsift-junit-cli-'));
    try {
      for (const t of UNIVERSE) {
        mkdirSync(dirname(join(root, t)), { recursive: true });
        writeFileSync(join(root, t), '');
      }
      writeFileSync(join(root, 'tests.yml'), "tests: ['**/*.test.ts']\ncoverage_map: none\nmapping:\n  - source: 'src/.+'\n    test: 'test/alpha.test.ts'\n");
      writeFileSync(join(root, 'changed.txt'), 'src/a.ts\n');
      const input = fc.oneof(
        reportModel.map((m) => ({ m, xml: serialize(m).xml })),
        fc
          .tuple(reportModel, fc.constantFrom(...Object.keys(BREAKAGES)), fc.nat())
          .map(([m, kind, pick]) => ({ m, xml: BREAKAGES[kind]!(serialize(m), pick) ?? serialize(m).xml })),
        fc.string({ unit: 'binary', maxLength: 100 }).map((xml) => ({ m: undefined, xml })),
      );
      await fc.assert(
        fc.asyncProperty(input, async ({ m, xml }) => {
          writeFileSync(join(root, 'junit.xml'), xml);
          let out = '';
          let err = '';
          const io: CliIO = { cwd: root, env: {}, stdout: (t) => (out += t), stderr: (t) => (err += t), readStdin: async () => '' };
          const code = await main(['detect', '--changed-files', 'changed.txt', '--previous-failures', 'junit.xml', '--format', 'json'], io);
          expect(code, err).toBe(0);
          const json = JSON.parse(out) as { mode: string; tests: string[] };
          if (json.mode === 'full') expect(json.tests).toEqual([...UNIVERSE].sort());
          else if (m) for (const t of reference(m).tests) expect(json.tests).toContain(t);
        }),
        { numRuns: Math.max(20, Math.ceil(FC_RUNS / 4)) },
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
