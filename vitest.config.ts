import { defineConfig } from 'vitest/config';

// Our own test suite. Tests spawn the built CLI (dist/), real git, and real Vitest/Jest runs on
// fixture projects, so they are slower than unit tests: give them room and run files in forks.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
