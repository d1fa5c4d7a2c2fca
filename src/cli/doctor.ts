import { relative, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { DEFAULT_RUNNER_TIMEOUT_MS, runDoctor, type CheckResult, type DoctorReport } from '../setup/doctor/index.js';
import { toPosix } from '../util/paths.js';
import { flag, numberValue, parseCommandArgs, stringValue } from './args.js';
import type { Command } from './command.js';

const help = `Usage: testsift doctor [--root DIR] [--config FILE] [--base REF] [--no-runner]
                       [--runner-timeout S] [--format text|json]

Check a testsift set-up and say what to fix, one line per check (ok / warn / FAIL / info):
  plugin     the Vitest plugin (testsift/vitest in vitest.config.* / vite.config.*) or the Jest
             hooks (withTestsift, or the reporter/filter/sequencer/setup names) are configured.
             Read as text, the config is not run. A jest.config.* next to a package.json "jest"
             key is a FAIL: Jest refuses to start ("Multiple configurations found").
  config     tests.yml (the nearest from here up to the repository root) loads cleanly.
  map        the coverage map detect would read is present and readable, its commit is known
             and in this clone; its age.
  freshness  detect would trust it against the diff base (the base detect would pick, or --base).
  universe   detect's test universe (tests.yml tests:, else the defaults) holds exactly the files
             the runner runs: 'vitest list --filesOnly' / 'jest --listTests' is run in the project
             (files only one side has are listed).
  gitignore  .testsift/ is ignored by git (and nothing in it is tracked).
  timings    .testsift/timings.json exists for sharding (else estimates: a warning).
  ci         the CI variables testsift reads that are set, with their values (secrets hidden).

Options:
  --root DIR           Check as if started in DIR (like git -C)
  --config FILE        tests.yml to check (default: the nearest from here up to the repository root)
  --base REF           Diff base for the freshness check (default: as detect picks it)
  --no-runner          Do not run the runner to list its tests (the universe check warns)
  --runner-timeout S   Give the runner's listing at most S seconds (default ${DEFAULT_RUNNER_TIMEOUT_MS / 1000})
  --format text|json   json: {"project", "checks": [{check, status, message, fix?, details?}],
                       "problems", "warnings"}

Exit codes: 0 no problem (warnings allowed), 1 problems found (any FAIL), 2 bad usage.
`;

const command: Command = {
  name: 'doctor',
  summary: 'Check a set-up and say what to fix',
  help,
  async run(argv, io) {
    const a = parseCommandArgs(
      'doctor',
      argv,
      {
        root: { type: 'string' },
        config: { type: 'string' },
        base: { type: 'string' },
        'no-runner': { type: 'boolean' },
        'runner-timeout': { type: 'string' },
        format: { type: 'string' },
      },
      false,
    );
    const format = stringValue(a, 'format') ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`doctor: --format must be text or json, got '${format}'`);
    const timeout = numberValue('doctor', 'runner-timeout', stringValue(a, 'runner-timeout'), 1);
    const cwd = resolve(io.cwd, stringValue(a, 'root') ?? '.');
    const config = stringValue(a, 'config');
    const report = await runDoctor({
      cwd,
      config: config === undefined ? undefined : resolve(io.cwd, config),
      base: stringValue(a, 'base'),
      runRunner: !flag(a, 'no-runner'),
      runnerTimeoutMs: timeout === undefined ? undefined : timeout * 1000,
      env: io.env,
    });
    io.stdout(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderText(report, io.cwd));
    return report.problems > 0 ? 1 : 0;
  },
};
export default command;

const STATUS_WIDTH = 4;

function renderText(r: DoctorReport, cwd: string): string {
  const width = Math.max(...r.checks.map((c) => c.check.length));
  const indent = ' '.repeat(STATUS_WIDTH + 2 + width + 2);
  const lines = [`testsift doctor: ${toPosix(relative(cwd, r.project)) || '.'}`];
  for (const c of r.checks) lines.push(...renderCheck(c, width, indent));
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  lines.push(
    r.problems > 0
      ? `${plural(r.problems, 'problem')}, ${plural(r.warnings, 'warning')}: fix the FAIL lines`
      : r.warnings > 0
        ? `no problem, ${plural(r.warnings, 'warning')}`
        : 'no problem found',
  );
  return `${lines.join('\n')}\n`;
}

function renderCheck(c: CheckResult, width: number, indent: string): string[] {
  const out = [`${c.status.padEnd(STATUS_WIDTH)}  ${c.check.padEnd(width)}  ${c.message}`];
  for (const d of c.details ?? []) out.push(`${indent}- ${d}`);
  if (c.fix) {
    const [first, ...rest] = c.fix.split('\n');
    out.push(`${indent}fix: ${first}`);
    for (const l of rest) out.push(`${indent}     ${l}`);
  }
  return out;
}
