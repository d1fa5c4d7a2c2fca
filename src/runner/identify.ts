/** Which test runner a command starts: it decides how a selection is handed over. */
export type RunnerKind = 'vitest' | 'jest' | 'generic';

/**
 * Launchers that start another program named by a later argument (`npx vitest`, `pnpm exec
 * jest`, `node node_modules/vitest/vitest.mjs`, `yarn run vitest`). Their flags are skipped too.
 */
const LAUNCHERS = new Set(['npx', 'pnpm', 'pnpx', 'yarn', 'bunx', 'bun', 'npm', 'exec', 'dlx', 'x', 'run', 'node', 'tsx', 'env']);

/** Basename without a directory or the extension of a Windows shim or a JS entry point. */
function nameOf(token: string): string {
  const base = token.replace(/\\/g, '/').split('/').pop() ?? token;
  return base.replace(/\.(cmd|exe|ps1|bat|js|mjs|cjs)$/i, '').toLowerCase();
}

/** The runner a path names: `vitest`, `.bin/vitest`, `vitest/vitest.mjs`, `jest/bin/jest.js`, `jest-cli/bin/jest.js`. */
function runnerOf(token: string): RunnerKind | undefined {
  const name = nameOf(token);
  if (name === 'vitest') return 'vitest';
  if (name === 'jest') return 'jest';
  return undefined;
}

/**
 * The runner a command starts, judged from its words: the first word that is not a launcher, a
 * launcher's flag or an `NAME=value` assignment (`env`). Anything else is generic (files as
 * arguments). A wrong guess only changes how files are passed, never whether a test runs: a
 * Vitest or Jest run mistaken for generic still gets the files as arguments.
 */
export function identifyRunner(command: readonly string[]): { kind: RunnerKind; at: number } {
  for (let i = 0; i < command.length; i++) {
    const word = command[i]!;
    if (word.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) continue;
    const kind = runnerOf(word);
    if (kind) return { kind, at: i };
    if (!LAUNCHERS.has(nameOf(word))) return { kind: 'generic', at: i };
  }
  return { kind: 'generic', at: 0 };
}

/** The runner's own arguments (after the word that names it). */
export function runnerArgs(command: readonly string[], at: number): string[] {
  return command.slice(at + 1);
}

/** The value of a runner flag given as `--name value`, `--name=value` or `-x value`, if any. */
export function flagValue(args: readonly string[], names: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return undefined;
    for (const n of names) {
      if (a === n && i + 1 < args.length) return args[i + 1];
      if (n.startsWith('--') && a.startsWith(`${n}=`)) return a.slice(n.length + 1);
    }
  }
  return undefined;
}

/** Whether a runner flag is present (`--shard`, `--shard=1/2`). */
export function hasFlag(args: readonly string[], name: string): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === name || a.startsWith(`${name}=`));
}
