import { describe, expect, it } from 'vitest';
import { formatCount, formatDuration, formatLoss, formatPercent } from '../../src/renderer/src/ui/format';

describe('numbers on screen', () => {
  it('percentages, with a dash for nothing to show', () => {
    expect(formatPercent(0.97342)).toBe('97.3 %');
    expect(formatPercent(0.97342, 2)).toBe('97.34 %');
    expect(formatPercent(1, 0)).toBe('100 %');
    expect(formatPercent(null)).toBe('–');
    expect(formatPercent(Number.NaN)).toBe('–');
  });

  it('losses to three significant digits', () => {
    expect(formatLoss(2.302585)).toBe('2.30');
    expect(formatLoss(0.041234)).toBe('0.0412');
    expect(formatLoss(Number.POSITIVE_INFINITY)).toBe('–');
    expect(formatLoss(undefined)).toBe('–');
  });

  it('counts with thousands separators', () => {
    expect(formatCount(60000)).toBe('60,000');
    expect(formatCount(12345.6)).toBe('12,346');
  });

  it('durations as people say them', () => {
    expect(formatDuration(7.6)).toBe('8 s');
    expect(formatDuration(125)).toBe('2 min 05 s');
    expect(formatDuration(3840)).toBe('1 h 04 min');
    expect(formatDuration(null)).toBe('–');
    expect(formatDuration(-1)).toBe('–');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('–');
  });
});
