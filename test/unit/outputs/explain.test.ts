// `detect --format explain` (src/outputs/explain.ts) on small hand-made results: the exact text.
import { describe, expect, it } from 'vitest';
import type { DetectResult } from '../../../src/detect.js';
import { describer, selectionExplain } from '../../../src/outputs/explain.js';
import { builtinStrategies, previousFailuresStrategy } from '../../../src/selection/strategies/builtin.js';

const STRATEGIES = [...builtinStrategies, previousFailuresStrategy([])];
const describeReason = describer(STRATEGIES);

function result(over: Partial<DetectResult> = {}): DetectResult {
  return {
    strategies: STRATEGIES,
    mode: 'selective',
    reasons: [],
    tests: ['test/a.test.ts', 'test/b.test.ts', 'test/new.test.ts', 'test/z.test.ts'],
    selection: [
      {
        test: 'test/a.test.ts',
        because: [
          { strategy: 'tests.yml', file: 'src/a.ts', detail: 'tests.yml:4' },
          { strategy: 'coverage-map', file: 'src/a.ts', detail: 'map row' },
        ],
      },
      { test: 'test/b.test.ts', because: [{ strategy: 'coverage-map', file: 'lib/b.ts', detail: 'map row src/b.ts' }] },
      { test: 'test/new.test.ts', because: [{ strategy: 'changed-test', file: 'test/new.test.ts', detail: 'added' }] },
      { test: 'test/z.test.ts', because: [{ strategy: 'unrecorded-test', file: 'test/z.test.ts', detail: 'not in the coverage map' }] },
    ],
    changedFiles: ['src/a.ts', 'lib/b.ts', 'test/new.test.ts', 'docs/x.md', 'src/c.ts'],
    changes: [
      { path: 'src/a.ts', status: 'modified' },
      { path: 'lib/b.ts', status: 'renamed', oldPath: 'src/b.ts' },
      { path: 'test/new.test.ts', status: 'added' },
      { path: 'docs/x.md', status: 'modified' },
      { path: 'src/c.ts', status: 'modified' },
    ],
    failFast: { tests: ['test/a.test.ts', 'test/new.test.ts'] },
    warnings: ['a warning'],
    base: 'main',
    head: 'feature',
    mergeBase: '0123456789abcdef0123456789abcdef01234567',
    labels: ['backend'],
    map: { path: '.testsift/map.json', format: 'native', commit: 'fedcba9876543210fedcba9876543210fedcba98', timestamp: '2025-06-01T00:00:00.000Z' },
    staleFiles: ['src/stale.ts'],
    unmapped: [],
    ignored: ['docs/x.md'],
    cwd: '',
    allTests: ['test/a.test.ts', 'test/b.test.ts', 'test/c.test.ts', 'test/new.test.ts', 'test/y.test.ts', 'test/z.test.ts', 'test/zz.test.ts', 'test/zzz.test.ts'],
    ...over,
  };
}

