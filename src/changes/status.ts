/*
 * The working tree's state from one `git status --porcelain=v2 -z --branch --no-renames
 * --untracked-files=all` call. One command instead of separate staged / unstaged / untracked
 * listings, and --branch makes its output never empty, which matters: simple-git waits an extra
 * 50 ms for any command that prints nothing.
 */

export interface WorkingTreeStatus {
  /** Tracked paths whose index or working-tree version differs from HEAD (staged or unstaged). */
  touched: string[];
  /** Untracked, not ignored files. */
  untracked: string[];
}

/** Fields before the path in v2 records: `1 XY sub mH mI mW hH hI path`, `u XY sub m1 m2 m3 mW h1 h2 h3 path`. */
const FIELDS_BEFORE_PATH: Record<string, number> = { '1': 8, '2': 9, u: 10 };

export function parseStatusV2(out: string): WorkingTreeStatus {
  const records = out.split('\0');
  const touched: string[] = [];
  const untracked: string[] = [];
  for (let i = 0; i < records.length; i++) {
    const rec = records[i]!;
    if (rec === '' || rec.startsWith('# ') || rec.startsWith('! ')) continue;
    if (rec.startsWith('? ')) {
      untracked.push(rec.slice(2));
      continue;
    }
    const kind = rec.charAt(0);
    const skip = FIELDS_BEFORE_PATH[kind];
    if (skip === undefined || rec.charAt(1) !== ' ') throw new Error(`unexpected git status record: ${JSON.stringify(rec)}`);
    // The path is everything after the fixed fields: it may itself contain spaces.
    let at = 0;
    for (let f = 0; f < skip; f++) {
      at = rec.indexOf(' ', at) + 1;
      if (at === 0) throw new Error(`truncated git status record: ${JSON.stringify(rec)}`);
    }
    touched.push(rec.slice(at));
    // A rename/copy record (only without --no-renames) is followed by its original path.
    if (kind === '2' && i + 1 < records.length) touched.push(records[++i]!);
  }
  return { touched, untracked };
}

export const STATUS_ARGS = ['status', '--porcelain=v2', '-z', '--branch', '--no-renames', '--untracked-files=all'];
