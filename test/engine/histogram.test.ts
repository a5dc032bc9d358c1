import { describe, expect, it } from 'vitest';
import { deadFraction, deadUnits, histogram, saturatedFraction } from '../../src/engine/teaching/histogram';

describe('histogram', () => {
  it('counts values into equal bins over their own range, the maximum in the last bin', () => {
    const h = histogram(Float32Array.of(0, 0.1, 0.3, 0.5, 0.74, 0.75, 1), 4);
    expect(Array.from(h.edges)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(Array.from(h.counts)).toEqual([2, 1, 2, 2]);
    expect([h.below, h.above, h.nan]).toEqual([0, 0, 0]);
  });

  it('puts a value on an interior edge in the bin that starts there', () => {
    // 0.3 and 0.6 are edges of [0, 0.9] in thirds; (0.3 − 0) · 3/0.9 is 0.9999999999999999 in floats.
    const h = histogram([0, 0.3, 0.6, 0.9], 3, { min: 0, max: 0.9 });
    expect(Array.from(h.counts)).toEqual([1, 1, 2]);
    for (let b = 0; b < 3; b++) expect(h.edges[b]).toBeLessThanOrEqual([0, 0.3, 0.6][b]);
  });

  it('with an explicit range, counts values outside it apart instead of clamping them in', () => {
    const h = histogram([-5, -1, 0, 1, 5], 2, { min: -1, max: 1 });
    expect(Array.from(h.counts)).toEqual([1, 2]);
    expect([h.below, h.above]).toEqual([1, 1]);
  });

  it('counts NaN apart and leaves ±∞ out of the automatic range', () => {
    const h = histogram([Number.NaN, -Infinity, 2, 4, Infinity, Number.NaN], 2);
    expect(Array.from(h.edges)).toEqual([2, 3, 4]);
    expect(Array.from(h.counts)).toEqual([1, 1]);
    expect([h.below, h.above, h.nan]).toEqual([1, 1, 2]);
  });

  it('gives a single repeated value a unit-wide range around it, and no values the range [0, 1]', () => {
    const same = histogram([3, 3, 3], 3);
    expect(Array.from(same.edges)).toEqual([2.5, 2.5 + 1 / 3, 2.5 + 2 / 3, 3.5]);
    expect(Array.from(same.counts)).toEqual([0, 3, 0]);
    const none = histogram([], 2);
    expect(Array.from(none.edges)).toEqual([0, 0.5, 1]);
    expect(Array.from(none.counts)).toEqual([0, 0]);
    expect(histogram([Number.NaN], 2).nan).toBe(1);
  });

  it('refuses a bin count that is not a whole number ≥ 1 and a range that is empty or not finite', () => {
    expect(() => histogram([1], 0)).toThrow(/at least 1; got 0/);
    expect(() => histogram([1], 2.5)).toThrow(/whole number of bins/);
    expect(() => histogram([1], 2, { min: 1, max: 1 })).toThrow(/finite min < max; got \[1, 1\]/);
    expect(() => histogram([1], 2, { min: 0, max: Infinity })).toThrow(/finite min < max/);
  });
});

describe('deadUnits and deadFraction', () => {
  // 3 samples × 4 units, sample after sample: unit 0 fires once, unit 1 never, unit 2 always, unit 3 never.
  const activations = Float32Array.of(
    0, 0, 1, 0,
    2, 0, 3, 0,
    0, -0, 4, 0,
  );

  it('finds the units that are zero for every sample of the batch', () => {
    expect(Array.from(deadUnits(activations, 4, 3))).toEqual([0, 1, 0, 1]);
    expect(deadFraction(activations, 4, 3)).toBe(0.5);
  });

  it('does not call a unit dead because of one zero, nor a NaN unit dead', () => {
    expect(deadFraction(Float32Array.of(0, 0.001), 1, 2)).toBe(0);
    expect(deadFraction(Float32Array.of(Number.NaN, 0), 1, 2)).toBe(0);
    expect(deadFraction(new Float32Array(6), 3, 2)).toBe(1);
  });

  it('refuses activations that do not match units × batch', () => {
    expect(() => deadFraction(new Float32Array(5), 2, 3)).toThrow(/3 samples × 2 units are 6 activations, but 5 were given/);
    expect(() => deadFraction(new Float32Array(0), 0, 0)).toThrow(/at least 1 unit and 1 sample/);
  });
});

describe('saturatedFraction', () => {
  it('counts sigmoid outputs within 0.02 of 0 or 1 by default', () => {
    expect(saturatedFraction(Float32Array.of(0, 0.01, 0.03, 0.5, 0.97, 0.995, 1, 0.5), 'sigmoid')).toBe(4 / 8);
  });

  it('counts tanh outputs within 0.04 of −1 or 1 by default', () => {
    expect(saturatedFraction([-1, -0.97, -0.95, 0, 0.5, 0.95, 0.97, 1], 'tanh')).toBe(4 / 8);
    // A sigmoid-sized ε would miss these: tanh's range is twice as wide.
    expect(saturatedFraction([-0.97, 0.97], 'tanh', 0.02)).toBe(0);
  });

  it('takes an explicit ε, treats NaN as not saturated, and gives 0 for no outputs', () => {
    expect(saturatedFraction([0.1, 0.9, 0.5], 'sigmoid', 0.1)).toBeCloseTo(2 / 3, 12);
    expect(saturatedFraction([Number.NaN, 1], 'sigmoid')).toBe(0.5);
    expect(saturatedFraction([], 'tanh')).toBe(0);
    expect(() => saturatedFraction([0.5], 'sigmoid', 0.5)).toThrow(/below half the sigmoid range \(0.5\); got 0.5/);
    expect(() => saturatedFraction([0.5], 'sigmoid', -0.1)).toThrow(/epsilon/);
  });
});
