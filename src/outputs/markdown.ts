import type { DetectResult } from '../detect.js';
import { selectionByFile, type NoTestsKind } from './by-file.js';
import { describer } from './explain.js';
import { summarize, type DetectSummary } from './summary.js';

export interface MarkdownOptions {
  /** Tests shown per changed file before the rest go under <details>; 0: no limits at all. Default 20. */
  limit?: number;
  /** Changed files shown before the rest go under <details>. Default 50. */
  maxFiles?: number;
  /**
   * Table rows in all (shown and under <details>). Default 300: a GitHub comment holds 65,536
   * characters and a step summary 1 MiB; the JSON artifact has every test anyway.
   */
  maxRows?: number;
  /** Where every test with its reasons is (the JSON artifact), for the "… more" line. */
  jsonPath?: string;
  summary?: DetectSummary;
}

const NO_TESTS: Record<NoTestsKind, string> = {
  ignored: 'ignored (needs no tests)',
  unmapped: '**unmapped**: no rule or map row explains it',
  none: 'no tests',
};

/**
 * Text for GitHub-flavoured Markdown, shown as written: every character Markdown or HTML could
 * read as syntax becomes a numeric character reference, which Markdown never interprets. That
 * covers `|` (a table cell's end, even inside a code span), backticks, `<` (an HTML tag), `&`
 * (an entity), `*_~` emphasis, `[` (a link; `(` and `!` mean nothing without it), `#`, `+`, and
 * `@`, `www.`, `://`, which GFM would turn into links.
 */
export function markdownText(s: string): string {
  return (
    s
      .replace(/[\\`*_[\]<>&|~#@+\r\n\t]/g, (c) => `&#${c.charCodeAt(0)};`)
      .replace(/www\./gi, (m) => `${m.slice(0, 3)}&#46;`)
      .replace(/:\/\//g, '&#58;//')
      // At the start of a list item, `- x` or `1. x` would begin a nested list.
      .replace(/^-/, '&#45;')
      .replace(/^(\d+)([.)])/, (_, n: string, c: string) => `${n}&#${c.charCodeAt(0)};`)
  );
}

function code(path: string): string {
  return `<code>${markdownText(path)}</code>`;
}

type Row = [file: string, test: string, why: string];

function table(rows: readonly Row[]): string[] {
  return ['| Changed file | Test | Why |', '| --- | --- | --- |', ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

/**
 * `detect --format markdown`: for a merge-request comment or GitHub's step summary. The counts
 * and estimate, the full-suite reasons first when there are any, then changed file → tests with
 * reasons; past the limits the rest is collapsed under <details>, and past `maxRows` counted.
 */
export function selectionMarkdown(r: DetectResult, opts: MarkdownOptions = {}): string {
  const limit = opts.limit ?? 20;
  const unlimited = limit === 0;
  const maxFiles = unlimited ? Infinity : (opts.maxFiles ?? 50);
  const maxRows = unlimited ? Infinity : (opts.maxRows ?? 300);
  const summary = opts.summary ?? summarize(r, { missing: 'no timings' });
  const out: string[] = [`### testsift: ${r.mode === 'full' ? 'full suite' : 'selective'}`, ''];
  if (r.mode === 'full') {
    out.push('**Full suite**, because:', '', ...r.reasons.map((x) => `- ${markdownText(x)}`), '');
  }
  out.push(markdownText(summary.text.replace(/^testsift: /, '')), '');

  const { files, other } = selectionByFile(r);
  const describe = describer(r.strategies);
  const groups = [
    ...files.map((f) => ({
      head: `${code(f.path)} (${markdownText(f.label)})`,
      rows: f.tests.map((t) => [code(t.test), markdownText(t.because.map(describe).join('; '))] as const),
      empty: f.noTests && NO_TESTS[f.noTests],
    })),
    ...(other.length ? [{ head: '*also run*', rows: other.map((t) => [code(t.test), markdownText(describe(t.because))] as const), empty: undefined }] : []),
  ];
  const shown: Row[] = [];
  const hidden: Row[] = [];
  groups.forEach((g, i) => {
    const into = (k: number) => (i < maxFiles && k < (unlimited ? Infinity : limit) ? shown : hidden);
    if (g.rows.length === 0) into(0).push([g.head, '', g.empty ?? '']);
    // A file's first row under <details> names it again, so a collapsed row is never orphaned.
    g.rows.forEach(([test, why], k) => {
      const list = into(k);
      const first = k === 0 || (list === hidden && into(k - 1) === shown);
      list.push([first ? g.head : '', test, why]);
    });
  });
  if (shown.length > 0) out.push(...table(shown), '');
  const room = Math.max(0, maxRows - shown.length);
  const collapsed = hidden.slice(0, room);
  if (collapsed.length > 0) {
    const what = `${collapsed.length} more row${collapsed.length === 1 ? '' : 's'} (past ${limit} tests per changed file${groups.length > maxFiles ? ` or ${maxFiles} changed files` : ''})`;
    out.push('<details><summary>' + what + '</summary>', '', ...table(collapsed), '', '</details>', '');
  }
  const cut = hidden.length - collapsed.length;
  if (cut > 0) {
    const where = opts.jsonPath ? `every test with its reasons is in ${code(opts.jsonPath)}` : 'every test with its reasons: <code>--format json</code>';
    out.push(`… and ${cut} more row${cut === 1 ? '' : 's'} not shown: ${where}.`, '');
  }

  const context: string[] = [];
  if (r.base || r.mergeBase)
    context.push(
      `diff ${code(`${r.mergeBase ? r.mergeBase.slice(0, 12) : '?'}..${r.head ?? 'HEAD'}`)} (merge-base of ${code(r.base ?? '?')} and ${code(r.head ?? 'HEAD')})`,
    );
  if (r.labels.length) context.push(`labels ${r.labels.map(code).join(', ')}`);
  if (r.map)
    context.push(
      `coverage map ${code(r.map.path)} (${markdownText([r.map.format, r.map.commit && `commit ${r.map.commit.slice(0, 12)}`, r.map.timestamp].filter(Boolean).join(', '))})`,
    );
  if (context.length) out.push(`<sub>${context.join('; ')}</sub>`, '');
  if (r.warnings.length) out.push('**Warnings**', '', ...r.warnings.map((w) => `- ${markdownText(w)}`), '');
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
