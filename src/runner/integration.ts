import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { flagValue, type RunnerKind } from './identify.js';

/*
 * "Does this run have the testsift plugin (Vitest) or filter (Jest)?", answered by reading the
 * runner's config as text, as `testsift doctor` does: running a config could have side effects.
 * Both wrong answers are safe. A plugin found in text but not active ignores TESTSIFT_SELECT and
 * the runner runs every test; a plugin missed gets the files as arguments, which Vitest and Jest
 * match at least as widely as the integration does.
 */

const EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];
/** Vitest's order: the first that exists is the config it loads. */
const VITEST_CONFIGS = ['vitest.config', 'vite.config'].flatMap((n) => EXTENSIONS.map((e) => n + e));
/** Jest's JEST_CONFIG_EXT_ORDER. */
const JEST_CONFIGS = ['.js', '.ts', '.mjs', '.cjs', '.mts', '.cts', '.json'].map((e) => `jest.config${e}`);

export interface IntegrationCheck {
  configured: boolean;
  /** What was read and what was (not) found, for the log. */
  detail: string;
}

/** The text of a config without its comment lines, so a commented-out import does not count. */
function codeText(path: string): string {
  return readFileSync(path, 'utf8')
    .replace(/^[ \t]*\/\*[\s\S]*?\*\//gm, '')
    .replace(/^[ \t]*\/\/.*$/gm, '');
}

function readable(path: string): string | undefined {
  try {
    return codeText(path);
  } catch {
    return undefined;
  }
}

export function integrationConfigured(kind: RunnerKind, args: readonly string[], cwd: string): IntegrationCheck {
  if (kind === 'vitest') return vitestCheck(args, cwd);
  if (kind === 'jest') return jestCheck(args, cwd);
  return { configured: false, detail: 'not Vitest or Jest' };
}

function vitestCheck(args: readonly string[], cwd: string): IntegrationCheck {
  const given = flagValue(args, ['--config', '-c']);
  const root = resolve(cwd, flagValue(args, ['--root', '-r']) ?? '.');
  const config = given !== undefined ? resolve(cwd, given) : VITEST_CONFIGS.map((n) => join(root, n)).find((p) => existsSync(p));
  if (!config) return { configured: false, detail: `no vitest.config.* or vite.config.* in ${root}` };
  const text = readable(config);
  if (text === undefined) return { configured: false, detail: `cannot read ${config}` };
  return /['"]testsift\/vitest['"]/.test(text)
    ? { configured: true, detail: `${config} imports testsift/vitest` }
    : { configured: false, detail: `${config} does not import testsift/vitest` };
}

/** Jest's filter hook is what applies TESTSIFT_SELECT: named directly, or added by withTestsift(). */
function jestText(text: string): boolean {
  return /testsift\/jest\/filter/.test(text) || (/\bwithTestsift\s*\(/.test(text) && /['"]testsift\/jest['"]/.test(text));
}

function jestCheck(args: readonly string[], cwd: string): IntegrationCheck {
  const filter = flagValue(args, ['--filter']);
  if (filter !== undefined) {
    // The command line's filter replaces the config's: only testsift's applies the selection.
    return /testsift/.test(filter)
      ? { configured: true, detail: `--filter=${filter} on the command line` }
      : { configured: false, detail: `--filter=${filter} on the command line is not testsift's` };
  }
  const given = flagValue(args, ['--config', '-c']);
  if (given !== undefined) {
    if (given.trim().startsWith('{'))
      return jestText(given)
        ? { configured: true, detail: '--config JSON names testsift/jest/filter' }
        : { configured: false, detail: '--config JSON names no testsift filter' };
    const path = resolve(cwd, given);
    const text = readable(path);
    if (text === undefined) return { configured: false, detail: `cannot read ${path}` };
    return jestText(text) ? { configured: true, detail: `${path} has the testsift filter` } : { configured: false, detail: `${path} has no testsift filter` };
  }
  // Jest's own search: from the current folder up, the first folder with a config or a package.json.
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const config = JEST_CONFIGS.map((n) => join(dir, n)).find((p) => existsSync(p));
    if (config) {
      const text = readable(config);
      return text !== undefined && jestText(text)
        ? { configured: true, detail: `${config} has the testsift filter` }
        : { configured: false, detail: `${config} has no testsift filter` };
    }
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      let jest: unknown;
      try {
        jest = (JSON.parse(readFileSync(pkg, 'utf8')) as { jest?: unknown }).jest;
      } catch {
        return { configured: false, detail: `cannot read ${pkg}` };
      }
      if (typeof jest === 'string') {
        const text = readable(resolve(dir, jest));
        return text !== undefined && jestText(text)
          ? { configured: true, detail: `${jest} (from ${pkg}) has the testsift filter` }
          : { configured: false, detail: `${jest} (from ${pkg}) has no testsift filter` };
      }
      return jest !== undefined && jestText(JSON.stringify(jest))
        ? { configured: true, detail: `the "jest" key of ${pkg} names testsift/jest/filter` }
        : { configured: false, detail: `no Jest config with the testsift filter (${pkg})` };
    }
    if (dirname(dir) === dir) return { configured: false, detail: 'no Jest config found' };
  }
}
