// ESLint flat config, run by `npm run lint` (with knip), which .ci/run runs.
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// The stages of src/, lowest first (docs/architecture.md): a stage imports only from the stages
// below it. import-x/no-cycle skips `import type`, so a cycle made partly of type imports (config
// validating rules with mappings/static's regex translation while mappings/static typed its rules
// with config's MappingRule, as once) is caught here instead.
const LAYERS = [
  ['util', 'errors.ts'],
  ['changes', 'sharding'],
  ['config'],
  ['mappings'],
  ['selection'],
  ['policy'],
  ['detect.ts'],
  ['outputs', 'integrations'],
  ['setup'],
  ['cli', 'index.ts'],
];
const layerZones = LAYERS.slice(0, -1).map((layer, i) => ({
  target: layer.map((p) => `./src/${p}`),
  from: LAYERS.slice(i + 1)
    .flat()
    .map((p) => `./src/${p}`),
  message: 'a stage imports only from the stages below it (LAYERS in eslint.config.js)',
}));

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'fixtures/', 'bench/.data/', '.testsift/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_`-prefixed names are deliberately unused: `const { recordings: _r, ...rest } = m` drops a key.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // Comments write `**​/` with a zero-width space so that it does not close the JSDoc comment.
      'no-irregular-whitespace': ['error', { skipComments: true }],
      // We parse NUL-separated git output (-z) and test for ASCII with /[^\x00-\x7f]/: control
      // characters in our regexes are deliberate.
      'no-control-regex': 'off',
      // Vitest reads a hook's first parameter as a destructuring pattern (`({}, suite) => ...`).
      'no-empty-pattern': ['error', { allowObjectPatternsAsParameters: true }],
      // `let x; const t = new T(() => x.f()); x = new X(t)`: two objects that refer to each other.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // A few more than the recommended sets, each a bug seen often elsewhere.
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-self-compare': 'error',
      'no-unmodified-loop-condition': 'error',
      'no-unreachable-loop': 'error',
      'no-constructor-return': 'error',
    },
  },
  {
    // CommonJS on purpose: Jest loads these with require(); bench's floor script is plain Node.
    files: ['**/*.cts', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // TEMPORARY, drop when the precision branch is merged (it reads the decoded column): the
    // source column is decoded only to move past it.
    files: ['src/integrations/shared/source-map-lines.ts'],
    rules: { '@typescript-eslint/no-unused-vars': ['error', { varsIgnorePattern: '^(_|column$)' }] },
  },
  {
    // Tests read the CLI's JSON and the DevTools protocol's messages untyped.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The import graph of the library. Only src/ (tests import src, nothing imports tests), so
    // each module's imports are read once.
    files: ['src/**'],
    plugins: { 'import-x': importX },
    settings: {
      // import-x reads a module's imports only for these extensions, TypeScript's with TS's parser.
      'import-x/extensions': ['.ts', '.cts', '.mts', '.js', '.cjs', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.cts', '.mts'] },
      // Our TypeScript imports its siblings by their emitted names (`./x.js`, NodeNext): resolve
      // those back to the `.ts` sources. import-x's own resolver does that; no extra package.
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.cts', '.mts', '.js', '.cjs', '.mjs', '.json', '.node'],
          extensionAlias: { '.js': ['.ts', '.js'], '.cjs': ['.cts', '.cjs'], '.mjs': ['.mts', '.mjs'] },
        }),
      ],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
    },
  },
);
