/**
 * `testsift report` on fixtures/vitest-basic recorded by the real Vitest: the HTML file on its
 * own (self-contained, escaped), then loaded in headless Chromium (Debian's `chromium`):
 * content, filter box, Gantt chart, no network request, a screenshot that is not blank.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_CI, runCli } from '../../helpers/cli.js';
import { Browser, CHROMIUM_MISSING, HAVE_CHROMIUM } from '../../helpers/chromium.js';
import type { TempRepo } from '../../helpers/git.js';
import { pngStats } from '../../helpers/png.js';
import { recordedVitestProject } from '../../helpers/vitest-project.js';

// A test file added by the change (so it is selected), whose name would inject an element
// and break attributes if it were not escaped.
const NASTY = `test/x<img src=nope onerror="document.title='pwned'">&amp;'q.test.ts`;

let repo: TempRepo;
let html: string;
let stderr: string;
const reportFile = () => join(repo.root, 'out/report.html');

beforeAll(async () => {
  repo = await recordedVitestProject('testsift-report-');
  repo.write({ 'src/math.ts': `${readFileSync(join(repo.root, 'src/math.ts'), 'utf8')}// changed\n`, [NASTY]: "import { test } from 'vitest';\ntest('x', () => {});\n" });
  repo.commit('change');
  const r = await runCli(['report', '--base', 'main', '--shards', '2', '-o', 'out/report.html'], { cwd: repo.root, env: NO_CI });
  expect(r.code, r.stderr).toBe(0);
  stderr = r.stderr;
  html = readFileSync(reportFile(), 'utf8');
}, 120_000);
afterAll(() => repo?.cleanup());

describe('testsift report: the file', () => {
  it('is one self-contained page: no URL to fetch, a policy forbidding fetches, the data escaped', () => {
    expect(stderr).toContain('testsift: selective, 3 of 7 test files (43%) for 2 changed files; est. ');
    expect(stderr).toContain('testsift: report written to out/report.html');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/https?:\/\//);
    // No tag has a src or href attribute (the nasty name's `src=` is text or inside a quoted value).
    const attributes = [...html.matchAll(/<[a-z][^>]*>/gi)].map((m) => m[0].replace(/"[^"]*"/g, '""'));
    expect(attributes.length).toBeGreaterThan(50);
    expect(attributes.filter((tag) => /\s(src|href)\s*=/i.test(tag))).toEqual([]);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"`);
    expect(html).not.toContain('<img');
    expect(html).toContain('test/x&lt;img src=nope onerror=&quot;document.title=&#39;pwned&#39;&quot;&gt;&amp;amp;&#39;q.test.ts');
  });
});

describe.skipIf(!HAVE_CHROMIUM)('testsift report in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await Browser.launch();
  }, 60_000);
  afterAll(async () => browser?.close());

  it('shows the summary, the selection with reasons, the shards and the map statistics, fetching nothing', async () => {
    const url = pathToFileURL(reportFile()).href;
    await browser.open(url);
    // The page itself is the only request.
    expect(browser.requests).toEqual([url]);
    const page = await browser.evaluate<{
      title: string;
      summary: string;
      rows: string[][];
      imgs: number;
      injected: number;
      shards: number;
      bars: string[];
      stats: string;
    }>(`({
      title: document.title,
      summary: document.getElementById('summary').textContent,
      rows: [...document.querySelectorAll('#selection tbody tr')].map((tr) => [...tr.cells].map((c) => c.textContent)),
      imgs: document.querySelectorAll('img').length,
      injected: document.querySelectorAll('[onerror]').length,
      shards: document.querySelectorAll('#gantt g.shard').length,
      bars: [...document.querySelectorAll('#gantt rect.bar')].map((r) => r.dataset.test + (r.classList.contains('estimated') ? ' (estimated)' : '')),
      stats: document.querySelector('table.stats').textContent,
    })`);
    expect(page.title).toBe('testsift: 3 of 7 test files');
    expect(stderr).toContain(page.summary);
    expect(page.rows).toEqual([
      ['src/math.ts (modified)', 'test/add.test.ts', 'coverage map: it executed or read this file'],
      ['src/math.ts (modified)', 'test/mul.test.ts', 'coverage map: it executed or read this file'],
      [`${NASTY} (added)`, NASTY, 'the test itself changed (added)'],
    ]);
    // The nasty name is text: no element was injected and the title script never ran.
    expect(page.imgs).toBe(0);
    expect(page.injected).toBe(0);
    expect(page.shards).toBe(2);
    // One bar per selected file; the new one has no recorded time.
    expect([...page.bars].sort()).toEqual(['test/add.test.ts', 'test/mul.test.ts', `${NASTY} (estimated)`].sort());
    expect(page.stats).toContain('.testsift/map.json');
    expect(page.stats).toMatch(/test files6/);
  });

  it('filters the table as one types, and from #filter= in the URL', async () => {
    const url = pathToFileURL(reportFile()).href;
    await browser.open(url);
    const visible = `[...document.querySelectorAll('#selection tbody tr')].filter((tr) => getComputedStyle(tr).display !== 'none').map((tr) => tr.cells[1].textContent)`;
    expect(await browser.evaluate<string[]>(visible)).toHaveLength(3);
    await browser.evaluate(`(() => { const b = document.getElementById('filter'); b.value = 'MUL'; b.dispatchEvent(new Event('input')); })()`);
    expect(await browser.evaluate<string[]>(visible)).toEqual(['test/mul.test.ts']);
    expect(await browser.evaluate<string>(`document.getElementById('shown').textContent`)).toBe('1');
    // Every term must match: file and reason.
    await browser.evaluate(`(() => { const b = document.getElementById('filter'); b.value = 'math add'; b.dispatchEvent(new Event('input')); })()`);
    expect(await browser.evaluate<string[]>(visible)).toEqual(['test/add.test.ts']);

    await browser.open(`${url}#filter=${encodeURIComponent('itself changed')}`);
    expect(await browser.evaluate<string[]>(visible)).toEqual([NASTY]);
    expect(browser.requests.every((u) => u.startsWith('file://'))).toBe(true);
  });

  it('renders: a screenshot that is not blank', async () => {
    await browser.open(pathToFileURL(reportFile()).href);
    const png = await browser.screenshot();
    const s = pngStats(png);
    expect(s.width).toBe(1200);
    expect(s.height).toBe(900);
    // Text, the summary box, the table and the chart's bars: far more than a blank page's one colour.
    expect(s.distinctColors).toBeGreaterThan(20);
  });
});

if (!HAVE_CHROMIUM) {
  describe('testsift report in headless Chromium', () => {
    it.skip(CHROMIUM_MISSING, () => {});
  });
  console.warn(`testsift: ${CHROMIUM_MISSING}`);
}
