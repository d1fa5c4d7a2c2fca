import type { Runner } from '../project.js';

/**
 * The runners' own default test globs, written as tests.yml globs (brace sets, no extglobs):
 * Vitest's `**\/*.{test,spec}.?(c|m)[jt]s?(x)`, Jest's `**\/__tests__/**\/*.[jt]s?(x)` and
 * `**\/?(*.)+(spec|test).[jt]s?(x)`. A project that sets `include` / `testMatch` edits them;
 * `testsift doctor` compares the result with the runner's own list.
 */
const RUNNER_TESTS: Record<Runner, string[]> = {
  vitest: ['**/*.{test,spec}.{js,jsx,ts,tsx,mjs,cjs,mts,cts}'],
  jest: ['**/__tests__/**/*.{js,jsx,ts,tsx}', '**/*.{test,spec}.{js,jsx,ts,tsx}'],
};

const WHAT: Record<Runner, string> = { vitest: "Vitest's test.include", jest: "Jest's testMatch" };

/** A commented starter tests.yml; `prefix` is the project's folder in the repository ('' at the top). */
export function testsYml(runners: Runner[], prefix: string): string {
  const used: Runner[] = runners.length > 0 ? runners : ['vitest'];
  const globs = [...new Set(used.flatMap((r) => RUNNER_TESTS[r]))].map((g) => (prefix ? `${prefix}/${g}` : g));
  const src = prefix ? `${prefix}/src` : 'src';
  const test = prefix ? `${prefix}/test` : 'test';
  return `# testsift: which tests a change needs. Written by \`testsift init\`; every key is optional.
# Paths and globs are relative to the repository root. Every key with its default:
# mappings.example.yml in the testsift package. Check the set-up with: npx testsift doctor

# The test universe: every test file the runner runs (what a full-suite run lists). Keep it in
# step with ${used.map((r) => WHAT[r]).join(' and ')} (the defaults below); \`testsift doctor\` compares the two.
tests:
${globs.map((g) => `  - '${g}'`).join('\n')}

# Rules for what the coverage map cannot see, in test_file_finder's format: a changed file (a
# regex on the repo-relative path) -> the tests it needs. Replace [] with rules, for example:
#   - source: '${src.replace(/\./g, '\\.')}/(?<rest>.+)\\.ts'
#     test: '${test}/%{rest}.test.ts'
mapping: []

full_suite:
  # Changes that run every test, added to the built-in list (lockfiles, package.json, runner,
  # TypeScript and Babel configs, setup files, CI files). For example: ['db/schema.sql']
  changes: []
  # Merge-request labels that run every test, added to pipeline:run-all-tests.
  labels: []
  # A changed file no rule and no map row explains: full (run everything) or ignore.
  unmapped: full

# Changes that need no test at all. Setting it replaces the default:
# ignore: ['**/*.md', '**/*.mdx', 'docs/**', 'LICENSE*']
`;
}
