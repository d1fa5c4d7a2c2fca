import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { isScalar, parseDocument, YAMLParseError } from 'yaml';
import { MapError } from '../../../errors.js';
import { MapBuilder, type MapRecord } from '../model.js';
import type { MapMetadata } from '../types.js';
import { mergeMapRecords } from '../merge.js';
import { mapIoError, readTextChunks } from './input.js';
import { parsePsychExampleDoc } from './psych-fast.js';
import { pathNormalizer, warnTo, type ReadOptions } from './options.js';

/** Crystalball's metadata document (Ruby symbol keys keep their colon in YAML). */
export interface CrystalballMetadata {
  type: string;
  commit?: string;
  /** Epoch seconds, as Crystalball stores it. */
  timestamp?: number;
  version?: string;
}

/**
 * `./spec/models/user_spec.rb[1:2:1]` → `spec/models/user_spec.rb`: an RSpec example id names
 * its spec file before the scoped id in brackets (GitLab's TestMapGenerator strips `[…]` too).
 */
export function specFileOfExampleId(id: string): string {
  const open = id.indexOf('[');
  const file = open >= 0 && id.endsWith(']') ? id.slice(0, open) : id;
  return file;
}

/**
 * One YAML document of the stream, as lines, with the line it starts on (for error locations).
 * Crystalball appends documents with YAML.dump, so a `---` line at column 0 separates them.
 */
interface YamlDoc {
  lines: string[];
  line: number;
}

async function* yamlDocuments(path: string): AsyncGenerator<YamlDoc> {
  const lines = createInterface({ input: Readable.from(readTextChunks(path)), crlfDelay: Infinity });
  let doc: string[] = [];
  let start = 1;
  let lineNo = 0;
  let started = false;
  for await (const line of lines) {
    lineNo++;
    // YAML's separation space is a space or a tab: `\s` would also take a BOM or a no-break space.
    if (line === '...' || /^---([ \t]|$)/.test(line)) {
      if (started || doc.some((l) => l.trim() !== '' && !l.startsWith('#'))) yield { lines: doc, line: start };
      started = line !== '...';
      // `--- value` carries content on the marker line; keep it with the document's first line.
      doc = line.length > 3 && line !== '...' ? [line.slice(3)] : [];
      start = line === '...' ? lineNo + 1 : line.length > 3 ? lineNo : lineNo + 1;
      continue;
    }
    doc.push(line);
  }
  if (doc.some((l) => l.trim() !== '' && !l.startsWith('#'))) yield { lines: doc, line: start };
}

const YAML_OPTIONS = { maxAliasCount: 100_000, uniqueKeys: false } as const;

function yamlError(path: string, doc: YamlDoc, err: unknown): MapError {
  if (err instanceof YAMLParseError) {
    const at = err.linePos?.[0];
    const first = err.message.split('\n')[0];
    return new MapError({ file: path, line: doc.line + (at ? at.line - 1 : 0), column: at?.col }, `invalid YAML: ${first}`, { cause: err });
  }
  return new MapError({ file: path, line: doc.line }, `invalid YAML: ${String(err)}`, { cause: err });
}

