import { TestsiftError } from '../errors.js';
import { testsiftVersion } from '../util/version.js';
import type { CliIO, Command } from './command.js';
import detect from './detect.js';
import doctor from './doctor.js';
import init from './init.js';
import map from './map.js';
import report from './report.js';
import run from './run.js';
import shard from './shard.js';
import { fdWriter } from './stdout.js';
import tff from './tff.js';
import timings from './timings.js';
import verifyMapping from './verify-mapping.js';

/** One bundle holds every command (scripts/bundle-cli.mjs), so they are plain imports. */
const COMMANDS: Record<string, { summary: string; command: Command }> = {
  detect: { summary: 'Select the tests a change needs (or decide on the full suite), with reasons', command: detect },
  shard: { summary: 'Split tests over N CI jobs balanced by recorded time', command: shard },
  run: { summary: 'Detect, then run the runner on the selection (sharded by time), passing its exit code through', command: run },
  report: { summary: 'Write a self-contained HTML report: selection with reasons, shard Gantt chart, map statistics', command: report },
  map: { summary: 'Coverage maps: merge, import, export, stats', command: map },
  timings: { summary: 'Timing reports: merge', command: timings },
  tff: { summary: "Drop-in for test_file_finder's CLI: tests for the given paths from tests.yml / a JSON map", command: tff },
  doctor: { summary: 'Check a set-up and say what to fix (exit 1 when something is wrong)', command: doctor },
  init: { summary: 'Set a project up: runner plugin, .gitignore, tests.yml, a CI recipe', command: init },
  'verify-mapping': { summary: 'Check a tests.yml against table-driven cases and lint its regexes', command: verifyMapping },
};

/** `--version`, `-v` and `-V` (the spelling many CLIs use, npm's and git's tools among them). */
export function isVersionFlag(arg: string): boolean {
  return arg === '--version' || arg === '-v' || arg === '-V';
}

/** For `--version`: the package's version, or 0.0.0 when package.json cannot be read. */
export function version(): string {
  return testsiftVersion() || '0.0.0';
}

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: testsift <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    "Run 'testsift <command> --help' (or 'testsift help <command>') for a command's options.",
    'Exit codes: 0 success (a full-suite fallback included), 2 bad usage or invalid input, 1 unexpected failure.',
    '',
  ].join('\n');
}

export function defaultIO(): CliIO {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: fdWriter(1, () => process.stdout),
    stderr: (t) => process.stderr.write(t),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

/** Run the CLI; resolves to the exit code (never throws). */
export async function main(argv: string[], io: CliIO = defaultIO()): Promise<number> {
  const [name, ...rest] = argv;
  // `testsift help detect` is `testsift detect --help`; a bare `help` is the overview.
  if (name === 'help' && rest.length > 0) return main([...rest, '--help'], io);
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name === undefined ? 2 : 0;
  }
  if (isVersionFlag(name)) {
    io.stdout(`${version()}\n`);
    return 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    io.stderr(`testsift: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  try {
    const { command } = entry;
    // Only our own flags: in `testsift run -- jest --help`, the --help is the runner's.
    const own = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
    if (own.includes('--help') || own.includes('-h')) {
      const sub = rest[0] === undefined ? undefined : command.subcommands?.[rest[0]];
      const text = sub ?? command.help;
      io.stdout(text.endsWith('\n') ? text : `${text}\n`);
      return 0;
    }
    return await command.run(rest, io);
  } catch (err) {
    return reportError(err, io);
  }
}

export function reportError(err: unknown, io: CliIO): number {
  if (err instanceof TestsiftError) {
    io.stderr(`testsift: ${err.message}\n`);
    return err.exitCode;
  }
  const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
  io.stderr(`testsift: unexpected error: ${detail}\n`);
  return 1;
}
