import { existsSync, promises as fsp } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { nearestMap } from '../config/locate.js';
import { InputError, UsageError } from '../errors.js';
import { detectMapFormat, MAP_FORMATS, mergeMapRecords, readMapRecord, writeCoverageMap, type MapFormat, type MapRecord } from '../mappings/coverage/index.js';
import { gitlabJsonPieces, type GitlabExportFormat } from '../mappings/coverage/export-gitlab.js';
import { formatMapStatsText, mapStats } from '../mappings/coverage/map-stats.js';
import { writeFileAtomic } from '../util/fs.js';
import { findRepoRoot } from '../util/repo.js';
import { parseCommandArgs, stringValue } from './args.js';
import type { CliIO, Command } from './command.js';

const help = `Usage: testsift map merge|import|export|stats …

  testsift map merge IN… --output OUT [--root DIR]
      Merge partial maps (e.g. one per parallel CI job) into one native map: the union of
      their edges and known files. Inputs may be in any format 'map import' reads. Inputs
      recorded at different commits keep them: the merged map records, per test, the
      commit it was recorded at, and 'detect' checks staleness from each of those commits
      (such a map is native format version 2; older testsift versions refuse it, so detect
      there runs the full suite). An input without a commit among inputs with one makes a
      map without a commit (warned: detect then runs the full suite). The timestamp is the
      oldest input's; other metadata comes from the newest input, a differing root or runner
      is warned about. Block data is kept for a file only where all inputs agree on its blocks.
      A missing or corrupt input is an error (exit 2) naming it, and OUT is not written (an
      existing OUT is left intact; OUT may be one of the inputs).

  testsift map import IN… --output OUT [--format auto|gitlab-json|gitlab-packed|crystalball|istanbul-folder]
                      [--root DIR] [--commit SHA] [--timestamp ISO]
      Convert foreign maps into one native map (several inputs are merged as above).
      --format auto (default) detects each input from its first bytes. Formats:
        gitlab-json      GitLab / test_file_finder direct JSON {"src/a.rb": ["spec/a_spec.rb", …]}:
                         an object whose every value is an array of test paths; a key with []
                         is a known file no test executed. May be gzipped (.gz or gzip bytes).
        gitlab-packed    GitLab's packed mapping: values are path tries whose leaves are 1,
                         {"app/a.rb": {"spec": {"a_spec.rb": 1}}}; usually gzipped.
        crystalball      A Crystalball execution map (multi-document YAML: :type, :commit,
                         :timestamp metadata, then example id → used files), or a folder of
                         them (one per job). Example ids reduce to their spec file
                         (./spec/a_spec.rb[1:2] → spec/a_spec.rb); compacted maps are fine.
                         Files with different metadata are unioned with a warning, keeping
                         each file's commit as 'map merge' does.
        istanbul-folder  A folder of per-test istanbul coverage, one file per test file:
                           DIR/<test path>.json                 (e.g. DIR/test/a.test.ts.json)
                           DIR/<test path>/coverage-final.json  (e.g. DIR/test/a.test.ts/coverage-final.json)
                         each an istanbul CoverageMapData (the coverage-final.json shape) of a
                         run of that one test file. A source counts as executed by the test
                         when any statement or function count is > 0; with all counts 0 it is
                         known but unused. Absolute source paths are made relative to --root;
                         sources outside --root are dropped. Functions (fnMap) become blocks
                         for block-level selection where all tests agree on a file's functions.
      Paths are stored repo-relative with '/' separators and no leading './'.
      --root DIR       Directory absolute paths are made relative to (default: current dir).
      --commit SHA     Commit the map describes (foreign maps rarely record one; 'detect'
                       needs it to find files changed since the map was recorded). It
                       replaces every commit the inputs record.
      --timestamp ISO  When the map was recorded (ISO 8601), for the map-age check.

  testsift map export MAP [--format json|gitlab-packed] [--output FILE]
      Write MAP (any readable format) as GitLab / tff direct JSON (--format json, the
      default) or packed JSON: sorted keys, sorted tests, known-but-unused files as [].
      To stdout unless --output is given; an --output ending in .gz is gzipped.

  testsift map stats [MAP] [--format text|json]   (default: the nearest .testsift/map.json)
      Format, metadata, sources known, tests, edges, bytes per edge, the top 10 sources by
      fan-in (tests that executed them), and the number of files with block data. A merged
      map of several commits lists each commit with its number of tests and their edges.

Warnings go to stderr. Exit codes: 0 success, 2 bad usage or invalid input, 1 unexpected failure.
`;

