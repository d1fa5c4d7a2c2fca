import { appendFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { detectTests } from '../detect.js';
import { UsageError } from '../errors.js';
import { DEFAULT_EXPLAIN_LIMIT, selectionExplain, selectionJson, selectionList } from '../outputs/index.js';
import { selectionMarkdown } from '../outputs/markdown.js';
import { summarize } from '../outputs/summary.js';
import { writeFileAtomic } from '../util/fs.js';
import { MAX_SHARDS } from '../sharding/allocate.js';
import { flag, intValue, parseCommandArgs, stringList, stringValue } from './args.js';
import type { Command } from './command.js';
import { DETECT_INPUT_HELP, DETECT_INPUT_OPTIONS, detectOptionsFrom, detectTimings, withWarnings } from './detect-options.js';

const FORMATS = ['list', 'json', 'explain', 'markdown'];

const help = `Usage: testsift detect [options]
       detect-tests [options]        (the CI job wrapper: see --ci)

Select the test files a change needs, with the reason for each, or decide that the full suite
must run and say why. Changes come from git (merge-base(base, head)..head) or from a file list.

${DETECT_INPUT_HELP}
Output:
  --format list|json|explain|markdown
                           list: one test a line (the whole universe in full mode; default);
                           json: the selection object (with a "summary": counts, time estimate);
                           explain: readable, with reasons; markdown: for a merge-request comment
                           or GitHub's step summary (counts, full-suite reasons, changed file →
                           tests table, the rest under <details>)
  --output FILE            Write the output to FILE (atomically) instead of stdout
  --ci                     CI defaults (what detect-tests uses): --deepen 3, JSON to
                           .testsift/detect.json, the list to .testsift/tests.txt, markdown to
                           .testsift/summary.md (appended to $GITHUB_STEP_SUMMARY when set),
                           explain on stdout
  --list-output FILE       Also write the plain list to FILE (atomically)
  -z, --null               list: NUL-terminated paths instead of one a line (as git -z), for
                           paths with a line break (without -z such a path is an error, exit 2).
                           TESTSIFT_SELECT and shard --tests read NUL-separated lists too.
  --markdown-output FILE   Also write the markdown summary to FILE (atomically)
  --explain-limit N        explain, markdown: tests shown per changed file, the rest counted or
                           collapsed (default 20; 0: all). JSON always has every test.

Every run prints a summary line on stderr (explain on stdout starts with it instead), e.g.
  testsift: selective, 3 of 8 test files (38%) for 2 changed files; est. 0.4 s of 1.5 s
The estimate sums the timing report's times (a test without one: its folder's median).
Sharding (one split for every CI job; see 'testsift shard --help'):
  --shards N               Also split the selected tests (the universe in full mode) into N shards
                           and write the plan the jobs take their part from (TESTSIFT_SHARD_PLAN or
                           'testsift shard --from-plan'), with the digest of its inputs; balanced by
                           --timings (unreadable: a warning, and the plan is split by test count)
  --write-plan FILE        Where the plan goes (default .testsift/shard-plan.json)

Exit codes: 0 success, including a full-suite fallback (check "mode" in the JSON or the list);
            2 bad usage or invalid input (tests.yml, unknown ref); 1 unexpected failure.
A missing, corrupt or stale coverage map is not an error: the full suite runs, with the reason.
`;

const command: Command = {
  name: 'detect',
  summary: 'Select the tests a change needs',
  help,
  async run(argv, io) {
    const a = parseCommandArgs(
      'detect',
      argv,
      {
        ...DETECT_INPUT_OPTIONS,
        format: { type: 'string' },
        output: { type: 'string' },
        'list-output': { type: 'string' },
        'markdown-output': { type: 'string' },
        'explain-limit': { type: 'string' },
        ci: { type: 'boolean' },
        shards: { type: 'string' },
        'write-plan': { type: 'string' },
        null: { type: 'boolean', short: 'z' },
      },
      false,
    );
    const ci = flag(a, 'ci');
    const format = stringValue(a, 'format') ?? (ci ? 'explain' : 'list');
    if (!FORMATS.includes(format)) throw new UsageError(`detect: --format must be list, json, explain or markdown, got '${format}'`);
    const shards = intValue('detect', 'shards', stringValue(a, 'shards'));
    if (shards !== undefined && shards > MAX_SHARDS) throw new UsageError(`detect: --shards expects at most ${MAX_SHARDS}, got ${shards}`);
    if (shards === undefined && stringValue(a, 'write-plan') !== undefined) {
      throw new UsageError("detect: --write-plan is for the shard plan: give --shards N too\nRun 'testsift detect --help' for usage.");
    }
    const opts = await detectOptionsFrom('detect', a, io, ci ? 3 : 0);
    const cwd = opts.cwd!;
    const result = await detectTests(opts);

    const warnings = [...result.warnings];
    const timings = await detectTimings(a, cwd, warnings);
    const summary = summarize(result, timings);
    for (const w of warnings) io.stderr(`testsift: warning: ${w}\n`);
    if (result.mode === 'full' && format !== 'explain') {
      for (const r of result.reasons) io.stderr(`testsift: full suite: ${r}\n`);
    }

    const output = stringValue(a, 'output') ?? (ci ? '.testsift/detect.json' : undefined);
    const jsonOutput = output && ci && !stringValue(a, 'format') ? output : undefined;
    const explainLimit = intValue('detect', 'explain-limit', stringValue(a, 'explain-limit'), 0) ?? DEFAULT_EXPLAIN_LIMIT;
    const shown = withWarnings(result, warnings);
    const markdown = () => selectionMarkdown(shown, { limit: explainLimit, jsonPath: jsonOutput, summary });
    const nul = flag(a, 'null');
    const list = () => selectionList(result, { nul });
    const renderers: Record<string, () => string> = {
      list,
      json: () => selectionJson(shown, { summary }),
      explain: () => selectionExplain(shown, { limit: explainLimit, jsonPath: jsonOutput, summary }),
      markdown,
    };
    const render = renderers[format]!;
    const listOutput = stringValue(a, 'list-output') ?? (ci ? '.testsift/tests.txt' : undefined);
    const markdownOutput = stringValue(a, 'markdown-output') ?? (ci ? '.testsift/summary.md' : undefined);
    const toStdout = !output || ci;
    // Rendered before anything is written: a list that cannot be written leaves no output at all.
    const outputText = output ? (jsonOutput ? selectionJson(shown, { summary }) : render()) : undefined;
    const listText = listOutput ? list() : undefined;
    const stdoutText = toStdout ? render() : undefined;
    // In CI mode the file is the machine-readable artifact; the log gets the explanation.
    if (output) await writeFileAtomic(resolve(cwd, output), outputText!);
    if (listOutput) await writeFileAtomic(resolve(cwd, listOutput), listText!);
    if (shards !== undefined) {
      // Loaded only when asked: detect without --shards does not pay for the sharding code.
      const { writeDetectPlan } = await import('./detect-plan.js');
      await writeDetectPlan(result, { cwd, shards, timings: stringList(a, 'timings'), output: stringValue(a, 'write-plan'), io });
    }
    if (markdownOutput) {
      const text = markdown();
      await writeFileAtomic(resolve(cwd, markdownOutput), text);
      // GitHub Actions shows what a step appends to this file on the run's page.
      const stepSummary = ci ? io.env.GITHUB_STEP_SUMMARY : undefined;
      if (stepSummary) {
        // Only a report for people rides on it: a failed append is a warning, not a failed job.
        await appendFile(stepSummary, `${text}\n`).catch((err: NodeJS.ErrnoException) =>
          io.stderr(`testsift: warning: cannot append to $GITHUB_STEP_SUMMARY (${stepSummary}): ${err.code ?? err.message}\n`),
        );
      }
    }
    // The summary line goes to stderr whatever the format, so stdout stays what its consumers
    // parse; explain on stdout starts with the same line, so it is not printed twice. After the
    // files: a run that failed to write them ends with the error, not with a summary.
    if (!(toStdout && format === 'explain')) io.stderr(`${summary.text}\n`);
    if (stdoutText !== undefined) io.stdout(stdoutText);
    return 0;
  },
};
export default command;
