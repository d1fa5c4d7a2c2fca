/**
 * Block hits from Jest's own V8 coverage (`coverageProvider: 'v8'` with `--coverage`): Jest then
 * owns V8's coverage state, so our worker recorder stays off, and Jest hands the reporter each
 * test file's take instead (`testResult.v8Coverage`: per script, V8's detailed ranges and the
 * transform result — the code that ran, its source map file and the length of the module wrapper
 * before it). They become the same hits the worker recorder writes (v8-recorder.cts), so the
 * same block tables (block-tables.ts) turn them into blocks of the source, with the same checks.
 */
import { createHash } from 'node:crypto';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { urlToPath } from './executed-sources.js';
import type { BlockHit } from './block-tables.js';

interface RangeLike {
  startOffset: number;
  endOffset: number;
  count: number;
}

/** One entry of `testResult.v8Coverage` (the fields read here). */
export interface JestV8Entry {
  codeTransformResult?: { code?: unknown; originalCode?: unknown; sourceMapPath?: unknown; wrapperLength?: unknown } | null;
  result?: { url?: string; functions?: Array<{ ranges?: RangeLike[] }> };
}

function pathOf(url: string | undefined): string | undefined {
  return url ? urlToPath(url) : undefined;
}

/** Writes each distinct code text once into the exchange folder, as the worker recorder does. */
export class CodeStore {
  private readonly last = new Map<string, { code: string; sha: string }>();
  private readonly stored = new Set<string>();

  constructor(private readonly dir: string) {}

  put(file: string, code: string): string {
    const last = this.last.get(file);
    if (last?.code === code) return last.sha;
    const sha = createHash('sha1').update(code).digest('hex');
    this.last.set(file, { code, sha });
    if (!this.stored.has(sha)) {
      const at = join(this.dir, `code-${sha}.js`);
      if (!existsSync(at)) {
        writeFileSync(`${at}.tmp`, code);
        renameSync(`${at}.tmp`, at);
      }
      this.stored.add(sha);
    }
    return sha;
  }
}

/**
 * The block hits of one test file's V8 take, skipping the test file itself. `header`: the wrapper
 * length to assume when the transform result gives none (Jest 30 runs a module's code without a
 * wrapper before it: 0; unknown: undefined, and such scripts give no hits — file level).
 * `branches`: keep V8's block ranges (branch-level blocks); else functions only.
 */
export function hitsFromJestV8(entries: readonly JestV8Entry[] | undefined, test: string, store: CodeStore, branches: boolean, header: number | undefined): BlockHit[] {
  const out: BlockHit[] = [];
  for (const entry of entries ?? []) {
    const file = pathOf(entry?.result?.url);
    const t = entry?.codeTransformResult;
    const functions = entry?.result?.functions ?? [];
    if (!file || file === test || !t || typeof t.code !== 'string') continue;
    const wrapper = typeof t.wrapperLength === 'number' ? t.wrapperLength : header;
    if (wrapper === undefined || !functions.some((f) => (f.ranges?.[0]?.count ?? 0) > 0)) continue;
    const codeEnd = wrapper + t.code.length;
    let body = false;
    const ends = new Set<number>();
    const flat: number[] = [];
    for (const f of functions) {
      const ranges = f.ranges ?? [];
      if (branches) for (const r of ranges) flat.push(r.startOffset - wrapper, r.endOffset - wrapper, r.count);
      const r = ranges[0];
      if (!r || r.count <= 0) continue;
      // The script itself (and Jest 29's module wrapper) spans the whole module: its body.
      if (r.startOffset <= wrapper && r.endOffset >= codeEnd) body = true;
      else if (r.startOffset >= wrapper) ends.add(r.endOffset - wrapper);
    }
    const hit: BlockHit = { file, body, ends: [...ends].sort((a, b) => a - b), code: store.put(file, t.code) };
    if (typeof t.sourceMapPath === 'string' && t.sourceMapPath !== '') hit.map = t.sourceMapPath;
    if (typeof t.originalCode === 'string' && t.originalCode === t.code) hit.identity = true;
    if (branches) hit.ranges = [flat];
    out.push(hit);
  }
  return out;
}
