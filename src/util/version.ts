import { readFileSync } from 'node:fs';

let cached: string | undefined;

/**
 * testsift's own version, read once from its package.json (recorded in the maps it writes, and
 * printed by `--version`); '' when unreadable, so callers decide what an unknown version means
 * rather than recording a made-up one.
 */
export function testsiftVersion(): string {
  if (cached === undefined) {
    try {
      // The same relative location from src/util (tests) and dist/util (built package).
      const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
      cached = typeof pkg.version === 'string' ? pkg.version : '';
    } catch {
      cached = '';
    }
  }
  return cached;
}
