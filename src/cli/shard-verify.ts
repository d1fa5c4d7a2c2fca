import { promises as fsp } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import { parseTestList, readPlanFile } from '../sharding/index.js';
import { ranFiles, type RanFiles } from '../sharding/verify/report-files.js';
import { verifyRuns } from '../sharding/verify/verify.js';
import { relativeTo } from '../util/paths.js';
import { parseCommandArgs, stringValue } from './args.js';
import type { CliIO } from './command.js';
import { VERIFY_FAILED_EXIT } from './shard-verify-help.js';

/** Lines of a list shown before the rest is only counted. */
const SHOWN = 50;

async function readText(file: string, what: string): Promise<string> {
  try {
    return await fsp.readFile(file, 'utf8');
  } catch (err) {
    throw new InputError({ file }, `cannot read the ${what}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
}

export async function runVerify(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseCommandArgs('shard verify', argv, {
    plan: { type: 'string' },
    tests: { type: 'string' },
    root: { type: 'string' },
  });
  const planArg = stringValue(parsed, 'plan');
  const testsArg = stringValue(parsed, 'tests');
  if ((planArg === undefined) === (testsArg === undefined)) {
    throw new UsageError("shard verify: give the selected tests with either --plan FILE or --tests FILE\nRun 'testsift shard verify --help' for usage.");
  }
  if (parsed.positionals.length === 0) {
    throw new UsageError("shard verify: give the jobs' reports (JUnit XML or jest/vitest JSON)\nRun 'testsift shard verify --help' for usage.");
  }

  let selected: string[];
  let shardOf: Map<string, number> | undefined;
  if (planArg !== undefined) {
    const loaded = await readPlanFile(resolve(io.cwd, planArg));
    selected = [...loaded.shardOf.keys()];
    shardOf = loaded.shardOf;
  } else {
    const text = testsArg === '-' ? await io.readStdin() : await readText(resolve(io.cwd, testsArg!), '--tests list');
    selected = parseTestList(testsArg === '-' ? '<stdin>' : testsArg!, text).tests.map((t) => relativeTo(io.cwd, t));
  }
  const selectedSet = new Set(selected);
  const base = { cwd: io.cwd, root: resolve(io.cwd, stringValue(parsed, 'root') ?? '.') };

  // The same report named twice (a glob and a path) would make every test in it look duplicated.
  const files: string[] = [];
  for (const f of parsed.positionals) {
    if (files.some((g) => resolve(io.cwd, g) === resolve(io.cwd, f))) io.stderr(`testsift shard verify: warning: ${f} given twice; read once\n`);
    else files.push(f);
  }
  const reports: Array<{ file: string; ran: RanFiles }> = [];
  for (const f of files) reports.push({ file: f, ran: ranFiles(f, await readText(resolve(io.cwd, f), 'report'), selectedSet, base) });

  const r = verifyRuns(selected, reports);
  const lines: string[] = [];
  const list = <T>(items: T[], show: (x: T) => string): void => {
    for (const x of items.slice(0, SHOWN)) lines.push(`  ${show(x)}`);
    if (items.length > SHOWN) lines.push(`  … and ${items.length - SHOWN} more`);
  };
  const head = `${r.selected} selected test file(s), ${reports.length} report(s)`;
  if (r.ok) lines.push(`testsift shard verify: ${head}: every selected test ran exactly once`);
  else {
    lines.push(`testsift shard verify: FAILED: ${head}: ${r.missing.length} ran in no job, ${r.duplicated.length} ran in more than one`);
    if (r.missing.length > 0) {
      lines.push('missing (selected, in no report):');
      list(r.missing, (t) => (shardOf ? `${t}  (plan: shard ${shardOf.get(t)})` : t));
    }
    if (r.duplicated.length > 0) {
      lines.push('ran more than once:');
      list(r.duplicated, (d) => `${d.test}  in ${d.reports.join(', ')}`);
    }
  }
  if (r.unexpected.length > 0) {
    lines.push(`not selected but run (extra work, not an error): ${r.unexpected.length}`);
    list(r.unexpected, (d) => `${d.test}  in ${d.reports.join(', ')}`);
  }
  for (const u of r.unattributed) lines.push(`${u.report}: ${u.count} test case(s) name no selected file`);
  if (r.missing.length > 0 && r.missing.length === r.selected && reports.some((x) => x.ran.unexpected.size > 0 || x.ran.unattributed > 0)) {
    lines.push('hint: no name in the reports matched a selected test: are they relative to another folder? (see --root)');
  }
  io.stdout(`${lines.join('\n')}\n`);
  return r.ok ? 0 : VERIFY_FAILED_EXIT;
}
