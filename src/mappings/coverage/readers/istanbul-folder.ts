import { promises as fsp } from 'node:fs';
import { join, relative } from 'node:path';
import libCoverage from 'istanbul-lib-coverage';
import { MapError } from '../../../errors.js';
import { toPosix } from '../../../util/paths.js';
import { MapBuilder, type MapRecord } from '../model.js';
import { readSmallText } from './input.js';
import { BlockTables, blocksOfFileCoverage } from './istanbul-blocks.js';
import { pathNormalizer, warnTo, type ReadOptions } from './options.js';

/**
 * Convention for a folder of per-test istanbul coverage (documented in `map import --help`):
 *   <dir>/<test path>.json                  e.g. cov/test/a.test.ts.json  → test/a.test.ts
 *   <dir>/<test path>/coverage-final.json   e.g. cov/test/a.test.ts/coverage-final.json
 * Each file is an istanbul CoverageMapData (the coverage-final.json shape) recorded while running
 * that one test file. A source counts as executed by the test when any statement or function
 * count is > 0; a source listed with all counts 0 is known but unused. Absolute source paths are
 * made relative to the root; sources outside the root are dropped (they cannot be changed files).
 * The functions in `fnMap` give block-level data (see istanbul-blocks.ts).
 */
export function testPathOfCoverageFile(dir: string, file: string): string {
  const rel = toPosix(relative(dir, file));
  if (rel === 'coverage-final.json') return '';
  if (rel.endsWith('/coverage-final.json')) return rel.slice(0, -'/coverage-final.json'.length);
  return rel.replace(/\.json(\.gz)?$/, '');
}

async function listJsonFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await fsp.readdir(dir, { withFileTypes: true, recursive: true });
  for (const e of entries) {
    if (!e.isFile() || !/\.json(\.gz)?$/.test(e.name)) continue;
    out.push(join(e.parentPath, e.name));
  }
  return out.sort();
}

function executed(fc: libCoverage.FileCoverage): boolean {
  for (const n of Object.values(fc.s)) if (n > 0) return true;
  for (const n of Object.values(fc.f)) if (n > 0) return true;
  return false;
}

export async function readIstanbulFolder(dir: string, opts: ReadOptions = {}): Promise<MapRecord> {
  const warn = warnTo(opts);
  // The coverage file being read and its entry (a key of the coverage map), for a refused path.
  let at: { file: string; key?: string } = { file: dir };
  const norm = pathNormalizer(opts.root, (p, problem) => {
    throw new MapError(at, `path ${JSON.stringify(p)} ${problem}: a map entry must name a file`);
  });
  const builder = new MapBuilder({ format: 'istanbul-folder', granularity: 'file', ...(opts.root ? { root: opts.root } : {}) });
  const files = await listJsonFiles(dir);
  if (files.length === 0) throw new MapError({ file: dir }, 'no per-test coverage files (*.json) in this folder');
  const blocks = new BlockTables(builder);
  let outside = 0;
  /** Some file coverage still carries the source map of its instrumented code (see below). */
  let compiledLines = false;
  for (const file of files) {
    const test = testPathOfCoverageFile(dir, file);
    if (test === '') throw new MapError({ file }, 'cannot tell which test this coverage belongs to: name it <test path>.json or <test path>/coverage-final.json');
    let data: unknown;
    try {
      data = JSON.parse(await readSmallText(file));
    } catch (err) {
      if (err instanceof MapError) throw err;
      throw new MapError({ file }, `invalid JSON: ${(err as Error).message}`, { cause: err });
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new MapError({ file }, 'expected an istanbul coverage map object (coverage-final.json shape)');
    }
    let map: libCoverage.CoverageMap;
    try {
      // Some tools serialise FileCoverage objects as {data: {...}}: unwrap to the plain shape.
      const plain: Record<string, unknown> = {};
      for (const [key, fc] of Object.entries(data)) {
        const inner = (fc as { data?: unknown } | null)?.data ?? fc;
        const shaped = typeof inner === 'object' && inner !== null && typeof (inner as { path?: unknown }).path === 'string'
          && typeof (inner as { s?: unknown }).s === 'object' && typeof (inner as { f?: unknown }).f === 'object';
        if (!shaped) throw new MapError({ file, key }, 'expected istanbul file coverage with path, s and f');
        plain[key] = inner;
      }
      map = libCoverage.createCoverageMap(plain as libCoverage.CoverageMapData);
    } catch (err) {
      if (err instanceof MapError) throw err;
      throw new MapError({ file }, `not istanbul coverage: ${(err as Error).message}`, { cause: err });
    }
    at = { file };
    const testPath = norm(test);
    for (const f of map.files()) {
      at = { file, key: f };
      const source = norm(f);
      if (source.startsWith('../')) {
        outside++;
        continue;
      }
      const fc = map.fileCoverageFor(f);
      if (!executed(fc)) {
        builder.addKnown(source);
        continue;
      }
      builder.addEdge(source, testPath);
      if ((fc.data as { inputSourceMap?: unknown }).inputSourceMap) compiledLines = true;
      blocks.add(source, testPath, blocksOfFileCoverage(fc.data));
    }
  }
  if (outside > 0) warn(`${dir}: ignored ${outside} coverage entr${outside === 1 ? 'y' : 'ies'} for files outside the root ${opts.root ?? process.cwd()}`);
  if (blocks.conflicts.size > 0) {
    const shown = [...blocks.conflicts].sort().slice(0, 5).join(', ');
    warn(`${dir}: the per-test coverage describes different functions for ${shown}${blocks.conflicts.size > 5 ? ', …' : ''}: file level there`);
  }
  const record = builder.build();
  record.metadata = { ...record.metadata, granularity: record.blocks ? 'block' : 'file' };
  // Istanbul keeps `inputSourceMap` on coverage of code it instrumented after a transform
  // (ts-jest output, bundles) until a reporter remaps it: its lines are the compiled code's, not
  // the source's. Without one the instrumented code was the source (babel-plugin-istanbul) or
  // the data was remapped, and the block lines are source lines.
  if (record.blocks && !compiledLines) record.metadata.blockLines = 'source';
  if (record.blocks && compiledLines) warn(`${dir}: the coverage is in the lines of compiled code (it carries inputSourceMap): detect will not narrow by its functions`);
  return record;
}
