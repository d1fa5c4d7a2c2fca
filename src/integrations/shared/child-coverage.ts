import { readdirSync, readFileSync, renameSync, copyFileSync, rmSync } from 'node:fs';
import { join, sep } from 'node:path';
import { scriptRan, type ScriptCoverage } from './precise-coverage.js';
import { scriptUrlToPath } from './path-filter.js';
import { INHERIT_DIR, SPAWN_LOG, TEST_MARKER, type SpawnLine } from './child-spawns.js';

/**
 * The main-process half of following child processes (see child-spawns.ts): after the run, read
 * the folder each test file's children wrote their V8 coverage into.
 */
export interface ChildRecord {
  /** Absolute paths of scripts (outside node_modules) a child of the test ran. */
  executed: Set<string>;
  /** Node-looking commands the test started that left no readable coverage: not followed. */
  unfollowed: string[];
  /** Child processes whose coverage was read. */
  children: number;
}

function lines(file: string): SpawnLine[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: SpawnLine[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const v = JSON.parse(line) as SpawnLine;
      if (typeof v?.id === 'number') out.push(v);
    } catch {
      // a line cut short by a worker that died mid-write
    }
  }
  return out;
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * Read one folder of NODE_V8_COVERAGE files into `executed`; returns how many files were read,
 * or -1 when one could not be parsed (a child still writing it: what it ran is unknown).
 * Each file is parsed whole and dropped at once: only the paths of scripts that ran are kept.
 */
function readCoverageDir(dir: string, executed: Set<string>, forwardTo: string | undefined): number {
  let read = 0;
  let broken = false;
  for (const name of list(dir)) {
    if (!name.endsWith('.json')) continue;
    const file = join(dir, name);
    let scripts: ScriptCoverage[] | undefined;
    try {
      scripts = (JSON.parse(readFileSync(file, 'utf8')) as { result?: ScriptCoverage[] }).result;
    } catch {
      scripts = undefined;
    }
    if (!Array.isArray(scripts)) {
      broken = true;
      continue;
    }
    read++;
    for (const s of scripts) {
      if (typeof s?.url !== 'string' || !s.url.startsWith('file:') || s.url.includes('/node_modules/')) continue;
      if (!Array.isArray(s.functions) || !scriptRan(s)) continue;
      const abs = scriptUrlToPath(s.url);
      if (abs) executed.add(abs);
    }
    if (forwardTo) forward(file, join(forwardTo, name));
  }
  return broken ? -1 : read;
}

/** The run's own NODE_V8_COVERAGE (c8 around the runner) still gets its children's files. */
function forward(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch {
    try {
      copyFileSync(from, to);
    } catch {
      /* the user's coverage folder is gone: nothing we can do */
    }
  }
}

/**
 * Per absolute test path, what its children ran and which of them could not be followed (a
 * test file run in two projects gets the union). `forwardTo`: move the coverage files there
 * once read (the run's own NODE_V8_COVERAGE, when set).
 */
export function readChildCoverage(base: string, forwardTo?: string): Map<string, ChildRecord> {
  const out = new Map<string, ChildRecord>();
  // Jest in band runs the test files in this very process, whose NODE_V8_COVERAGE then names the
  // last test file's inherit folder: forwarding there would hand every child's files to that test.
  if (forwardTo !== undefined && (forwardTo === base || forwardTo.startsWith(base + sep))) forwardTo = undefined;
  for (const name of list(base)) {
    const dir = join(base, name);
    let test: string | undefined;
    try {
      test = (JSON.parse(readFileSync(join(dir, TEST_MARKER), 'utf8')) as { test?: unknown }).test as string | undefined;
    } catch {
      test = undefined;
    }
    if (typeof test !== 'string') continue;
    let rec = out.get(test);
    if (!rec) out.set(test, (rec = { executed: new Set(), unfollowed: [], children: 0 }));
    const inherited = readCoverageDir(join(dir, INHERIT_DIR), rec.executed, forwardTo);
    if (inherited > 0) rec.children += inherited;
    const spawns = lines(join(dir, SPAWN_LOG));
    const failed = new Set(spawns.filter((l) => l.failed).map((l) => l.id));
    for (const s of spawns) {
      if (s.failed || s.cmd === undefined) continue;
      const n = s.own ? 0 : readCoverageDir(join(dir, `s${s.id}`), rec.executed, forwardTo);
      if (n > 0) rec.children += n;
      // A Node program that left nothing (killed, env scrubbed, still running, not Node after all).
      if (s.node && n <= 0 && !failed.has(s.id)) rec.unfollowed.push(s.cmd);
    }
  }
  return out;
}

/** Remove the base folder (best effort: a child still running may be writing into it). */
export function removeChildDir(base: string): void {
  try {
    rmSync(base, { recursive: true, force: true });
  } catch {
    /* left in the temp folder */
  }
}

/** The warning for tests with children that could not be followed (they are always selected). */
export function unfollowedWarning(tests: Array<{ test: string; commands: string[] }>): string {
  const shown = tests.map((t) => `${t.test} (${t.commands.slice(0, 2).join('; ')}${t.commands.length > 2 ? '; …' : ''})`);
  return (
    `${tests.length} test file(s) started Node child processes or worker threads that left no V8 coverage ` +
    `(killed, the environment lost NODE_V8_COVERAGE, or a thread started from a pool thread): what they ` +
    `ran is unknown, so these tests are left out of the map and always selected: ${shown.join(', ')}`
  );
}