/** Parse one document. Psych dumps shared Ruby objects as anchors/aliases; allow many. */
function parseDoc(path: string, doc: YamlDoc) {
  const parsed = parseDocument(doc.lines.join('\n'), YAML_OPTIONS);
  if (parsed.errors.length > 0) throw yamlError(path, doc, parsed.errors[0]);
  try {
    return { value: parsed.toJS(YAML_OPTIONS) as unknown, doc: parsed };
  } catch (err) {
    throw yamlError(path, doc, err);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readMetadata(path: string, doc: YamlDoc): CrystalballMetadata {
  const { value: meta, doc: parsed } = parseDoc(path, doc);
  const expected = 'the first document should be Crystalball metadata with :type, :commit, :timestamp';
  if (!isPlainObject(meta) || typeof meta[':type'] !== 'string') throw new MapError({ file: path, line: doc.line }, expected);
  const type = meta[':type'];
  // Crystalball also writes other YAML maps (e.g. the Rails tables map) that mean something else.
  if (!/ExecutionMap$/.test(type)) {
    throw new MapError({ file: path, line: doc.line, key: ':type' }, `expected a Crystalball execution map, found type '${type}'`);
  }
  // An all-digit SHA prefix would load as a number: take the scalar's source text instead.
  const commitNode = parsed.get(':commit', true);
  const commit = isScalar(commitNode) && commitNode.value !== null ? (commitNode.source ?? String(commitNode.value)) : undefined;
  const raw = meta[':timestamp'];
  let timestamp: number | undefined;
  // Only times a Date can hold (±8.64e15 ms): a larger number made toISOString throw a RangeError.
  const representable = (seconds: number): boolean => Number.isFinite(new Date(seconds * 1000).getTime());
  if (typeof raw === 'number' && representable(raw)) timestamp = raw;
  else if (typeof raw === 'string' && Number.isFinite(Date.parse(raw))) timestamp = Date.parse(raw) / 1000;
  else if (raw !== null && raw !== undefined) {
    throw new MapError({ file: path, line: doc.line, key: ':timestamp' }, `expected epoch seconds, found ${JSON.stringify(raw)}`);
  }
  const version = meta[':version'];
  return { type, commit, timestamp, version: version === null || version === undefined ? undefined : String(version) };
}

export function crystalballMetadata(meta: CrystalballMetadata): MapMetadata {
  const out: MapMetadata = { format: 'crystalball', runner: 'crystalball', granularity: 'file' };
  if (meta.commit) out.commit = meta.commit;
  if (meta.timestamp !== undefined) out.timestamp = new Date(meta.timestamp * 1000).toISOString();
  if (meta.version) out.runnerVersion = meta.version;
  return out;
}

/** example id → used files of one document: Psych's usual shape fast, anything else via YAML. */
function exampleEntries(path: string, doc: YamlDoc): Array<[string, string[]]> {
  const fast = parsePsychExampleDoc(doc.lines);
  if (fast) return fast;
  const data = parseDoc(path, doc).value;
  if (data === null || data === undefined) return [];
  if (!isPlainObject(data)) throw new MapError({ file: path, line: doc.line }, 'expected a mapping of example id → list of used files');
  const out: Array<[string, string[]]> = [];
  for (const [id, files] of Object.entries(data)) {
    if (files === null) {
      out.push([id, []]);
      continue;
    }
    if (!Array.isArray(files) || files.some((f) => typeof f !== 'string')) {
      throw new MapError({ file: path, line: doc.line, key: id }, 'expected a list of used file paths');
    }
    out.push([id, files as string[]]);
  }
  return out;
}

/**
 * Only the metadata document of one Crystalball file: the first document, read as a stream that
 * stops there, so a look at the commit costs the first lines, not the whole map.
 */
export async function readCrystalballMetadata(path: string): Promise<CrystalballMetadata> {
  const first = await yamlDocuments(path)[Symbol.asyncIterator]().next();
  if (!first.done) return readMetadata(path, first.value);
  throw new MapError({ file: path }, 'empty file: expected Crystalball metadata and example documents');
}

/** `*.yml` files of a Crystalball map folder, or the file itself. */
export async function crystalballFiles(path: string): Promise<string[]> {
  let isDir: boolean;
  try {
    isDir = (await fsp.stat(path)).isDirectory();
  } catch (err) {
    throw mapIoError(path, err);
  }
  return isDir ? mapFilesIn(path) : [path];
}

/** The decoded map of one file, and how many examples it had (metadata-only files have none). */
export interface CrystalballFile {
  record: MapRecord;
  meta: CrystalballMetadata;
  examples: number;
}

/**
 * Read one Crystalball execution map file. Each further document maps example ids to the files
 * they used; we invert that to source → spec files.
 *
 * Compacted maps (Crystalball's default) move the files shared by every example of a context up
 * to the context id (`spec/a_spec.rb[1]`) and leave each example only what it adds. Since our
 * maps are file-level and a context id and all its descendants name the same spec file, the union
 * over every id of one spec file is exactly the uncompacted union: no ancestor's files ever need
 * to be pushed down to a descendant, because both collapse onto the same test file. (Only an
 * example-level map would need that push-down.)
 */
export async function readCrystalballFile(path: string, opts: ReadOptions = {}): Promise<CrystalballFile> {
  // Where a refused path is: the document's first line and the example id (entry) it is under.
  let at: { line: number; id?: string } = { line: 1 };
  const norm = pathNormalizer(opts.root, (p, problem) => {
    throw new MapError({ file: path, line: at.line, key: at.id }, `path ${JSON.stringify(p)} ${problem}: a map entry must name a file`);
  });
  const builder = new MapBuilder({ format: 'crystalball' });
  let meta: CrystalballMetadata | undefined;
  let examples = 0;
  for await (const doc of yamlDocuments(path)) {
    if (!meta) {
      meta = readMetadata(path, doc);
      continue;
    }
    for (const [id, files] of exampleEntries(path, doc)) {
      examples++;
      at = { line: doc.line, id };
      const spec = norm(specFileOfExampleId(id));
      for (const f of files) builder.addEdge(norm(f), spec);
    }
  }
  if (!meta) throw new MapError({ file: path }, 'empty file: expected Crystalball metadata and example documents');
  builder.metadata = crystalballMetadata(meta);
  return { record: builder.build(), meta, examples };
}

/** `*.yml` / `*.yaml` files directly in a Crystalball map folder, sorted for a stable merge. */
async function mapFilesIn(dir: string): Promise<string[]> {
  const names = (await fsp.readdir(dir)).filter((n) => /\.ya?ml(\.gz)?$/.test(n)).sort();
  return names.map((n) => join(dir, n));
}

/**
 * Read a Crystalball execution map file, or a folder of them (one per parallel job, as
 * Crystalball's own loader accepts). Files with only metadata are skipped, as Crystalball does.
 *
 * Crystalball refuses folders whose files carry different metadata. We take the union instead,
 * with a warning naming the files, keeping each file's commit as `map merge` does (the rest of
 * the metadata is the newest file's): refusing would throw the whole map away (→ full suite),
 * while the union, checked for staleness from every commit, only ever selects more tests.
 */
export async function readCrystalball(path: string, opts: ReadOptions = {}): Promise<MapRecord> {
  let isDir: boolean;
  try {
    isDir = (await fsp.stat(path)).isDirectory();
  } catch (err) {
    throw mapIoError(path, err);
  }
  if (!isDir) return (await readCrystalballFile(path, opts)).record;
  const files = await mapFilesIn(path);
  if (files.length === 0) throw new MapError({ file: path }, 'no Crystalball execution maps (*.yml) in this folder');
  const read: CrystalballFile[] = [];
  const names: string[] = [];
  for (const f of files) {
    const one = await readCrystalballFile(f, opts);
    if (one.examples === 0 && files.length > 1) continue;
    read.push(one);
    names.push(f);
  }
  if (read.length === 0) return (await readCrystalballFile(files[0], opts)).record;
  const warn = warnTo(opts);
  const first = JSON.stringify(read[0].meta);
  const differing = names.filter((_, i) => JSON.stringify(read[i].meta) !== first);
  if (differing.length > 0) {
    warn(`${path}: Crystalball maps with different metadata (${names[0]} vs ${differing.join(', ')}); using their union, each file's tests dated with its own commit`);
  }
  const { record, warnings } = mergeMapRecords(read.map((r) => r.record), names);
  for (const w of warnings) warn(w);
  record.metadata = { ...record.metadata, format: 'crystalball' };
  return record;
}
