import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readTimingReport, type TimingReport } from '../../src/sharding/index.js';

export const REAL_TIMINGS = '/work/shared/data/real/timings';
/** The checkout the NYPL jest --json report was recorded in. */
export const NYPL_ROOT = '/Users/edwinguzman/projects/ds/nypl-design-system';

/** Every real report in the data folder, read once per test file. */
export async function realReports(): Promise<Array<{ name: string; report: TimingReport }>> {
  const out = [];
  for (const name of readdirSync(REAL_TIMINGS).sort()) {
    out.push({ name, report: await readTimingReport(join(REAL_TIMINGS, name), { root: NYPL_ROOT }) });
  }
  return out;
}

/** A seeded shuffle (mulberry32), so a "random order" test is reproducible. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  let a = seed >>> 0;
  const rand = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
