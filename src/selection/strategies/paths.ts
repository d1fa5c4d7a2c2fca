import type { ChangedFile } from '../../changes/types.js';

/**
 * Every path a changed file had: the new one and, for renames, the old one. Maps and rules were
 * written against old paths, so a renamed or deleted file is looked up under the name they knew.
 * `owner` maps each looked-up path back to the changed file it stands for.
 */
export function pathsOf(files: readonly ChangedFile[]): { paths: string[]; owner: Map<string, string> } {
  const owner = new Map<string, string>();
  for (const f of files) {
    owner.set(f.path, f.path);
    if (f.oldPath && f.oldPath !== f.path) owner.set(f.oldPath, f.path);
  }
  return { paths: [...owner.keys()], owner };
}
