// The on/off environment variables both runners read (shared/env-flags.ts): one reading, so
// `TESTSIFT_RECORD=y` records under Jest as it does under Vitest.
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { envSwitch } from '../../../src/integrations/shared/env-flags.js';
import { reporterFile, withTestsift } from '../../../src/integrations/jest/index.js';
import { resolveSettings } from '../../../src/integrations/vitest/options.js';

const ON = ['1', 'true', 'y', 'yes', 'on', 'TRUE', ' Y '];
const OFF = ['0', 'false', 'n', 'no', 'off', 'False'];

describe('envSwitch', () => {
  it('reads on and off words in any case; unset or empty leaves the decision to the config', () => {
    for (const v of ON) expect(envSwitch({ TESTSIFT_RECORD: v }, 'TESTSIFT_RECORD'), v).toBe(true);
    for (const v of OFF) expect(envSwitch({ TESTSIFT_RECORD: v }, 'TESTSIFT_RECORD'), v).toBe(false);
    expect(envSwitch({}, 'TESTSIFT_RECORD')).toBeUndefined();
    expect(envSwitch({ TESTSIFT_RECORD: ' ' }, 'TESTSIFT_RECORD')).toBeUndefined();
  });

  it('names the variable for any other value instead of guessing', () => {
    const err = (() => {
      try {
        return envSwitch({ TESTSIFT_RECORD: 'maybe' }, 'TESTSIFT_RECORD');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe('$TESTSIFT_RECORD: expected 1, true, yes, y or on (or 0, false, no, n, off to turn it off), got "maybe"');
  });
});

describe('TESTSIFT_RECORD under both runners', () => {
  const prev = process.env.TESTSIFT_RECORD;
  afterEach(() => {
    if (prev === undefined) delete process.env.TESTSIFT_RECORD;
    else process.env.TESTSIFT_RECORD = prev;
  });

  it.each(['y', 'true', '1'])('%s records under Vitest and under Jest', (v) => {
    expect(resolveSettings({}, '/repo', { TESTSIFT_RECORD: v }).record).toBe(true);
    process.env.TESTSIFT_RECORD = v;
    const out = withTestsift({}, {});
    expect(out.reporters).toEqual(['default', [reporterFile, { record: true }]]);
    // Recording needs no Jest coverage: the user's coverage settings stay as they are.
    expect(out.collectCoverage).toBeUndefined();
  });

  it.each(['n', 'false', '0'])('%s turns recording off under both, over the config option', (v) => {
    expect(resolveSettings({ record: true }, '/repo', { TESTSIFT_RECORD: v }).record).toBe(false);
    process.env.TESTSIFT_RECORD = v;
    expect(withTestsift({}, { record: true }).reporters).toEqual(['default', [reporterFile, {}]]);
  });
});
