import type { CliIO } from './command.js';
import { defaultIO, isVersionFlag, main } from './main.js';

/**
 * What each of the package's two bins runs, given its own arguments. Shared by the tsc entry
 * points (cli/bin/*.js) and the bundle the installed bins require (see scripts/bundle-cli.mjs).
 */
export const bins = {
  testsift: (argv: string[], io: CliIO = defaultIO()) => main(argv, io),
  // `detect-tests` is `testsift detect` with CI defaults (see cli/detect.ts: `ciDefaults`);
  // `detect-tests --version` is the package's version, as for `testsift`.
  'detect-tests': (argv: string[], io: CliIO = defaultIO()) => main(argv.length === 1 && isVersionFlag(argv[0]!) ? argv : ['detect', '--ci', ...argv], io),
};

export type BinName = keyof typeof bins;
