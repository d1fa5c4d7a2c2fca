import { fileURLToPath } from 'node:url';

/**
 * Istanbul per-file coverage as Jest puts it on `testResult.coverage` (babel provider): absolute
 * path → counters. Only the fields we read are typed.
 */
export interface IstanbulFileData {
  path?: string;
  s?: Record<string, number>;
  f?: Record<string, number>;
}

/** One entry of `testResult.v8Coverage` (v8 provider): the inspector's ScriptCoverage, wrapped. */
export interface V8CoverageEntry {
  result?: { url?: string; functions?: Array<{ ranges?: Array<{ count?: number }> }> };
}

function anyPositive(counts: Record<string, number> | undefined): boolean {
  if (!counts) return false;
  for (const k in counts) if ((counts[k] ?? 0) > 0) return true;
  return false;
}

/**
 * Files a test file executed, from its istanbul data: any statement or function counter above
 * zero. A file with no statements and no functions (empty, or comments only) cannot show a
 * counter, yet appearing here means it was loaded, so it counts as executed (fail safe: an
 * extra edge costs a test run, a missing one misses a test).
 */
export function executedFromIstanbul(coverage: Record<string, IstanbulFileData> | undefined): { executed: string[]; seen: string[] } {
  const executed: string[] = [];
  const seen: string[] = [];
  for (const [key, data] of Object.entries(coverage ?? {})) {
    const file = data?.path ?? key;
    seen.push(file);
    const empty = Object.keys(data?.s ?? {}).length === 0 && Object.keys(data?.f ?? {}).length === 0;
    if (empty || anyPositive(data?.s) || anyPositive(data?.f)) executed.push(file);
  }
  return { executed, seen };
}

/** A V8 script URL as a file path (`file:` URLs and plain absolute paths); undefined for the rest. */
export function urlToPath(url: string): string | undefined {
  if (url.startsWith('file:')) {
    try {
      return fileURLToPath(url);
    } catch {
      return undefined;
    }
  }
  // Jest's v8 collection also reports plain absolute paths; node: internals and eval'd code are not files.
  return url.startsWith('/') || /^[A-Za-z]:[\\/]/.test(url) ? url : undefined;
}

/** Files a test file executed, from its V8 data: any range with a count above zero. */
export function executedFromV8(entries: V8CoverageEntry[] | undefined): { executed: string[]; seen: string[] } {
  const executed: string[] = [];
  const seen: string[] = [];
  for (const entry of entries ?? []) {
    const file = entry?.result?.url ? urlToPath(entry.result.url) : undefined;
    if (!file) continue;
    seen.push(file);
    const ran = (entry.result?.functions ?? []).some((fn) => (fn.ranges ?? []).some((r) => (r.count ?? 0) > 0));
    if (ran) executed.push(file);
  }
  return { executed, seen };
}
