import type { DetectResult } from '../detect.js';
import type { MapStats } from '../mappings/coverage/map-stats.js';
import type { ShardPlan, TimingReport } from '../sharding/types.js';
import { selectionByFile } from './by-file.js';
import { describer } from './explain.js';
import { ganttSvg } from './gantt-svg.js';
import { escapeHtml as esc } from './html-escape.js';
import { formatSeconds, type DetectSummary } from './summary.js';

export interface HtmlReportInput {
  result: DetectResult;
  summary: DetectSummary;
  plan: ShardPlan;
  /** The recorded times the plan used (empty without a timing report). */
  timings: TimingReport;
  /** How the shard count was chosen, for the chart's caption. */
  shardsNote: string;
  /** The map's statistics, or why there are none. */
  mapStats?: MapStats;
  mapStatsMissing?: string;
  /** Shown in the footer. */
  generatedAt: string;
  version: string;
}

/**
 * Rows in the selection table at most: a hot file at GitLab scale selects 25k tests, and a page
 * of 125k rows is too big to open. Every row is in detect's JSON.
 */
export const MAX_TABLE_ROWS = 10_000;

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1060px;padding:0 16px;color:#1f2328;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.summary{font-size:15px;padding:10px 12px;border-radius:6px;background:#ddf4ff;border:1px solid #54aeff}
.summary.full{background:#fff8c5;border-color:#d4a72c}
.muted{color:#59636e}ul{margin:6px 0}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:4px 8px;border-bottom:1px solid #eaeef2}
th{background:#f6f8fa;position:sticky;top:0}
tr.hidden{display:none}
#filter{width:360px;padding:5px 8px;font-size:14px;border:1px solid #d0d7de;border-radius:6px}
.why{color:#424a53}.note{font-style:italic;color:#9a6700}
svg text{font-size:11px;fill:#424a53}svg .barlabel{fill:#0a3069;pointer-events:none}svg .tick{stroke:#eaeef2}
svg .bar{fill:#54aeff;stroke:#0969da;stroke-width:.5}svg .bar.estimated{fill:url(#hatch);stroke:#c9771f}svg .bar.many{fill:#afb8c1;stroke:#6e7781}
.stats td:first-child{width:220px;color:#59636e}
`;

// The filter box: every term must occur in a row (case-insensitive). `#filter=…` in the URL
// applies a filter on load, so a link can point at a file's tests (and a test can check the
// filter with a headless browser's --dump-dom, without driving the page).
const JS = `
(function () {
  var box = document.getElementById('filter');
  var rows = Array.prototype.slice.call(document.querySelectorAll('#selection tbody tr'));
  var count = document.getElementById('shown');
  var text = rows.map(function (r) { return r.textContent.toLowerCase(); });
  function apply() {
    var terms = box.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var n = 0;
    rows.forEach(function (r, i) {
      var ok = terms.every(function (t) { return text[i].indexOf(t) >= 0; });
      r.classList.toggle('hidden', !ok);
      if (ok) n++;
    });
    count.textContent = String(n);
  }
  box.addEventListener('input', apply);
  var m = /^#filter=(.*)$/.exec(location.hash);
  if (m) { try { box.value = decodeURIComponent(m[1]); } catch (e) { box.value = m[1]; } }
  apply();
})();
`;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function selectionTable(r: DetectResult): string {
  const { files, other } = selectionByFile(r);
  const describe = describer(r.strategies);
  const rows: string[] = [];
  let total = 0;
  const add = (file: string, test: string, why: string, cls = '') => {
    total++;
    if (rows.length < MAX_TABLE_ROWS) rows.push(`<tr${cls}><td>${file}</td><td><code>${esc(test)}</code></td><td class="why">${esc(why)}</td></tr>`);
  };
  const NOTE = { ignored: 'ignored (needs no tests)', unmapped: 'UNMAPPED: no rule or map row explains it', none: 'no tests' };
  for (const f of files) {
    const head = `<code>${esc(f.path)}</code> <span class="muted">(${esc(f.label)})</span>`;
    if (f.noTests) {
      total++;
      if (rows.length < MAX_TABLE_ROWS) rows.push(`<tr><td>${head}</td><td></td><td class="note">${esc(NOTE[f.noTests])}</td></tr>`);
    }
    for (const t of f.tests) add(head, t.test, t.because.map(describe).join('; '));
  }
  for (const t of other) add('<span class="muted">also run</span>', t.test, describe(t.because));
  const cut = total - rows.length;
  return [
    `<p><label for="filter">Filter: </label><input id="filter" type="search" placeholder="path, test or reason" autocomplete="off"> <span class="muted"><span id="shown">${rows.length}</span> of ${rows.length} rows</span></p>`,
    '<table id="selection"><thead><tr><th>Changed file</th><th>Test file</th><th>Why</th></tr></thead><tbody>',
    ...rows,
    '</tbody></table>',
    cut > 0 ? `<p class="muted">${cut} more rows not shown: every test with its reasons is in <code>detect --format json</code>.</p>` : '',
  ].join('\n');
}

function statsTable(s: MapStats): string {
  const m = s.metadata;
  const row = (k: string, v: string) => `<tr><td>${esc(k)}</td><td>${v}</td></tr>`;
  const rows = [
    row('map', `<code>${esc(s.path)}</code>`),
    row('format', esc(`${s.format}${m.formatVersion !== undefined ? ` (version ${m.formatVersion})` : ''}`)),
    row('commit', esc(m.commit ?? '(not recorded)')),
    row('recorded', esc(m.timestamp ?? '(not recorded)')),
    ...(m.runner ? [row('runner', esc(`${m.runner}${m.runnerVersion ? ` ${m.runnerVersion}` : ''}`))] : []),
    ...(m.granularity ? [row('granularity', esc(m.granularity))] : []),
    row('sources known', esc(`${s.sources} (${s.sourcesWithTests} with tests, ${s.unusedSources} executed by none)`)),
    row('test files', String(s.tests)),
    row('edges', String(s.edges)),
    row('size', esc(`${s.bytes} bytes${s.bytesPerEdge !== null ? ` (${s.bytesPerEdge} bytes/edge)` : ''}`)),
    row('files with block data', String(s.filesWithBlocks)),
  ];
  const top = s.topSources.length
    ? `<h3>Top ${s.topSources.length} sources by fan-in</h3><table class="stats"><thead><tr><th>Test files</th><th>Source</th></tr></thead><tbody>${s.topSources
        .map((t) => `<tr><td>${t.tests}</td><td><code>${esc(t.source)}</code></td></tr>`)
        .join('')}</tbody></table>`
    : '';
  return `<table class="stats"><tbody>${rows.join('')}</tbody></table>${top}`;
}

/**
 * `testsift report`: one self-contained HTML page (inline CSS, JS and SVG; a Content Security
 * Policy that forbids any fetch) with the selection, the shards as a Gantt chart and the map's
 * statistics. Every value from the repository is escaped: paths can hold `<`, `&` and quotes.
 */
export function htmlReport(d: HtmlReportInput): string {
  const r = d.result;
  const s = d.summary;
  const plan = d.plan;
  const context = [
    r.base || r.mergeBase
      ? `diff <code>${esc(r.mergeBase ? r.mergeBase.slice(0, 12) : '?')}..${esc(r.head ?? 'HEAD')}</code> (merge-base of <code>${esc(r.base ?? '?')}</code> and <code>${esc(r.head ?? 'HEAD')}</code>)`
      : '',
    r.labels.length ? `labels ${r.labels.map((l) => `<code>${esc(l)}</code>`).join(', ')}` : '',
    r.map ? `coverage map <code>${esc(r.map.path)}</code>` : 'no coverage map',
  ].filter(Boolean);
  const body = [
    `<h1>testsift report</h1>`,
    `<p class="summary${r.mode === 'full' ? ' full' : ''}" id="summary">${esc(s.text)}</p>`,
    r.mode === 'full' ? `<p><strong>Full suite</strong>, because:</p><ul id="reasons">${r.reasons.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>` : '',
    `<p class="muted">${context.join('; ')}</p>`,
    r.warnings.length
      ? `<details open><summary>${plural(r.warnings.length, 'warning')}</summary><ul>${r.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul></details>`
      : '',
    `<h2>Selection: changed file → test files</h2>`,
    selectionTable(r),
    `<h2>Shards</h2>`,
    `<p class="muted">${esc(`${plural(plan.shards.length, 'shard')} (${d.shardsNote}); predicted wall-clock ${formatSeconds(plan.makespan)}, lower bound ${formatSeconds(plan.lowerBound)}. `)}` +
      `${Object.keys(plan.estimated).length ? esc(`Hatched: ${Object.keys(plan.estimated).length} test files with no recorded time (their folder's median). `) : ''}Hover a bar for its file.</p>`,
    ganttSvg(plan, d.timings),
    `<h2>Coverage map</h2>`,
    d.mapStats ? statsTable(d.mapStats) : `<p class="muted">${esc(d.mapStatsMissing ?? 'no coverage map')}</p>`,
    `<p class="muted">testsift ${esc(d.version)}, ${esc(d.generatedAt)}</p>`,
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`testsift: ${r.mode === 'full' ? 'full suite' : `${s.selected} of ${s.total} test files`}`)}</title>
<style>${CSS}</style>
</head>
<body>
${body.filter(Boolean).join('\n')}
<script>${JS}</script>
</body>
</html>
`;
}
