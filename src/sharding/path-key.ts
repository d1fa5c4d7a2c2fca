import { normalizeRelative } from '../util/paths.js';

/**
 * The spelling of a test path in timing reports and in the test lists `shard` reads: `/`
 * separators, no leading `./`. Backslashes become `/` on every platform, not only on Windows
 * (util/paths' toPosix converts only where `\` is the separator), because a report recorded on
 * a Windows machine (`spec\models\a_spec.rb`) is read on Linux CI, and there it would match no
 * test. A `\` inside a real POSIX test file name is far rarer than that report.
 * Not applied to the tests a library caller (a sequencer) passes to the allocator: it picks its
 * files back out by the keys it gave, so those must come back unchanged.
 */
export function testKey(path: string): string {
  return normalizeRelative(path.replaceAll('\\', '/'));
}
