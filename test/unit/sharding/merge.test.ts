import { describe, expect, it } from 'vitest';
import { mergeTimingReports, pruneMissing } from '../../../src/sharding/index.js';

const r = (o: Record<string, number>) => new Map(Object.entries(o));

describe('mergeTimingReports', () => {
  const older = r({ 'spec/a_spec.rb': 10, 'spec/b_spec.rb': 4 });
  const newer = r({ 'spec/a_spec.rb': 20, 'spec/c_spec.rb': 1 });

  it('latest: a later report’s time wins, files only in one report keep theirs', () => {
    expect(Object.fromEntries(mergeTimingReports([older, newer], { strategy: 'latest' }))).toEqual({
      'spec/a_spec.rb': 20,
      'spec/b_spec.rb': 4,
      'spec/c_spec.rb': 1,
    });
  });

  it('ema: the newer value weighs alpha', () => {
    const m = mergeTimingReports([older, newer, r({ 'spec/a_spec.rb': 0 })], { strategy: 'ema', alpha: 0.5 });
    expect(m.get('spec/a_spec.rb')).toBeCloseTo(7.5, 12); // 10 → 15 → 7.5
    expect(m.get('spec/b_spec.rb')).toBe(4);
    expect(mergeTimingReports([older, newer], { strategy: 'ema' }).get('spec/a_spec.rb')).toBeCloseTo(13, 12); // default alpha 0.3
  });

  it('rejects an alpha outside (0, 1]', () => {
    expect(() => mergeTimingReports([older], { strategy: 'ema', alpha: 0 })).toThrow(RangeError);
    expect(() => mergeTimingReports([older], { strategy: 'ema', alpha: 1.5 })).toThrow(RangeError);
  });

  it('pruneMissing drops files that do not exist and names them', () => {
    const { report, pruned } = pruneMissing(r({ a: 1, b: 2, c: 3 }), (p) => p !== 'b');
    expect([...report.keys()]).toEqual(['a', 'c']);
    expect(pruned).toEqual(['b']);
  });
});
