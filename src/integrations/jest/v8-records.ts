import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BlockHit } from './block-tables.js';

/** One test file's record from the worker recorder (see v8-recorder.cts). */
export interface WorkerRecord {
  test: string;
  executed: string[];
  blocks?: BlockHit[];
  closedBy: 'teardown' | 'afterAll';
  /** Time the runtime spent in the transformer for this file (see v8-recorder.cts). */
  transformMs?: number;
  /** Project files its worker saw run outside Jest's module registry (see v8-recorder.cts). */
  outside?: string[];
}

function isRecord(v: unknown): v is WorkerRecord {
  const r = v as WorkerRecord | undefined;
  return !!r && typeof r.test === 'string' && Array.isArray(r.executed);
}

/**
 * The records the workers wrote into the exchange folder, by absolute test path. A test file run
 * twice (two projects) has its records merged: the union of what they executed, all their hits.
 * An unreadable record (a worker killed mid-write) is skipped: that file then has no record.
 */
export function collectWorkerRecords(dir: string): Map<string, WorkerRecord> {
  const out = new Map<string, WorkerRecord>();
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.v8.json'));
  } catch {
    return out;
  }
  for (const name of names) {
    let rec: unknown;
    try {
      rec = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    } catch {
      continue;
    }
    if (!isRecord(rec)) continue;
    const prev = out.get(rec.test);
    if (!prev) {
      out.set(rec.test, { ...rec, executed: [...rec.executed], blocks: [...(rec.blocks ?? [])] });
      continue;
    }
    prev.executed = [...new Set([...prev.executed, ...rec.executed])];
    prev.blocks = [...(prev.blocks ?? []), ...(rec.blocks ?? [])];
    if (rec.closedBy === 'afterAll') prev.closedBy = 'afterAll';
    prev.transformMs = (prev.transformMs ?? 0) + (rec.transformMs ?? 0);
    if (rec.outside) prev.outside = [...new Set([...(prev.outside ?? []), ...rec.outside])];
  }
  return out;
}
