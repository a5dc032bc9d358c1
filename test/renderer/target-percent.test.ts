import { describe, expect, it } from 'vitest';
import { checkTargetPercent, targetPercent } from '../../src/renderer/src/features/experiments/target-percent';

describe('the "Time to … %" target as typed', () => {
  it('takes a percentage above 0 and at most 100 as a fraction, to 0.01 %', () => {
    expect(checkTargetPercent(95)).toEqual({ ok: true, target: 0.95 });
    expect(checkTargetPercent(92.5)).toEqual({ ok: true, target: 0.925 });
    expect(checkTargetPercent(100)).toEqual({ ok: true, target: 1 });
    expect(checkTargetPercent(0.01)).toEqual({ ok: true, target: 0.0001 });
    // Rounded to what the header shows, with no binary noise in the CSV header's name.
    expect(checkTargetPercent(33.333)).toEqual({ ok: true, target: 0.3333 });
    expect(String((checkTargetPercent(33.3) as { target: number }).target)).toBe('0.333');
  });

  it('refuses an empty box, 0 or less, more than 100, and what is not a number, saying why', () => {
    expect(checkTargetPercent(null)).toEqual({ ok: false, message: 'The target must be a number above 0 and at most 100, e.g. 95.' });
    expect(checkTargetPercent(Number.NaN)).toEqual({ ok: false, message: 'The target must be a number above 0 and at most 100, e.g. 95.' });
    expect(checkTargetPercent(0)).toEqual({ ok: false, message: 'The target must be a number above 0 and at most 100; got 0.' });
    expect(checkTargetPercent(-5)).toEqual({ ok: false, message: 'The target must be a number above 0 and at most 100; got -5.' });
    expect(checkTargetPercent(100.5)).toEqual({ ok: false, message: 'The target must be a number above 0 and at most 100; got 100.5.' });
    expect(checkTargetPercent(Number.POSITIVE_INFINITY)).toEqual({ ok: false, message: 'The target must be a number above 0 and at most 100; got Infinity.' });
    // Above 0, but nothing left at 0.01 %.
    expect(checkTargetPercent(0.001)).toEqual({ ok: false, message: 'The target must be a number above 0 and at most 100; got 0.001.' });
  });

  it('shows a target as its percentage', () => {
    expect(targetPercent(0.9)).toBe(90);
    expect(targetPercent(0.925)).toBe(92.5);
    expect(targetPercent(0.3333)).toBe(33.33);
    expect(targetPercent(1)).toBe(100);
  });
});