function usage(sub: string, problem: string): UsageError {
  return new UsageError(`map ${sub}: ${problem}\nRun 'testsift map --help' for usage.`);
}

function warner(io: CliIO): (m: string) => void {
  return (m) => io.stderr(`testsift: warning: ${m}\n`);
}

/** Read every input before writing anything, so a bad one leaves OUT as it was. */
async function readAll(inputs: string[], io: CliIO, root: string, format: MapFormat | 'auto'): Promise<MapRecord[]> {
  const records: MapRecord[] = [];
  for (const input of inputs) records.push(await readMapRecord(resolve(io.cwd, input), { root, format, onWarning: warner(io) }));
  return records;
}

function summary(record: MapRecord): string {
  let edges = 0;
  for (const ids of record.rows.values()) edges += ids.length;
  const commits = record.metadata.recordings ? `, recorded at ${record.metadata.recordings.length} commits` : '';
  return `${record.rows.size + record.unused.size} sources, ${record.tests.length} tests, ${edges} edges${commits}`;
}

async function mergeInto(sub: string, inputs: string[], output: string, io: CliIO, records: MapRecord[], meta: Partial<MapRecord['metadata']> = {}): Promise<number> {
  const { record, warnings } = mergeMapRecords(records, inputs);
  for (const w of warnings) warner(io)(w);
  record.metadata = { ...record.metadata, ...meta };
  await writeCoverageMap(resolve(io.cwd, output), record);
  io.stdout(`${sub === 'merge' ? 'merged' : 'imported'} ${inputs.length} map(s): ${summary(record)} → ${output}\n`);
  return 0;
}

async function merge(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseCommandArgs('map merge', argv, { output: { type: 'string', short: 'o' }, root: { type: 'string' } });
  const output = stringValue(parsed, 'output');
  if (parsed.positionals.length === 0) throw usage('merge', 'give at least one input map');
  if (output === undefined) throw usage('merge', '--output OUT is required');
  const root = resolve(io.cwd, stringValue(parsed, 'root') ?? '.');
  const records = await readAll(parsed.positionals, io, root, 'auto');
  return mergeInto('merge', parsed.positionals, output, io, records);
}

function isoTimestamp(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const t = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || !Number.isFinite(t)) throw usage('import', `--timestamp expects an ISO 8601 date-time, got '${raw}'`);
  return new Date(t).toISOString();
}

async function importMaps(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseCommandArgs('map import', argv, {
    output: { type: 'string', short: 'o' },
    format: { type: 'string' },
    root: { type: 'string' },
    commit: { type: 'string' },
    timestamp: { type: 'string' },
  });
  const output = stringValue(parsed, 'output');
  if (parsed.positionals.length === 0) throw usage('import', 'give at least one input map');
  if (output === undefined) throw usage('import', '--output OUT is required');
  const format = stringValue(parsed, 'format') ?? 'auto';
  if (format !== 'auto' && !MAP_FORMATS.includes(format as MapFormat)) {
    throw usage('import', `--format expects one of auto, ${MAP_FORMATS.join(', ')}; got '${format}'`);
  }
  const commit = stringValue(parsed, 'commit');
  if (commit !== undefined && !/^[0-9a-fA-F]{4,64}$/.test(commit)) throw usage('import', `--commit expects a commit SHA, got '${commit}'`);
  const timestamp = isoTimestamp(stringValue(parsed, 'timestamp'));
  const root = resolve(io.cwd, stringValue(parsed, 'root') ?? '.');
  const records = await readAll(parsed.positionals, io, root, format as MapFormat | 'auto');
  // --commit / --timestamp describe every input: set before merging, so the merge dates all of
  // the map with them (and does not warn about inputs that recorded no commit of their own).
  for (const r of records) {
    if (commit !== undefined) {
      const { recordings: _r, ...rest } = r.metadata;
      r.metadata = { ...rest, commit: commit.toLowerCase() };
      r.recordingTests = undefined;
    }
    if (timestamp !== undefined) r.metadata = { ...r.metadata, timestamp };
  }
  if (commit === undefined && records.every((r) => r.metadata.commit === undefined && !r.metadata.recordings)) {
    warner(io)("no commit recorded in the input and no --commit given: 'detect' cannot tell which files changed since the map was made");
  }
  return mergeInto('import', parsed.positionals, output, io, records, { root });
}

