import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** testsift's own version (from package.json), recorded in maps it writes; '' if unreadable. */
export function testsiftVersion(): string {
  if (cached === undefined) {
    try {
      // Same relative location from src/… (tests) and dist/… (built).
      const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version?: string };
      cached = typeof pkg.version === 'string' ? pkg.version : '';
    } catch {
      cached = '';
    }
  }
  return cached;
}
