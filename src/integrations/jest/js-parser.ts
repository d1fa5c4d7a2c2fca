import { createRequire } from 'node:module';
import { join } from 'node:path';

export type ParseFn = (code: string) => unknown;

interface BabelParser {
  parse(code: string, options: object): unknown;
}

/**
 * A JavaScript parser for the code Jest's transformers produce, to find its functions. testsift
 * ships none: Jest itself depends on Babel (@jest/transform → @babel/core → @babel/parser), so
 * the parser is looked up beside us (hoisted installs), from the project, then beside Jest's own
 * transform package (strict layouts such as pnpm). The `estree` plugin gives the node shapes the
 * block table reads (MethodDefinition/Property holding a FunctionExpression). Undefined when no
 * parser is found: then there is no block data, only file level.
 */
export function loadJsParser(cwd = process.cwd()): ParseFn | undefined {
  const parser = findBabelParser(cwd);
  return parser && ((code) => parser.parse(code, { ...BASE_OPTIONS, plugins: ['estree'] }));
}

/**
 * A parser for a source file as written (TypeScript, JSX), by its extension: what
 * babel-plugin-istanbul instrumented when babel-jest compiled the file, so its coverage
 * locations are positions in this text. Undefined when no parser is found.
 */
export function loadSourceParser(cwd = process.cwd()): ((code: string, file: string) => unknown) | undefined {
  const parser = findBabelParser(cwd);
  if (!parser) return undefined;
  return (code, file) => {
    const ext = /\.[^./\\]+$/.exec(file)?.[0].toLowerCase() ?? '';
    // Decorators (legacy, as TypeScript projects write them) parse in both.
    const plugins: string[] = ['estree', 'decorators-legacy'];
    if (/^\.[mc]?ts$/.test(ext)) plugins.push('typescript');
    else if (ext === '.tsx') plugins.push('typescript', 'jsx');
    else plugins.push('jsx');
    return parser.parse(code, { ...BASE_OPTIONS, plugins });
  };
}

const BASE_OPTIONS = {
  sourceType: 'unambiguous',
  allowReturnOutsideFunction: true,
  allowAwaitOutsideFunction: true,
  allowImportExportEverywhere: true,
};

function findBabelParser(cwd: string): BabelParser | undefined {
  const fromProject = (): NodeJS.Require => createRequire(join(cwd, 'package.json'));
  const attempts: Array<() => unknown> = [
    () => createRequire(import.meta.url)('@babel/parser'),
    () => fromProject()('@babel/parser'),
    () => {
      const core = fromProject().resolve('@jest/core');
      const transform = createRequire(core).resolve('@jest/transform');
      const babelCore = createRequire(transform).resolve('@babel/core');
      return createRequire(babelCore)('@babel/parser');
    },
  ];
  for (const attempt of attempts) {
    try {
      const parser = attempt() as BabelParser;
      if (typeof parser?.parse === 'function') return parser;
    } catch {
      // try the next place
    }
  }
  return undefined;
}