const EXPORT_FORMATS: Record<string, GitlabExportFormat> = { json: 'gitlab-json', 'gitlab-json': 'gitlab-json', 'gitlab-packed': 'gitlab-packed' };

async function exportMap(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseCommandArgs('map export', argv, { output: { type: 'string', short: 'o' }, format: { type: 'string' } });
  if (parsed.positionals.length !== 1) throw usage('export', 'give exactly one map');
  const formatName = stringValue(parsed, 'format') ?? 'json';
  const format = EXPORT_FORMATS[formatName];
  if (!format) throw usage('export', `--format expects json or gitlab-packed, got '${formatName}'`);
  const record = await readMapRecord(resolve(io.cwd, parsed.positionals[0]), { root: io.cwd, onWarning: warner(io) });
  const output = stringValue(parsed, 'output');
  if (output === undefined) {
    for (const piece of gitlabJsonPieces(record, format)) io.stdout(piece);
    return 0;
  }
  const pieces: Buffer[] = [];
  for (const piece of gitlabJsonPieces(record, format)) pieces.push(Buffer.from(piece, 'utf8'));
  const json = Buffer.concat(pieces);
  await writeFileAtomic(resolve(io.cwd, output), output.endsWith('.gz') ? gzipSync(json) : json);
  io.stderr(`exported ${summary(record)} → ${output}\n`);
  return 0;
}

/** Bytes on disk: the file, or every file in a map folder. */
export async function sizeOf(path: string): Promise<number> {
  const st = await fsp.stat(path);
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const e of await fsp.readdir(path, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) total += (await fsp.stat(join(e.parentPath, e.name))).size;
  }
  return total;
}

async function stats(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseCommandArgs('map stats', argv, { format: { type: 'string' } });
  if (parsed.positionals.length > 1) throw usage('stats', 'give at most one map');
  const out = stringValue(parsed, 'format') ?? 'text';
  if (out !== 'text' && out !== 'json') throw usage('stats', `--format expects text or json, got '${out}'`);
  // Without a path: the map detect would read by default (the nearest .testsift/map.json).
  const given = parsed.positionals[0];
  const located = given === undefined ? nearestMap(io.cwd, findRepoRoot(io.cwd) ?? io.cwd) : undefined;
  const path = located ? located.abs : resolve(io.cwd, given!);
  const label = located ? located.label : given!;
  if (located && !existsSync(path)) throw new InputError({ file: label }, 'no coverage map found: give its path, or record one first');
  const format = await detectMapFormat(path);
  const record = await readMapRecord(path, { root: io.cwd, format, onWarning: warner(io) });
  const s = mapStats(label, format, await sizeOf(path), record);
  io.stdout(out === 'json' ? `${JSON.stringify(s, null, 2)}\n` : formatMapStatsText(s));
  return 0;
}

const SUBCOMMANDS: Record<string, (argv: string[], io: CliIO) => Promise<number>> = {
  merge,
  import: importMaps,
  export: exportMap,
  stats,
};

const command: Command = {
  name: 'map',
  summary: 'Coverage maps: merge, import, export, stats',
  help,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    const run = sub === undefined ? undefined : SUBCOMMANDS[sub];
    if (!run) {
      throw new UsageError(
        `testsift map: ${sub === undefined ? 'missing subcommand' : `unknown subcommand '${sub}'`} (expected: merge, import, export, stats)\nRun 'testsift map --help' for usage.`,
      );
    }
    return run(rest, io);
  },
};

export default command;
