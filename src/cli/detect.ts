import { resolve } from 'node:path';
import { detectTests, type DetectOptions, type DetectResult } from '../detect.js';
import { UsageError } from '../errors.js';
import { DEFAULT_EXPLAIN_LIMIT, selectionExplain, selectionJson, selectionList } from '../outputs/index.js';
import { writeFileAtomic } from '../util/fs.js';
import { flag, intValue, parseCommandArgs, stringList, stringValue } from './args.js';
import type { Command } from './command.js';

const help = `Usage: testsift detect [options]
       detect-tests [options]        (the CI job wrapper: see --ci)

Select the test files a change needs, with the reason for each, or decide that the full suite
must run and say why. Changes come from git (merge-base(base, head)..head) or from a file list.

Changes:
  --base REF               Diff base (default: CI_MERGE_REQUEST_DIFF_BASE_SHA, origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME,
                           origin/$GITHUB_BASE_REF, then origin/HEAD, origin/main, origin/master, main, master)
  --head REF               Diff head (default: HEAD)
  --include-uncommitted    Also staged, unstaged and untracked files
  --changed-files FILE|-   Changed paths, one a line (as a CI job writes them); '-' reads stdin.
                           Replaces git as the source of changes.
  --label NAME             A merge-request label (repeatable; also CI_MERGE_REQUEST_LABELS,
                           TESTSIFT_LABELS, GitHub pull_request labels)
  --deepen N               In a shallow clone, deepen up to N times to find the merge-base
                           (default 0; 3 with --ci)
Mappings:
  --config FILE            tests.yml (default: ./tests.yml if present, else built-in defaults)
  --mapping FILE           A further tests.yml (repeatable; rules concatenate)
  --coverage-map PATH      Coverage map (repeatable; any supported format). Default: coverage_map
                           from tests.yml (.testsift/map.json). 'none': select without a map.
  --previous-failures XML  JUnit XML of a previous run: its failed tests run again (repeatable)
  --granularity file|block Use block-level map data where recorded (default: file)
Output:
  --format list|json|explain   list: one test a line (the whole universe in full mode; default);
                               json: the selection object; explain: readable, with reasons
  --output FILE            Write the output to FILE (atomically) instead of stdout
  --ci                     CI defaults (what detect-tests uses): --deepen 3, JSON to
                           .testsift/detect.json, the list to .testsift/tests.txt, explain on stdout
  --list-output FILE       Also write the plain list to FILE (atomically)
  -z, --null               list: NUL-terminated paths instead of one a line (as git -z), for
                           paths with a line break (without -z such a path is an error, exit 2).
                           TESTSIFT_SELECT and shard --tests read NUL-separated lists too.
  --explain-limit N        explain: tests shown per changed file, the rest counted (default 20;
                           0: all). The JSON output always has every test with its reasons.
  --root DIR               Run as if started in DIR

Exit codes: 0 success, including a full-suite fallback (check "mode" in the JSON or the list);
            2 bad usage or invalid input (tests.yml, unknown ref); 1 unexpected failure.
A missing, corrupt or stale coverage map is not an error: the full suite runs, with the reason.
`;

const command: Command = {
  name: 'detect',
  summary: 'Select the tests a change needs',
  help,
  async run(argv, io) {
    const a = parseCommandArgs('detect', argv, {
      base: { type: 'string' },
      head: { type: 'string' },
      'include-uncommitted': { type: 'boolean' },
      'changed-files': { type: 'string' },
      label: { type: 'string', multiple: true },
      deepen: { type: 'string' },
      config: { type: 'string' },
      mapping: { type: 'string', multiple: true },
      'coverage-map': { type: 'string', multiple: true },
      'previous-failures': { type: 'string', multiple: true },
      granularity: { type: 'string' },
      format: { type: 'string' },
      output: { type: 'string' },
      'list-output': { type: 'string' },
      'explain-limit': { type: 'string' },
      ci: { type: 'boolean' },
      null: { type: 'boolean', short: 'z' },
      root: { type: 'string' },
    }, false);
    const ci = flag(a, 'ci');
    const cwd = resolve(io.cwd, stringValue(a, 'root') ?? '.');
    const format = stringValue(a, 'format') ?? (ci ? 'explain' : 'list');
    if (!['list', 'json', 'explain'].includes(format)) throw new UsageError(`detect: --format must be list, json or explain, got '${format}'`);
    const granularity = stringValue(a, 'granularity') ?? 'file';
    if (granularity !== 'file' && granularity !== 'block') throw new UsageError(`detect: --granularity must be file or block, got '${granularity}'`);

    const changedFiles = stringValue(a, 'changed-files');
    const configs = [...(stringValue(a, 'config') ? [stringValue(a, 'config')!] : []), ...stringList(a, 'mapping')];
    const opts: DetectOptions = {
      cwd,
      base: stringValue(a, 'base'),
      head: stringValue(a, 'head'),
      includeUncommitted: flag(a, 'include-uncommitted'),
      changedFiles: changedFiles === undefined ? undefined : changedFiles === '-' ? '-' : resolve(cwd, changedFiles),
      stdinText: changedFiles === '-' ? await io.readStdin() : undefined,
      labels: stringList(a, 'label'),
      config: configs.length > 0 ? configs : undefined,
      coverageMap: stringList(a, 'coverage-map').length > 0 ? stringList(a, 'coverage-map') : undefined,
      previousFailures: stringList(a, 'previous-failures').map((p) => resolve(cwd, p)),
      granularity,
      deepen: intValue('detect', 'deepen', stringValue(a, 'deepen'), 0) ?? (ci ? 3 : 0),
      env: io.env,
    };
    const result = await detectTests(opts);

    for (const w of result.warnings) io.stderr(`testsift: warning: ${w}\n`);
    if (result.mode === 'full' && format !== 'explain') {
      for (const r of result.reasons) io.stderr(`testsift: full suite: ${r}\n`);
    }

    const output = stringValue(a, 'output') ?? (ci ? '.testsift/detect.json' : undefined);
    const jsonOutput = output && ci && !stringValue(a, 'format') ? output : undefined;
    const explainLimit = intValue('detect', 'explain-limit', stringValue(a, 'explain-limit'), 0) ?? DEFAULT_EXPLAIN_LIMIT;
    const explain = (r: DetectResult) => selectionExplain(r, { limit: explainLimit, jsonPath: jsonOutput });
    const nul = flag(a, 'null');
    const list = (r: DetectResult) => selectionList(r, { nul });
    const render = format === 'json' ? selectionJson : format === 'explain' ? explain : list;
    const listOutput = stringValue(a, 'list-output') ?? (ci ? '.testsift/tests.txt' : undefined);
    // Rendered before anything is written: a list that cannot be written leaves no output at all.
    const outputText = output ? (jsonOutput ? selectionJson(result) : render(result)) : undefined;
    const listText = listOutput ? list(result) : undefined;
    const stdoutText = !output || ci ? render(result) : undefined;
    if (output) {
      // In CI mode the file is the machine-readable artifact; the log gets the explanation.
      await writeFileAtomic(resolve(cwd, output), outputText!);
    }
    if (listOutput) await writeFileAtomic(resolve(cwd, listOutput), listText!);
    if (stdoutText !== undefined) io.stdout(stdoutText);
    return 0;
  },
};
export default command;
