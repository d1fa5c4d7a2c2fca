import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The package manager a CI recipe installs with, told by the project's lockfile. */
export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'yarn-berry' | 'bun';

const LOCKFILES: Array<[string, PackageManager]> = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];

/**
 * The nearest lockfile from `dir` up to `root` (a workspace's lockfile is at its top). Yarn 2+
 * (`.yarnrc.yml`, or `packageManager: yarn@2+`) installs differently from Yarn 1. Without a
 * lockfile: package.json's `packageManager`, else npm.
 */
export function packageManagerOf(dir: string, root: string): PackageManager {
  for (let d = dir; ; d = dirname(d)) {
    for (const [file, pm] of LOCKFILES) {
      if (!existsSync(join(d, file))) continue;
      return pm === 'yarn' && isYarnBerry(d) ? 'yarn-berry' : pm;
    }
    if (d === root || dirname(d) === d) break;
  }
  const declared = declaredManager(dir);
  if (declared?.name === 'pnpm' || declared?.name === 'bun') return declared.name;
  if (declared?.name === 'yarn') return declared.major >= 2 ? 'yarn-berry' : 'yarn';
  return 'npm';
}

function isYarnBerry(dir: string): boolean {
  if (existsSync(join(dir, '.yarnrc.yml'))) return true;
  const declared = declaredManager(dir);
  return declared?.name === 'yarn' && declared.major >= 2;
}

function declaredManager(dir: string): { name: string; major: number } | undefined {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { packageManager?: unknown };
    const m = typeof pkg.packageManager === 'string' ? /^(npm|pnpm|yarn|bun)@(\d+)/.exec(pkg.packageManager) : null;
    return m ? { name: m[1]!, major: Number(m[2]) } : undefined;
  } catch {
    return undefined;
  }
}

/** The GitHub Actions steps that set the manager up and install exactly the lockfile, indented for a job's steps. */
export function githubInstallSteps(pm: PackageManager): string {
  switch (pm) {
    case 'pnpm':
      return `      - uses: pnpm/action-setup@v4           # the version in package.json's "packageManager" (else add with: { version: N })
      - run: pnpm install --frozen-lockfile`;
    case 'yarn':
      return `      - run: yarn install --frozen-lockfile`;
    case 'yarn-berry':
      return `      - run: corepack enable
      - run: yarn install --immutable`;
    case 'bun':
      return `      - uses: oven-sh/setup-bun@v2
      - run: bun install --frozen-lockfile`;
    default:
      return `      - run: npm ci`;
  }
}

/** The one-line install command, for comments. */
export function installCommand(pm: PackageManager): string {
  return {
    npm: 'npm ci',
    pnpm: 'pnpm install --frozen-lockfile',
    yarn: 'yarn install --frozen-lockfile',
    'yarn-berry': 'yarn install --immutable',
    bun: 'bun install --frozen-lockfile',
  }[pm];
}
