import { isSeconds } from '../sharding/estimate.js';
import type { ShardPlan, TimingReport } from '../sharding/types.js';
import { escapeHtml } from './html-escape.js';
import { formatSeconds } from './summary.js';

const WIDTH = 1000;
const LABEL = 150;
const ROW = 24;
const AXIS = 26;
/** Bars narrower than this (pixels) at the end of a shard are drawn as one bar, counted. */
const MIN_BAR = 2;

/** Round step for about `n` axis ticks over `max` seconds: 1, 2 or 5 times a power of ten. */
function tickStep(max: number, n = 8): number {
  const raw = max / n;
  const pow = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw)!;
}

const num = (x: number) => String(Math.round(x * 10) / 10);

/**
 * The shards as a Gantt chart in inline SVG: one row per shard, one bar per test file, as long
 * as its time, in the order the shard runs them (longest first). Estimated times (no timing
 * recorded) are drawn hatched. Every bar has a <title> (path and seconds) for the tooltip.
 */
export function ganttSvg(plan: ShardPlan, timings: TimingReport): string {
  const makespan = Math.max(plan.makespan, 1e-9);
  const scale = (WIDTH - LABEL - 10) / makespan;
  const height = AXIS + plan.shards.length * ROW + 6;
  const out: string[] = [
    `<svg id="gantt" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="Shards by time">`,
    '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f2c18d"/><line x1="0" y1="0" x2="0" y2="6" stroke="#c9771f" stroke-width="2"/></pattern></defs>',
  ];
  const step = tickStep(makespan);
  for (let t = 0; t <= makespan + 1e-9; t += step) {
    const x = LABEL + t * scale;
    out.push(`<line class="tick" x1="${num(x)}" y1="${AXIS - 6}" x2="${num(x)}" y2="${height - 6}"/>`);
    out.push(`<text class="axis" x="${num(x)}" y="${AXIS - 10}" text-anchor="middle">${escapeHtml(formatSeconds(t))}</text>`);
  }
  for (const [i, shard] of plan.shards.entries()) {
    const y = AXIS + i * ROW;
    out.push(`<g class="shard" data-shard="${shard.index}">`);
    out.push(
      `<text class="label" x="${LABEL - 8}" y="${y + ROW / 2 + 4}" text-anchor="end">shard ${shard.index}: ${shard.tests.length} files, ${escapeHtml(formatSeconds(shard.seconds))}</text>`,
    );
    let x = LABEL;
    let small = { count: 0, seconds: 0, x: 0 };
    for (const test of shard.tests) {
      const recorded = timings.get(test);
      const seconds = isSeconds(recorded) ? recorded : (plan.estimated[test] ?? 0);
      const w = seconds * scale;
      if (w < MIN_BAR) {
        if (small.count === 0) small = { count: 0, seconds: 0, x };
        small.count++;
        small.seconds += seconds;
      } else {
        const estimated = test in plan.estimated;
        out.push(
          `<rect class="bar${estimated ? ' estimated' : ''}" data-test="${escapeHtml(test)}" x="${num(x)}" y="${y + 3}" width="${num(Math.max(w - 1, 1))}" height="${ROW - 6}"><title>${escapeHtml(test)}: ${escapeHtml(formatSeconds(seconds))}${estimated ? ' (estimated: no timing recorded)' : ''}</title></rect>`,
        );
        // The file's name on its bar where it fits (about 6.5 px a character at 11 px).
        const name = test.slice(test.lastIndexOf('/') + 1);
        const fits = Math.floor((w - 8) / 6.5);
        if (fits >= 4) {
          const shown = name.length <= fits ? name : `${name.slice(0, fits - 1)}\u2026`;
          out.push(`<text class="barlabel" x="${num(x + 4)}" y="${y + ROW / 2 + 4}">${escapeHtml(shown)}</text>`);
        }
      }
      x += w;
    }
    if (small.count > 0) {
      out.push(
        `<rect class="bar many" x="${num(small.x)}" y="${y + 3}" width="${num(Math.max(small.seconds * scale, 1))}" height="${ROW - 6}"><title>${small.count} short test files: ${escapeHtml(formatSeconds(small.seconds))}</title></rect>`,
      );
    }
    out.push('</g>');
  }
  out.push('</svg>');
  return out.join('\n');
}
