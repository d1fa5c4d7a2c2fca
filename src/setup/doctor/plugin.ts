import { readFileSync } from 'node:fs';
import { projectRunners, shownPath, stripCommentLines, type Project, type Runner } from '../project.js';
import { fail, ok, warn, type CheckResult } from './types.js';

/*
 * "Is the runner plugin configured?" answered by reading the config files as text: running a
 * config could have side effects (and needs its imports installed), so every message says the
 * check was textual. A config that builds its plugin list indirectly can fool it; the
 * universe check (which does run the runner) and a real recording are the stronger tests.
 */

const CHECK = 'plugin';

export const RECORD_COMMAND: Record<Runner, string> = {
  vitest: 'TESTSIFT_RECORD=1 npx vitest run',
  jest: 'TESTSIFT_RECORD=1 npx jest',
};

export function pluginChecks(p: Project): CheckResult[] {
  const runners = projectRunners(p);
  if (runners.length === 0) {
    return [
      fail(
        CHECK,
        `no Vitest or Jest found in ${shownPath(p, p.dir)} (no vitest.config.*, vite.config.*, jest.config.* or package.json "jest" key, and neither is a dependency)`,
        'install a runner (npm install --save-dev vitest), then run: npx testsift init',
      ),
    ];
  }
  return runners.map((r) => (r === 'vitest' ? vitestCheck(p) : jestCheck(p)));
}

function vitestCheck(p: Project): CheckResult {
  const configs = p.vitestConfigs;
  if (configs.length === 0 && p.vitestWorkspaces.length === 0) {
    return fail(CHECK, 'vitest is a dependency but there is no vitest.config.* or vite.config.*', 'npx testsift init   (creates vitest.config.ts with the plugin)');
  }
  const loaded = configs[0] ?? p.vitestWorkspaces[0]!;
  const name = shownPath(p, loaded);
  const text = stripCommentLines(readFileSync(loaded, 'utf8'));
  if (!/['"]testsift\/vitest['"]/.test(text)) {
    const elsewhere = [...configs.slice(1), ...p.vitestWorkspaces].filter(
      (c) => c !== loaded && /['"]testsift\/vitest['"]/.test(stripCommentLines(readFileSync(c, 'utf8'))),
    );
    const also = elsewhere.length ? `; ${elsewhere.map((c) => shownPath(p, c)).join(', ')} names it, but Vitest loads ${name} first` : '';
    return fail(
      CHECK,
      `${name} does not import testsift/vitest (read as text, not run)${also}`,
      `npx testsift init, or add to ${name}: import testsift from 'testsift/vitest' and plugins: [testsift()]`,
    );
  }
  // `import x from 'testsift/vitest'` and no `x(`: imported and never added to `plugins`.
  const binding = /import\s+([A-Za-z_$][\w$]*)\s+from\s*['"]testsift\/vitest['"]/.exec(text)?.[1];
  if (binding && !new RegExp(`(?<![\\w$.])${binding.replace(/\$/g, '\\$')}\\s*\\(`).test(text)) {
    return fail(
      CHECK,
      `${name} imports testsift/vitest as ${binding} but never calls ${binding}() (read as text, not run)`,
      `add ${binding}() to the plugins array of ${name}`,
    );
  }
  return ok(CHECK, `vitest: ${name} imports testsift/vitest${binding ? ` and calls ${binding}()` : ''} (read as text, not run)`);
}

const JEST_HOOKS = [
  { key: 'reporter', pattern: /testsift\/jest\/reporter/, what: 'reporters: records the map and timings', line: `reporters: ['default', 'testsift/jest/reporter']` },
  {
    key: 'filter',
    pattern: /testsift\/jest\/filter/,
    what: 'filter: runs the selection (TESTSIFT_SELECT)',
    line: `filter: 'testsift/jest/filter'   (or: npx jest --filter=testsift/jest/filter)`,
  },
  { key: 'sequencer', pattern: /testsift\/jest\/sequencer/, what: 'testSequencer: time-balanced --shard', line: `testSequencer: 'testsift/jest/sequencer'` },
  { key: 'setup', pattern: /testsift\/jest\/setup/, what: 'setupFilesAfterEnv: records files tests read', line: `setupFilesAfterEnv: ['testsift/jest/setup']` },
] as const;

function jestCheck(p: Project): CheckResult {
  const places = [...p.jestConfigs.map((c) => shownPath(p, c)), ...(p.jestKey ? ['the "jest" key of package.json'] : [])];
  if (places.length > 1) {
    return fail(
      CHECK,
      `jest: ${places.join(' and ')}: Jest refuses to start with more than one ("Multiple configurations found")`,
      'keep one: move the settings into one jest.config.* and delete the others (or the "jest" key of package.json), or pass --config',
    );
  }
  if (places.length === 0) {
    return fail(
      CHECK,
      'jest is a dependency but has no config (no jest.config.*, no "jest" key in package.json), so no testsift hook runs',
      'npx testsift init   (prints the config to add)',
    );
  }
  const source = p.jestConfigs[0];
  const text = source ? stripCommentLines(readFileSync(source, 'utf8')) : JSON.stringify((p.packageJson?.data ?? {}).jest ?? null);
  const where = places[0]!;
  if (source && /\bwithTestsift\s*\(/.test(text) && /['"]testsift\/jest['"]/.test(text)) {
    return ok(CHECK, `jest: ${where} wraps its config in withTestsift() from testsift/jest (read as text, not run)`);
  }
  const missing = JEST_HOOKS.filter((h) => !h.pattern.test(text));
  if (missing.length === JEST_HOOKS.length) {
    return fail(
      CHECK,
      `jest: ${where} names no testsift hook (read as text, not run)`,
      source ? `npx testsift init (prints how to wrap ${where} in withTestsift)` : 'npx testsift init (prints the hooks to add)',
    );
  }
  const present = JEST_HOOKS.filter((h) => !missing.includes(h)).map((h) => h.key);
  const fixes = missing.map((h) => `${h.line}   -- ${h.what}`);
  if (missing.some((h) => h.key === 'reporter')) {
    return fail(CHECK, `jest: ${where} names ${present.join(', ')} but not the testsift reporter, so no map is recorded (read as text, not run)`, fixes.join('\n'));
  }
  if (missing.length > 0) {
    return warn(CHECK, `jest: ${where} names ${present.join(', ')}; missing: ${missing.map((h) => h.key).join(', ')} (read as text, not run)`, fixes.join('\n'));
  }
  return ok(CHECK, `jest: ${where} names the testsift reporter, filter, sequencer and setup file (read as text, not run)`);
}
