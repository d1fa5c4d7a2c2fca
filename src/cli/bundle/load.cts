// Loads the installed bins' bundle (dist/bin/cli.cjs, built by scripts/bundle-cli.mjs) with the
// V8 code cache the build made for it. Why: in a CI step the CLI runs once per process, and on
// Node 20 compiling its ~750 kB of JS was ~30 ms, a fifth of `detect`'s cost at GitLab scale
// (README, Performance). Node 20 has no compile cache for modules (module.enableCompileCache is
// 22.1+), but vm.Script takes V8's cached data; the bundle is CommonJS so it can run that way.
//
// The cache is an optimisation only. V8 rejects data from another V8 version or other flags, and
// checks only the source's length, so the cache also names the bundle it was made for; anything
// that does not match is ignored and the bundle compiles from source as usual.
//
// CommonJS (.cts) like the bins that use it: an ES-module entry point costs a CLI run ~5 ms more.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';
import type { BinName } from '../bins.js' with { 'resolution-mode': 'import' };
import type { CliIO } from '../command.js' with { 'resolution-mode': 'import' };

/** The bundle's last line: `//# testsift-bundle-id=<sha256 of everything before it>`. */
export const BUNDLE_ID_PREFIX = '//# testsift-bundle-id=';
/** The cache file sits next to the bundle. */
export const CODE_CACHE_SUFFIX = '.v8-cache';
const MAGIC = 'testsift-code-cache 1 ';

export type CodeCacheStatus = 'accepted' | 'rejected' | 'absent';

export interface LoadedBundle {
  /** module.exports of the bundle (`bins`, see cli/bins.ts). */
  exports: { bins: Record<BinName, (argv: string[], io?: CliIO) => Promise<number>> };
  /** The compiled script, for `codeCacheBytes` once it has run. */
  script: Script;
  /** The bundle's id (from its last line); '' when it has none. */
  id: string;
  /** absent: no cache file, or one made for another bundle; rejected: V8 refused it. */
  codeCache: CodeCacheStatus;
}

/** The id the bundle names itself with, or '' (then no cache is used). */
export function bundleIdOf(source: string): string {
  const at = source.lastIndexOf(BUNDLE_ID_PREFIX);
  if (at < 0) return '';
  const id = source.slice(at + BUNDLE_ID_PREFIX.length).trim();
  return /^[0-9a-f]{64}$/.test(id) ? id : '';
}

function header(id: string): string {
  return `${MAGIC}${id}\n`;
}

/** V8's data for the cache file, with the header that ties it to bundle `id`. */
export function codeCacheBytes(script: Script, id: string): Buffer {
  return Buffer.concat([Buffer.from(header(id), 'latin1'), script.createCachedData()]);
}

function readCodeCache(file: string, id: string): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  const h = header(id);
  return bytes.length > h.length && bytes.toString('latin1', 0, h.length) === h ? bytes.subarray(h.length) : undefined;
}

/** Compile and run the bundle as CommonJS, with its code cache when one fits. */
export function loadBundle(file: string): LoadedBundle {
  const source = readFileSync(file, 'utf8');
  const id = bundleIdOf(source);
  const cachedData = id ? readCodeCache(file + CODE_CACHE_SUFFIX, id) : undefined;
  // The wrapper Node's own CommonJS loader uses; one line, so line numbers in traces hold.
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
  const script = new Script(wrapped, { filename: file, cachedData });
  const module = { exports: {} as LoadedBundle['exports'] };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  const codeCache: CodeCacheStatus = cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'accepted';
  return { exports: module.exports, script, id, codeCache };
}

/** What an installed bin does: load the bundle next to it and run `bin` with `argv`. */
export function runBundledBin(file: string, bin: BinName, argv: string[]): Promise<number> {
  return loadBundle(file).exports.bins[bin](argv);
}
