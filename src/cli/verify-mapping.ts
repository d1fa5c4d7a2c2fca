import { resolve } from 'node:path';
import { loadConfig } from '../config/index.js';
import { UsageError } from '../errors.js';
import { readCases, runCases } from '../mappings/static/cases.js';
import { isRiskyRule, lintMapping } from '../mappings/static/lint.js';
import { nonTestFindings } from '../mappings/static/non-tests.js';
import { testMatcher } from '../detect.js';
import { staleFindings } from '../mappings/static/stale.js';
import { createFileIndex } from '../util/files.js';
import { flag, parseCommandArgs, stringValue } from './args.js';
import type { Command } from './command.js';

const HELP = `Usage: testsift verify-mapping TESTS_YML [--cases FILE] [--root DIR] [--stale]

Check a tests.yml: load and validate it, lint its source regexes, and (with --cases) run
table-driven cases against the files under --root (default: the current directory).

Lint findings:
  - a source whose extension dot is unescaped, e.g. 'app/(.+).rb' (the '.' matches any
    character): suggests 'app/(.+)\\.rb'
  - a top-level '|' in a source: tff anchors it as ^a|b$ ("starts with a OR ends with b")
  - a source that can take exponential time on a crafted path: a repeat inside a repeat that
    can match the same characters ('(a+)+', '(.*)*', '(?:.+/)*') or a repeated alternation
    whose branches overlap ('(a|a)*'); detect does not run such a rule (the full suite runs)
  - NOT-A-TEST: a test template that, for some file of the tree, names an existing file that
    is not a test of the universe (the tests: globs; defaults if absent), e.g. the helper
    'test/a.ts' where 'test/a.test.ts' was meant: detect selects nothing for such a change

Cases file (YAML), a list of:
  - changed: src/a.ts            # a path or a list of paths
    expected: [test/a.test.ts]   # the exact set of tests the mapping must select ([] for none)
    explanation: why             # optional, printed when the case fails

  --cases FILE   the cases file
  --root DIR     where test files are looked up (default: current directory)
  --stale        also report sources that match no file under --root and fixed tests
                 (no %{…}/%s) that do not exist or whose glob matches nothing
  -h, --help     this help

Exit codes (for CI): 0 valid, lint-clean and every case passes; 1 a case failed or the lint
(or --stale) found something; 2 bad usage or an invalid tests.yml / cases file (the
message names the file and line).
`;

const command: Command = {
  name: 'verify-mapping',
  summary: 'Check a tests.yml against table-driven cases and lint its regexes',
  help: HELP,
  async run(argv, io) {
    const parsed = parseCommandArgs('verify-mapping', argv, {
      cases: { type: 'string' },
      root: { type: 'string' },
      stale: { type: 'boolean' },
    });
    if (parsed.positionals.length !== 1) {
      throw new UsageError(`testsift verify-mapping: expected exactly one tests.yml, got ${parsed.positionals.length}\nRun 'testsift verify-mapping --help' for usage.`);
    }
    const root = resolve(io.cwd, stringValue(parsed, 'root') ?? '.');
    // Mapping and cases paths are as the user typed them, relative to the cwd.
    const config = await loadConfig(parsed.positionals[0], { root: io.cwd });
    for (const w of config.warnings ?? []) io.stderr(`testsift verify-mapping: warning: ${w}\n`);
    const casesPath = stringValue(parsed, 'cases');
    const cases = casesPath ? readCases(casesPath, io.cwd) : [];

    let problems = 0;
    const findings = lintMapping(config.mapping);
    for (const f of findings) {
      io.stdout(`LINT ${f.file}:${f.line}: source '${f.source}': ${f.message}${f.suggestion ? `; suggested: '${f.suggestion}'` : ''}\n`);
      problems++;
    }

    const files = createFileIndex(root);
    const isTest = testMatcher(config);
    for (const f of nonTestFindings(config.mapping, files, isTest, isRiskyRule)) {
      io.stdout(`NOT-A-TEST ${f.file}:${f.line}: source '${f.source}': ${f.message}\n`);
      problems++;
    }
    if (flag(parsed, 'stale')) {
      for (const f of staleFindings(config.mapping, files)) {
        io.stdout(`STALE ${f.file}:${f.line}: source '${f.source}': ${f.message}\n`);
        problems++;
      }
    }

    if (casesPath) {
      const results = runCases(config.mapping, cases, files, isTest);
      let passed = 0;
      for (const r of results) {
        if (r.ok) {
          passed++;
          continue;
        }
        problems++;
        const lines = [`FAIL ${r.case.file}:${r.case.line}${r.case.explanation ? ` ${r.case.explanation}` : ''}`];
        lines.push(`  changed:    ${r.case.changed.join(', ')}`);
        if (r.missing.length) lines.push(`  missing:    ${r.missing.join(', ')}`);
        if (r.unexpected.length) lines.push(`  unexpected: ${r.unexpected.join(', ')}`);
        io.stdout(`${lines.join('\n')}\n`);
      }
      io.stdout(`${passed}/${results.length} cases passed\n`);
    }
    io.stdout(`${config.files.join(', ')}: ${config.mapping.length} rules, ${findings.length} lint finding(s)${problems ? '' : ', OK'}\n`);
    return problems > 0 ? 1 : 0;
  },
};
export default command;
