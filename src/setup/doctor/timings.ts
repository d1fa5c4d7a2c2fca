import { DEFAULT_TIMINGS_PATH } from '../../integrations/jest/env.js';
import { readTimingReport } from '../../sharding/index.js';
import { findUpward } from '../../util/repo.js';
import { shownPath, type Project } from '../project.js';
import { ok, warn, type CheckResult } from './types.js';

const CHECK = 'timings';

/** The nearest .testsift/timings.json (as the runners write it): without one, shards balance by estimates. */
export async function timingsCheck(p: Project, recordCommand: string): Promise<CheckResult> {
  const path = findUpward(p.cwd, p.repoRoot ?? p.cwd, DEFAULT_TIMINGS_PATH);
  const fix = `${recordCommand}   (writes ${DEFAULT_TIMINGS_PATH} with the map)`;
  if (!path) return warn(CHECK, `no ${DEFAULT_TIMINGS_PATH}: sharding falls back to estimates (every test 1 s)`, fix);
  try {
    const report = await readTimingReport(path, { root: p.repoRoot ?? p.dir });
    const total = [...report.values()].reduce((a, b) => a + b, 0);
    return ok(CHECK, `${shownPath(p, path)}: ${report.size} test files, ${total.toFixed(1)} s in all`);
  } catch (err) {
    return warn(CHECK, `${shownPath(p, path)} is unreadable (${(err as Error).message}): sharding falls back to estimates`, fix);
  }
}
