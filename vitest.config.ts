import { defineConfig } from 'vitest/config';

// Our own test suite, in two projects:
// - unit (test/unit/**, mirrors src/): the sources in-process, nothing built, nothing spawned but
//   git in temp dirs. `npm run test:unit` runs it alone, in under a minute.
// - e2e (test/e2e/**): the built dist/ as users get it: the CLI as a process, git repositories,
//   real Vitest/Jest runs on fixture projects. Slow: forks and long timeouts. `npm test` builds
//   first (pretest), then runs both.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // forks: some tests change the working directory (process.chdir), which threads refuse.
          pool: 'forks',
          // One module graph per worker, not per file: import time fell from 8 s to 4 s and the
          // run from 66 s to 44 s here. Unit tests must therefore restore what they change
          // (process.env, cwd) -- they do, in afterEach/finally.
          isolate: false,
          // Every core (vitest's default leaves one free: one worker on a 2-core machine, 66 s
          // instead of 40 s here). The files are independent: temp dirs, no shared ports.
          maxWorkers: '100%',
          // Projects with different maxWorkers must run as separate groups: unit first (fast
          // feedback), then e2e.
          sequence: { groupOrder: 0 },
          // Generous for a busy 2-core CI machine; a unit test near this is a test to make smaller.
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          pool: 'forks',
          sequence: { groupOrder: 1 },
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
