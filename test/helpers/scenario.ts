import { writeCoverageMap, MapBuilder } from '../../src/mappings/coverage/index.js';
import type { Block } from '../../src/mappings/coverage/types.js';
import { TempRepo } from './git.js';

/**
 * A small TS project in a real git repo: src files, tests, a tests.yml, and a map recorded at
 * the first commit (what a CI job on main would have produced).
 */
export const FILES: Record<string, string> = {
  'package.json': '{ "name": "shop", "type": "module" }\n',
  'tests.yml': [
    'mapping:',
    "  - source: 'src/(?<name>[^/]+)\\.ts'",
    "    test: 'test/%{name}.test.ts'",
    "  - source: 'config/.+\\.json'",
    "    test: 'test/config.test.ts'",
    "tests: ['test/**/*.test.ts']",
    'coverage_map: .testsift/map.json',
    '',
  ].join('\n'),
  'README.md': '# shop\n',
  'src/money.ts': 'export function cents(x: number) {\n  return Math.round(x * 100);\n}\n',
  'src/cart.ts': [
    "import { cents } from './money.js';",
    'export function total(xs: number[]) {',
    '  return xs.reduce((a, x) => a + cents(x), 0);',
    '}',
    'export function count(xs: number[]) {',
    '  return xs.length;',
    '}',
    '',
  ].join('\n'),
  'src/legacy.ts': 'export const OLD = 1;\n',
  'lib/util.ts': 'export const U = 1;\n',
  'config/app.json': '{}\n',
  'test/money.test.ts': "import '../src/money.js';\n",
  'test/cart.test.ts': "import '../src/cart.js';\n",
  'test/count.test.ts': "import '../src/cart.js';\n",
  'test/legacy.test.ts': "import '../src/legacy.js';\n",
  'test/config.test.ts': '// reads config/app.json\n',
};

/** Map rows as recorded: source → tests. lib/util.ts is known but executed by no test. */
export const ROWS: Record<string, string[]> = {
  'src/money.ts': ['test/money.test.ts', 'test/cart.test.ts'],
  'src/cart.ts': ['test/cart.test.ts', 'test/count.test.ts'],
  'src/legacy.ts': ['test/legacy.test.ts'],
  'config/app.json': ['test/config.test.ts'],
};

export interface Scenario {
  repo: TempRepo;
  /** The commit the map was recorded at (main's first commit). */
  mapCommit: string;
}

export async function writeMap(
  path: string,
  opts: {
    commit?: string;
    timestamp?: string;
    rows?: Record<string, string[]>;
    known?: string[];
    blocks?: Record<string, { blocks: Block[]; executed: Record<string, number[]> }>;
    /** Runner in the metadata (default vitest) and the block-lines marker, if any. */
    runner?: string;
    blockLines?: 'source';
  } = {},
): Promise<void> {
  const b = new MapBuilder({
    format: 'native',
    commit: opts.commit,
    timestamp: opts.timestamp ?? new Date().toISOString(),
    runner: opts.runner ?? 'vitest',
    granularity: opts.blocks ? 'block' : 'file',
    ...(opts.blockLines ? { blockLines: opts.blockLines } : {}),
  });
  for (const [src, tests] of Object.entries(opts.rows ?? ROWS)) for (const t of tests) b.addEdge(src, t);
  for (const k of opts.known ?? ['lib/util.ts']) b.addKnown(k);
  for (const [src, data] of Object.entries(opts.blocks ?? {})) {
    b.setBlocks(src, data.blocks);
    for (const [t, ids] of Object.entries(data.executed)) b.addExecutedBlocks(src, t, ids);
  }
  await writeCoverageMap(path, b.build());
}

/** main with the project and a map recorded at its commit; HEAD on a fresh `feature` branch. */
export async function makeScenario(mapOpts: Parameters<typeof writeMap>[1] = {}): Promise<Scenario> {
  const repo = new TempRepo('testsift-detect-');
  repo.write({ ...FILES, '.gitignore': '.testsift/\n' });
  const mapCommit = repo.commit('shop');
  await writeMap(`${repo.root}/.testsift/map.json`, { commit: mapCommit, ...mapOpts });
  repo.git('checkout', '-q', '-b', 'feature');
  return { repo, mapCommit };
}

/** A scenario whose feature branch changed src/legacy.ts (selects test/legacy.test.ts). */
export async function makeChangedScenario(): Promise<Scenario> {
  const sc = await makeScenario();
  sc.repo.write({ 'src/legacy.ts': '// x\n' }).commit('legacy');
  return sc;
}
