import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import { TempRepo } from './git.js';

/** Plain temp folders (not repositories), removed after each test. */
export function tempDirs(): () => string {
  const made: string[] = [];
  afterEach(() => {
    for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const d = realpathSync(mkdtempSync(join(tmpdir(), 'testsift-changes-dir-')));
    made.push(d);
    return d;
  };
}

/**
 * Temp folders named `<prefix>XXXXXX`, removed once the test file is done (so a folder made in a
 * describe block outlives its tests). Call at the top level of a test file.
 */
export function scratchDirs(prefix: string): () => string {
  const made: string[] = [];
  afterAll(() => {
    for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    made.push(d);
    return d;
  };
}

/** Temp repos made in a test file, removed after each test. */
export function tempRepos(): () => TempRepo {
  const made: TempRepo[] = [];
  afterEach(() => {
    for (const r of made.splice(0)) r.cleanup();
  });
  return () => {
    const r = new TempRepo('testsift-changes-');
    made.push(r);
    return r;
  };
}

/** An environment with no CI variables, so a developer's shell cannot change a test's result. */
export const NO_CI_ENV: Record<string, string | undefined> = { PATH: process.env.PATH };

/** `name → status` of a ChangeSet's files, for compact assertions. */
export function statusMap(files: { path: string; status: string; oldPath?: string }[]): Record<string, string> {
  return Object.fromEntries(files.map((f) => [f.path, f.oldPath !== undefined ? `${f.status} from ${f.oldPath}` : f.status]));
}
