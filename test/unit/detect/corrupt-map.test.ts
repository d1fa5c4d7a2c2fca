// Fail safe, end to end: whatever byte of the coverage map is damaged, detect either answers
// exactly as with the intact map (the damage is in padding nothing reads) or runs the full suite
// and says why. It never fails, and never selects fewer tests. (Sampled: see test/helpers/flip-positions.ts.)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectTests } from '../../../src/detect.js';
import { flipPositions } from '../../helpers/flip-positions.js';
import { makeScenario, type Scenario } from '../../helpers/scenario.js';

let s: Scenario;
afterAll(() => s?.repo.cleanup());

describe('detect with a damaged native map', () => {
  it('every flipped bit → the same selection or the full suite with a reason', async () => {
    s = await makeScenario();
    s.repo.write({ 'src/money.ts': '// x\n', 'src/cart.ts': '// y\n' }).commit('change');
    const file = join(s.repo.root, '.testsift/map.json');
    const good = readFileSync(file);
    // the change as a list: one git call fewer per run, and the same selection
    const run = () => detectTests({ cwd: s.repo.root, changedFileList: ['src/money.ts', 'src/cart.ts'], env: {} });
    const expected = await run();
    expect(expected.mode).toBe('selective');
    expect(expected.tests.length).toBeGreaterThan(0);
    const all = (await detectTests({ cwd: s.repo.root, changedFileList: ['src/money.ts'], labels: ['pipeline:run-all-tests'], env: {} })).tests;

    let fullSuite = 0;
    // the prefix, section edges, padding and a fixed sample of the rest (TESTSIFT_EVERY_BYTE=1: every byte)
    const { positions, padding } = flipPositions(good);
    for (const pos of positions) {
      const bad = Buffer.from(good);
      bad[pos] ^= 1 << (pos % 8);
      writeFileSync(file, bad);
      const r = await run();
      if (r.mode === 'full') {
        fullSuite++;
        expect(r.reasons.join('\n'), `byte ${pos}`).toContain('map.json');
        expect(r.tests, `byte ${pos}`).toEqual(all);
      } else {
        expect(r.tests, `byte ${pos} changed the selection`).toEqual(expected.tests);
      }
    }
    writeFileSync(file, good);
    // nearly every byte is checked; only alignment padding may go unnoticed
    expect(fullSuite).toBeGreaterThan(positions.filter((p) => !padding.has(p)).length * 0.9);
  }, 120_000);
});
