import { statSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config/index.js';
import type { MappingRule } from '../config/types.js';
import { UsageError } from '../errors.js';
import { DEFAULT_RAILS_MAPPING } from '../mappings/static/default-rails.js';
import { readDirectJson } from '../mappings/static/direct-json.js';
import { matchStatic } from '../mappings/static/index.js';
import { createFileIndex, type FileIndex } from '../util/files.js';
import { relativeTo } from '../util/paths.js';
import { parseCommandArgs, stringList, stringValue } from './args.js';
import type { Command } from './command.js';

const HELP = `Usage: testsift tff [-f|--mapping-file FILE]... [--yaml FILE]... [--json MAP]... [PATH...]

Drop-in for test_file_finder's \`tff\`: print the test files for the changed PATHs, one a line.

  -f, --mapping-file FILE   a tests.yml mapping (repeatable; rules concatenate)
      --yaml FILE           same as -f
      --json MAP            a direct JSON map {"src": ["test", ...]} (exact path lookup;
                            repeatable). With -f too, results are the union.
  -h, --help                this help

Without -f/--yaml/--json, tff's default Rails mapping is used (app/X.rb -> spec/X_spec.rb,
lib/X.rb -> spec/lib/X_spec.rb, spec/X_spec.rb -> itself), like tff. A tests.yml in the
current directory is NOT picked up automatically (tff does not either): pass -f tests.yml.

PATHs come from the arguments or, when there are none and stdin is not a terminal, from stdin
(one a line; a single line is split on whitespace, as GitLab's changed-files lists are):
  git diff --name-only main... | testsift tff -f tests.yml

Differences from tff, on purpose: output is sorted and de-duplicated; only files are printed
(tff also prints directories its globs hit); glob characters inside a changed path are taken
literally (tff would glob them); leading ./ and absolute paths are made relative to the current
directory. Test files are looked up under the current directory.

Exit codes: 0 success (also when nothing matches), 2 bad usage or invalid mapping (the message
names file, line and problem), 1 unexpected failure.
`;

/** Changed paths from stdin: several lines → one path a line; one line → whitespace-separated. */
function pathsFromText(text: string): string[] {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length === 1) return lines[0]!.split(/\s+/);
  return lines;
}

/** Existence by stat (no tree walk for the common case); globs walk the tree once, lazily. */
function lazyIndex(root: string): FileIndex {
  const walked = createFileIndex(root);
  return {
    root,
    exists(p) {
      try {
        return statSync(join(root, p)).isFile();
      } catch {
        return false;
      }
    },
    glob: (pattern) => walked.glob(pattern),
    under: (dirs) => walked.under(dirs),
    all: () => walked.all(),
  };
}

const command: Command = {
  name: 'tff',
  summary: "Drop-in for test_file_finder's CLI: tests for the given paths from tests.yml / a JSON map",
  help: HELP,
  async run(argv, io) {
    const parsed = parseCommandArgs('tff', argv, {
      'mapping-file': { type: 'string', short: 'f', multiple: true },
      yaml: { type: 'string', multiple: true },
      json: { type: 'string', multiple: true },
      'project-path': { type: 'string' },
      'merge-request-iid': { type: 'string' },
    });
    if (stringValue(parsed, 'project-path') !== undefined || stringValue(parsed, 'merge-request-iid') !== undefined) {
      throw new UsageError(
        'testsift tff: --project-path/--merge-request-iid (failed specs from a GitLab MR over the network) are not supported; ' +
          "use 'testsift detect --previous-failures junit.xml' instead",
      );
    }
    const yamlFiles = [...stringList(parsed, 'mapping-file'), ...stringList(parsed, 'yaml')];
    const jsonFiles = stringList(parsed, 'json');

    let raw = parsed.positionals;
    if (raw.length === 0 && !process.stdin.isTTY) raw = pathsFromText(await io.readStdin());
    const paths = [...new Set(raw.filter(Boolean).map((p) => relativeTo(io.cwd, p)))];

    let rules: readonly MappingRule[] = [];
    if (yamlFiles.length > 0) {
      const config = await loadConfig(yamlFiles, { root: io.cwd });
      for (const w of config.warnings ?? []) io.stderr(`testsift tff: warning: ${w}\n`);
      rules = config.mapping;
    } else if (jsonFiles.length === 0) {
      rules = DEFAULT_RAILS_MAPPING;
    }
    const maps = jsonFiles.map((f) => readDirectJson(f, io.cwd));

    const files = lazyIndex(io.cwd);
    const tests = new Set<string>();
    for (const m of matchStatic(rules, paths, files)) tests.add(m.test);
    for (const map of maps) {
      // Exact keys like tff; GitLab maps sometimes keep a leading ./, so try that spelling too.
      for (const p of paths) {
        for (const t of [...(map.get(p) ?? []), ...(map.get(`./${p}`) ?? [])]) {
          const test = relativeTo(io.cwd, t);
          if (files.exists(test)) tests.add(test);
        }
      }
    }
    const out = [...tests].sort();
    if (out.length > 0) io.stdout(`${out.join('\n')}\n`);
    return 0;
  },
};
export default command;
