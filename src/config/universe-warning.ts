import { DEFAULT_TESTS } from './defaults.js';
import type { Config } from './types.js';

/**
 * The warning detect prints when the `tests:` globs match no existing file. The universe is what a
 * full-suite run executes, so an empty one means "run everything" runs nothing and a CI job goes
 * green having tested nothing: that must be loud. In a selective run it means changed test files
 * are not recognised as tests, which is a config mistake worth the same warning.
 * Empty result when the universe is not empty.
 */
export function emptyUniverseWarnings(config: Config, root: string, mode: 'selective' | 'full', universe: readonly string[]): string[] {
  if (universe.length > 0) return [];
  const globs = `[${config.tests.map((g) => `'${g}'`).join(', ')}]`;
  const isDefault = config.tests.length === DEFAULT_TESTS.length && config.tests.every((g, i) => g === DEFAULT_TESTS[i]);
  const origin = isDefault ? 'the default' : config.files.length > 0 ? `from ${config.files.join(', ')}` : 'as configured';
  const effect =
    mode === 'full' ? 'the full suite is empty, so this run would test nothing' : 'the test universe is empty, so changed test files are not recognised as tests';
  return [`tests: globs ${globs} (${origin}) match no file under ${root}: ${effect}; fix \`tests:\` in tests.yml`];
}
