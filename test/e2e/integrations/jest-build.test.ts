// The Jest hook files withTestsift names must exist in the build Jest loads: the CommonJS twins
// (filter.cjs, setup.cjs) are emitted by the bundle step, not by tsc, so a unit test on src/ cannot see them.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIST_JEST = fileURLToPath(new URL('../../../dist/integrations/jest/', import.meta.url));

describe('the built Jest hooks', () => {
  it('has every entry point as CommonJS and as an ES module', () => {
    for (const f of ['filter.cjs', 'setup.cjs', 'reporter.cjs', 'sequencer.cjs', 'index.cjs', 'filter.js', 'setup.js', 'reporter.js', 'sequencer.js', 'index.js']) {
      expect(existsSync(DIST_JEST + f), f).toBe(true);
    }
  });

  it('has the CommonJS copies of the shared fs-read tracker and child-process follower that setup.cjs requires', () => {
    const load = createRequire(DIST_JEST + 'setup.cjs');
    expect(typeof (load('../shared/fs-reads.cjs') as Record<string, unknown>).installFsReadTracker).toBe('function');
    expect(typeof (load('../shared/child-spawns.cjs') as Record<string, unknown>).installChildTracker).toBe('function');
  });
});
