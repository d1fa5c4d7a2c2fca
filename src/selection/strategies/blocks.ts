import type { LineRange } from '../../changes/types.js';
import type { Block, FileBlocks } from '../../mappings/coverage/types.js';

/**
 * The innermost function block that strictly contains a changed range: the change must not touch
 * the block's first line (its header: a renamed or re-signatured function) nor its last line. An
 * insertion after old line L sits strictly inside when start <= L < end. Undefined when the change
 * is at module level (or touches a header): the caller falls back to file level.
 */
export function innermostBlock(blocks: readonly Block[], range: LineRange): Block | undefined {
  let best: Block | undefined;
  for (const b of blocks) {
    if (b.id === 0) continue; // the module body: a change there is a module-level change
    const inside = range.insertion ? b.start <= range.start && range.start < b.end : b.start < range.start && range.end < b.end;
    if (inside && (!best || b.end - b.start < best.end - best.start)) best = b;
  }
  return best;
}

/**
 * Tests of a file selected at block level, or undefined to say "use file level". Tests that
 * executed the file but have no block data for it are kept (unknown ⇒ run it).
 */
export function testsForBlocks(fileTests: readonly string[], data: FileBlocks, ranges: readonly LineRange[]): string[] | undefined {
  if (ranges.length === 0) return undefined; // no line changed (mode change, pure rename): be safe
  const touched = new Set<number>();
  for (const r of ranges) {
    const b = innermostBlock(data.blocks, r);
    if (!b) return undefined;
    touched.add(b.id);
  }
  return fileTests.filter((t) => {
    const ids = data.executed.get(t);
    return !ids || ids.some((id) => touched.has(id));
  });
}
