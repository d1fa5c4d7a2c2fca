import picomatch from 'picomatch';

/** Characters that make a pattern a glob (or an escape) for picomatch. */
const GLOB_SYNTAX = /[\\*?[\]{}()!+@]/;

/**
 * A matcher for one glob (picomatch, dot files included). A pattern without glob syntax —
 * most of `full_suite.changes`: package.json, lockfiles — is compared as a string: compiling
 * a glob costs more than every comparison detect makes with it.
 */
export function globTest(pattern: string): (path: string) => boolean {
  if (!GLOB_SYNTAX.test(pattern)) return (p) => p === pattern;
  const re = picomatch.makeRe(pattern, { dot: true });
  return (p) => re.test(p);
}

/** Whether a path matches any of the globs. */
export function anyGlob(patterns: readonly string[]): (path: string) => boolean {
  const tests = patterns.map(globTest);
  if (tests.length === 0) return () => false;
  if (tests.length === 1) return tests[0];
  return (p) => tests.some((t) => t(p));
}
