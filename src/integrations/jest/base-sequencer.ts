import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The parts of a Jest `Test` we use (the same in Jest 29 and 30). */
export interface JestTest {
  path: string;
  context: { config: { rootDir: string } };
  duration?: number;
}

export interface ShardOptions {
  shardIndex: number;
  shardCount: number;
}

export interface JestSequencer {
  shard(tests: JestTest[], options: ShardOptions): JestTest[] | Promise<JestTest[]>;
  sort(tests: JestTest[]): JestTest[] | Promise<JestTest[]>;
  cacheResults(tests: JestTest[], results: unknown): void;
}

export type JestSequencerClass = new (options?: unknown) => JestSequencer;

/**
 * Jest's own sequencer class, loaded from wherever Jest is installed. It is Jest's dependency, not
 * ours, so look beside us first (hoisted installs), then from the project (`cwd`), then beside
 * the running @jest/core (strict layouts such as pnpm, where only Jest can see it).
 */
export function loadBaseSequencer(cwd = process.cwd()): JestSequencerClass {
  const attempts: Array<() => unknown> = [
    () => createRequire(import.meta.url)('@jest/test-sequencer'),
    () => createRequire(join(cwd, 'package.json'))('@jest/test-sequencer'),
    () => {
      const core = createRequire(join(cwd, 'package.json')).resolve('@jest/core');
      return createRequire(core)('@jest/test-sequencer');
    },
  ];
  const errors: string[] = [];
  for (const attempt of attempts) {
    try {
      const mod = attempt() as { default?: unknown };
      const cls = typeof mod === 'function' ? mod : mod.default;
      if (typeof cls === 'function') return cls as JestSequencerClass;
    } catch (err) {
      errors.push((err as Error).message.split('\n')[0] ?? String(err));
    }
  }
  throw new Error(`testsift/jest/sequencer: cannot load @jest/test-sequencer (is jest installed?): ${errors.join('; ')}`);
}
