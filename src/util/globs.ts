import picomatch from 'picomatch';

/** Characters that make a pattern a glob (or an escape) for picomatch. */
const GLOB_SYNTAX = /[\\*?[\]{}()!+@]/;
/** Syntax after which the last `/`-segment of a pattern is not simply its file-name part. */
const STRUCTURED = /[\\[\]{}()!+@]/;

/**
 * A matcher for one glob (picomatch, dot files included). A pattern without glob syntax —
 * many of `full_suite.changes`: lockfiles, CI files — is compared as a string. A glob is
 * compiled on the first path that could match it: the path must lie under the glob's literal
 * base folder and its file name must contain the literal text of the glob's last segment
 * (`**​/vitest.config.*` → `vitest.config.`). Compiling two dozen globs per run cost more than
 * every comparison detect makes with them; most never meet a candidate path.
 */
export function globTest(pattern: string): (path: string) => boolean {
  if (!GLOB_SYNTAX.test(pattern)) return (p) => p === pattern;
  const scan = picomatch.scan(pattern);
  const simple = !scan.negated && scan.prefix === '' && !STRUCTURED.test(scan.glob);
  const base = simple ? scan.base : '';
  const last = simple ? scan.glob.slice(scan.glob.lastIndexOf('/') + 1) : '';
  const literal = last.split(/[*?]/).reduce((a, b) => (b.length > a.length ? b : a), '');
  let re: RegExp | undefined;
  return (p) => {
    if (base !== '' && p !== base && !p.startsWith(`${base}/`)) return false;
    if (literal !== '' && !p.slice(p.lastIndexOf('/') + 1).includes(literal)) return false;
    re ??= picomatch.makeRe(pattern, { dot: true });
    return re.test(p);
  };
}

/** Whether a path matches any of the globs. */
export function anyGlob(patterns: readonly string[]): (path: string) => boolean {
  const tests = patterns.map(globTest);
  if (tests.length === 0) return () => false;
  if (tests.length === 1) return tests[0];
  return (p) => tests.some((t) => t(p));
}
