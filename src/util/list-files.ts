/** How many file names a message lists before "+N more": reasons are read in CI logs. */
const LIST_LIMIT = 5;

/** The first few names of `files`, then how many more: for one-line reasons. */
export function listFiles(files: readonly string[]): string {
  const shown = files.slice(0, LIST_LIMIT).join(', ');
  return files.length > LIST_LIMIT ? `${shown} (+${files.length - LIST_LIMIT} more)` : shown;
}
