import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * withTestsift() runs in a Jest config file. A package.json beside it with a "jest" key is a
 * second configuration: without --config, Jest 29 and 30 refuse to start ("Multiple
 * configurations found"); with --config, they silently ignore the package.json settings. Say
 * which to keep and how, rather than let the user find out which settings were lost.
 */
export function packageJsonConfigWarning(dir: string): string | undefined {
  let pkg: unknown;
  try {
    pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  } catch {
    return undefined;
  }
  if (!pkg || typeof pkg !== 'object' || !('jest' in pkg)) return undefined;
  return (
    `testsift: ${join(dir, 'package.json')} has a "jest" key and a Jest config file uses withTestsift(): ` +
    'Jest refuses both ("Multiple configurations found") or, with --config, ignores the package.json settings. ' +
    'Move the "jest" settings into the config file, or drop the config file and name the hooks in package.json ' +
    '("reporters": ["default", "testsift/jest/reporter"], "setupFilesAfterEnv": ["testsift/jest/setup"], ' +
    '"testSequencer": "testsift/jest/sequencer", and --filter=testsift/jest/filter on the command line).\n'
  );
}

export function warnIfPackageJsonConfig(dir: string): void {
  const warning = packageJsonConfigWarning(dir);
  if (warning) process.stderr.write(warning);
}
