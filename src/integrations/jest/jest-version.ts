import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';

function versionAt(packageJson: string): string | undefined {
  try {
    const v = (JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: unknown }).version;
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The version of the @jest/core that is running this process. The loaded copy (found in the
 * CommonJS module cache) is the one that will read our return values, which matters when a
 * monorepo has several Jest versions installed; resolving from `cwd` is the fallback.
 */
export function runningJestVersion(cwd = process.cwd()): string | undefined {
  const require = createRequire(import.meta.url);
  const marker = `${sep}@jest${sep}core${sep}build${sep}`;
  for (const file of Object.keys(require.cache)) {
    const at = file.lastIndexOf(marker);
    if (at >= 0) {
      const v = versionAt(join(file.slice(0, at), '@jest', 'core', 'package.json'));
      if (v) return v;
    }
  }
  for (const name of ['@jest/core/package.json', 'jest/package.json']) {
    try {
      const v = versionAt(createRequire(join(cwd, 'package.json')).resolve(name));
      if (v) return v;
    } catch {
      // not resolvable from here
    }
  }
  return undefined;
}

/** The major version, or undefined when it cannot be told. */
export function majorOf(version: string | undefined): number | undefined {
  const m = version ? /^(\d+)\./.exec(version) : null;
  return m ? Number(m[1]) : undefined;
}