describe('selectionExplain', () => {
  it('a selective result: summary, diff, labels, map, each changed file with its tests and why, also run, fail-fast, warnings', () => {
    expect(selectionExplain(result())).toBe(
      [
        'testsift: selective, 4 of 8 test files (50%) for 5 changed files; est. unknown: no timings',
        '  diff: 0123456789ab (merge-base of main and feature)..feature',
        '  labels: backend',
        '  coverage map: .testsift/map.json (native, commit fedcba987654, 2025-06-01T00:00:00.000Z)',
        '',
        'src/a.ts (modified)',
        '  test/a.test.ts  ← tests.yml rule at tests.yml:4; coverage map: it executed or read this file',
        'lib/b.ts (renamed from src/b.ts)',
        '  test/b.test.ts  ← coverage map: it executed or read this file [map row src/b.ts]',
        'test/new.test.ts (added)',
        '  test/new.test.ts  ← the test itself changed (added)',
        'docs/x.md (modified) — ignored (needs no tests)',
        'src/c.ts (modified) — no tests',
        'src/stale.ts (changed since the map was recorded) — no tests',
        '',
        'also run:',
        '  test/z.test.ts  ← the coverage map never recorded this test, so what it executes is unknown',
        '',
        'fail-fast subset: test/a.test.ts test/new.test.ts',
        '',
        'warnings:',
        '  - a warning',
        '',
      ].join('\n'),
    );
  });

  it('full mode: every reason first; an unmapped file is marked', () => {
    const text = selectionExplain(
      result({
        mode: 'full',
        reasons: ['unmapped change: src/c.ts', "label 'x' requests the full suite"],
        tests: ['test/a.test.ts', 'test/b.test.ts', 'test/c.test.ts', 'test/new.test.ts', 'test/y.test.ts', 'test/z.test.ts', 'test/zz.test.ts', 'test/zzz.test.ts'],
        unmapped: ['src/c.ts'],
        failFast: { tests: [], skipped: 'above the threshold (12 > 10)' },
        warnings: [],
        labels: [],
        map: undefined,
        base: undefined,
        mergeBase: undefined,
      }),
    );
    const lines = text.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'testsift: FULL SUITE, all 8 test files for 5 changed files; est. unknown: no timings',
      'full suite, because:',
      '  - unmapped change: src/c.ts',
      "  - label 'x' requests the full suite",
    ]);
    expect(lines).toContain('src/c.ts (modified) — UNMAPPED: no rule or map row explains it');
    expect(lines).toContain('fail-fast subset skipped: above the threshold (12 > 10)');
    expect(text).not.toContain('warnings:');
    expect(text).not.toContain('diff:');
  });

  it('shows `limit` tests per file and counts the rest, pointing at the JSON artifact when given; limit 0 shows all', () => {
    const many = Array.from({ length: 5 }, (_, i) => `test/m${i}.test.ts`);
    const r = result({
      selection: many.map((test) => ({ test, because: [{ strategy: 'coverage-map', file: 'src/a.ts', detail: 'map row' }] })),
      changes: [{ path: 'src/a.ts', status: 'modified' }],
      changedFiles: ['src/a.ts'],
      staleFiles: [],
      failFast: { tests: [] },
      warnings: [],
    });
    const two = selectionExplain(r, { limit: 2 }).split('\n');
    expect(two.slice(two.indexOf('src/a.ts (modified)'), two.indexOf('src/a.ts (modified)') + 4)).toEqual([
      'src/a.ts (modified)',
      '  test/m0.test.ts  ← coverage map: it executed or read this file',
      '  test/m1.test.ts  ← coverage map: it executed or read this file',
      '  … and 3 more (every test with its reasons: --format json, or --explain-limit 0)',
    ]);
    expect(selectionExplain(r, { limit: 2, jsonPath: 'detect.json' })).toContain('  … and 3 more (all of them, with their reasons, in detect.json)\n');
    const all = selectionExplain(r, { limit: 0 });
    for (const t of many) expect(all).toContain(`  ${t}  ← `);
    expect(all).not.toContain('more (');
  });

  it('a merged map lists its commits', () => {
    const text = selectionExplain(result({ map: { path: 'm.map', format: 'native', commits: ['a'.repeat(40), 'b'.repeat(40)] } }));
    expect(text).toContain(`  coverage map: m.map (native, commits ${'a'.repeat(12)} ${'b'.repeat(12)})\n`);
  });
});

describe('describe (one reason in words)', () => {
  it('names each strategy the way a reader needs it', () => {
    expect(describeReason({ strategy: 'changed-test', file: 'f' })).toBe('the test itself changed (modified)');
    expect(describeReason({ strategy: 'previous-failure', file: 'f', detail: 'junit.xml:3' })).toBe('failed in the previous run (junit.xml:3)');
    expect(describeReason({ strategy: 'coverage-map', file: 'f', detail: 'map row (block level)' })).toBe(
      'coverage map: it executed or read this file [map row (block level)]',
    );
    expect(describeReason({ strategy: 'something-else', file: 'f', detail: 'd' })).toBe('something-else (d)');
    expect(describeReason({ strategy: 'something-else', file: 'f' })).toBe('something-else');
  });
});
