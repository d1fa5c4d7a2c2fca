/**
 * Every path list testsift writes reads back as the same paths: `detect` list output (one a
 * line, or NUL-terminated with -z) through the TESTSIFT_SELECT reader and `shard --tests`. One a
 * line refuses what it cannot hold (a line break) rather than splitting it. And whatever text
 * TESTSIFT_SELECT holds, the reader never throws and never yields "run nothing" unless the text
 * is detect's JSON saying so.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { parseSelectionText, readSelection } from '../../../src/integrations/shared/selection.js';
import { selectionList } from '../../../src/outputs/list.js';
import { parseTestList } from '../../../src/sharding/test-list.js';
import { FC_RUNS } from './runs.js';

const empty = mkdtempSync(join(tmpdir(), 'testsift-prop-lists-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

const sorted = (xs: string[]) => [...new Set(xs)].sort();
const segment = fc.string({ unit: fc.constantFrom('a', 'b', '.', '-', ' ', '#', '\n', '\r', '\t', 'é', '\\', '_'), minLength: 1, maxLength: 6 });
/** Paths as detect emits them: normalised (no `./` prefix, `/` separators), segments never `.`/`..`. */
const path = fc
  .array(
    segment.filter((s) => s !== '.' && s !== '..' && !s.includes('\\')),
    { minLength: 1, maxLength: 3 },
  )
  .map((parts) => parts.join('/'))
  .filter((p) => !p.startsWith('./') && p.trim() === p);

describe('list output reads back', () => {
  it('-z: any paths, through both readers', () => {
    fc.assert(
      fc.property(fc.array(path, { minLength: 1, maxLength: 8 }), (paths) => {
        const text = selectionList({ tests: paths }, { nul: true });
        expect(parseSelectionText(text, 'x').tests).toEqual(sorted(paths));
        expect(sorted(parseTestList('x', text).tests)).toEqual(sorted(paths));
      }),
      { numRuns: FC_RUNS },
    );
  });

  it('one a line: the same paths, or an error naming the path with a line break', () => {
    fc.assert(
      fc.property(fc.array(path, { minLength: 1, maxLength: 8 }), (paths) => {
        let text: string;
        try {
          text = selectionList({ tests: paths });
        } catch (err) {
          expect(err).toBeInstanceOf(UsageError);
          expect(paths.some((p) => /[\n\r]/.test(p))).toBe(true);
          return;
        }
        expect(paths.some((p) => /[\n\r]/.test(p))).toBe(false);
        // A path that reads as a comment (`# x`, `#`) cannot be one a line: that is what -z is for.
        const listable = paths.filter((p) => !/^#(?:[ \t]|$)/.test(p));
        if (listable.length === 0) return;
        expect(sorted(parseTestList('x', text).tests)).toEqual(sorted(listable));
        expect(parseSelectionText(text, 'x').tests).toEqual(sorted(listable));
      }),
      { numRuns: FC_RUNS },
    );
  });
});

describe('TESTSIFT_SELECT never runs nothing by accident', () => {
  const text = fc.oneof(
    fc.string(),
    fc.json(),
    fc.constantFrom('', '[]', '{}', '{"mode":"selective"}', '{"mode":"selective","tests":[]}', '# only a comment\n', '\n\n', 'missing.json', 'a.test.ts'),
  );
  it('never throws; "selective" with no tests only from detect JSON saying so; unusable means full', () => {
    fc.assert(
      fc.property(text, (t) => {
        const sel = readSelection(t, { cwd: empty });
        if (sel.unusable !== undefined) expect(sel.mode).toBe('full');
        if (sel.mode === 'selective' && sel.tests.length === 0) {
          const data = JSON.parse(t) as { mode: string; tests: unknown[] };
          expect(data.mode).toBe('selective');
          expect(data.tests).toEqual([]);
        }
      }),
      { numRuns: FC_RUNS },
    );
  });
});
