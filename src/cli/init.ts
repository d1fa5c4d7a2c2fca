import { relative, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { runInit, type InitReport } from '../setup/init/index.js';
import { toPosix } from '../util/paths.js';
import { flag, parseCommandArgs, stringValue } from './args.js';
import type { Command } from './command.js';

const help = `Usage: testsift init [--root DIR] [--ci github|gitlab|none] [--force] [--format text|json]

Set a project up for testsift, and print every file created or changed:
  - Vitest: adds import testsift from 'testsift/vitest' and testsift() to the plugins of
    defineConfig({ … }) in vitest.config.* (or vite.config.*), by a careful textual edit; a
    config of another shape is not edited: the lines to add are printed. Creates
    vitest.config.ts when vitest is a dependency and there is no config.
  - Jest: prints what to add (withTestsift for a JS config; the hook names for a package.json
    "jest" key). Jest configs are not edited.
  - .gitignore: adds .testsift/ unless git already ignores it.
  - tests.yml: a commented starter whose tests: match the runner's default test files (skipped
    when a tests.yml is found from here up to the repository root).
  - A CI recipe: .github/workflows/testsift.yml when .github/ exists, or
    .gitlab/ci/testsift.gitlab-ci.yml (to include: from your .gitlab-ci.yml, which is not
    edited) when .gitlab-ci.yml does. It records the map on the default branch and runs
    'npx detect-tests' and the selection, sharded by time, on merge requests.

Running it again changes nothing and says so. An existing file is never replaced without --force.

Options:
  --root DIR              Set up the project in DIR (like git -C)
  --ci github|gitlab|none Which CI recipe to write (default: the CI found; none: no recipe)
  --force                 Overwrite an existing tests.yml or CI recipe that differs from the starter
  --format text|json      json: {"project", "runners", "steps": [{file, action, note, snippet?}]}

Then: record a map (TESTSIFT_RECORD=1 npx vitest run) and check with 'testsift doctor'.
Exit codes: 0 done (including "add this by hand" notes), 2 bad usage, 1 unexpected failure.
`;

const command: Command = {
  name: 'init',
  summary: 'Set a project up for testsift',
  help,
  async run(argv, io) {
    const a = parseCommandArgs('init', argv, { root: { type: 'string' }, ci: { type: 'string' }, force: { type: 'boolean' }, format: { type: 'string' } }, false);
    const ci = stringValue(a, 'ci');
    if (ci !== undefined && ci !== 'github' && ci !== 'gitlab' && ci !== 'none') throw new UsageError(`init: --ci must be github, gitlab or none, got '${ci}'`);
    const format = stringValue(a, 'format') ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`init: --format must be text or json, got '${format}'`);
    const report = await runInit({ cwd: resolve(io.cwd, stringValue(a, 'root') ?? '.'), ci, force: flag(a, 'force') });
    io.stdout(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderText(report, io.cwd));
    return 0;
  },
};
export default command;

function renderText(r: InitReport, cwd: string): string {
  const width = Math.max(...r.steps.map((s) => s.file.length));
  const lines = [`testsift init: ${toPosix(relative(cwd, r.project)) || '.'} (${r.runners.length ? r.runners.join(', ') : 'no runner found'})`];
  for (const s of r.steps) {
    lines.push(`${(s.action === 'manual' ? 'by hand' : s.action).padEnd(9)} ${s.file.padEnd(width)}  ${s.note}`);
    if (s.snippet) lines.push('', ...s.snippet.split('\n').map((l) => (l ? `    ${l}` : '')), '');
  }
  const changed = r.steps.filter((s) => s.action === 'created' || s.action === 'changed').length;
  const manual = r.steps.filter((s) => s.action === 'manual').length;
  if (changed === 0 && manual === 0) lines.push('nothing to change: already set up');
  else if (changed === 0) lines.push(`nothing changed; ${manual} step(s) to do by hand (above)`);
  else lines.push(`${changed} file(s) created or changed${manual ? `; ${manual} step(s) to do by hand (above)` : ''}`);
  const record = r.runners[0] === 'jest' ? 'TESTSIFT_RECORD=1 npx jest' : 'TESTSIFT_RECORD=1 npx vitest run';
  lines.push(`next: ${record}, then: npx testsift doctor`);
  return `${lines.join('\n')}\n`;
}
