/**
 * Comment lines in the path lists testsift reads (`shard --tests`, a TESTSIFT_SELECT list): `#`
 * followed by a space or tab, or a bare `#`. A line such as `#hash.test.ts` is a path: test files
 * may start with `#`, and dropping one would skip a test. Headers testsift writes itself
 * (`# shard 1/2 (3.0s)`) are comments under this rule. A path that itself starts with `# `
 * cannot be given in a line list: pass it NUL-separated (`-z`) or as JSON.
 */
export function isCommentLine(line: string): boolean {
  return /^#(?:[ \t]|\r?$)/.test(line);
}

/**
 * The first path a newline-separated list cannot hold: one with a line break (`\n` or `\r`),
 * which would come out as two paths (or a path with a stray `\r`). Undefined when all fit.
 */
export function firstLineBreakPath(paths: readonly string[]): string | undefined {
  return paths.find((p) => /[\n\r]/.test(p));
}

/** NUL-terminated, as `git … -z` writes paths: the one list format any path fits in. */
export function nulList(paths: readonly string[]): string {
  return paths.map((p) => `${p}\0`).join('');
}
