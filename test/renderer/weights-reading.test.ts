// Reading one hidden unit, and drawing the histograms: test images to offer, a unit's rank in its
// layer, the bars as one path, and round tick values.
import { describe, expect, it } from 'vitest';
import { firstOfEachClass, rankAmong } from '../../src/renderer/src/features/weights/unit-reading';
import { barsPath, niceTicks } from '../../src/renderer/src/features/weights/histogram-geometry';

describe('a unit on a test image', () => {
  it('offers the first image of each class, in class order', () => {
    expect(firstOfEachClass([7, 2, 1, 0, 4, 1, 4, 9, 5, 9, 0, 6])).toEqual([3, 2, 1, 4, 8, 11, 0, 7]);
    expect(firstOfEachClass([])).toEqual([]);
  });

  it("ranks a unit's output among the other units of its layer", () => {
    const outputs = [0, 3, 1, 3, 0.5];
    expect(rankAmong(outputs, 1)).toBe(0.75); // above 0, 1 and 0.5; not above the other 3
    expect(rankAmong(outputs, 0)).toBe(0);
    expect(rankAmong([0, 0, 0], 1)).toBe(0); // a dead unit among dead ones
    expect(rankAmong([2, 1, 0], 0)).toBe(1);
    expect(rankAmong([5], 0)).toBe(0);
  });
});

describe('histogram geometry', () => {
  it('draws every non-empty bin as one closed bar in a single path', () => {
    expect(barsPath([2, 0, 1], 2, 100)).toBe('M0.1 100V0H0.9V100ZM2.1 100V50H2.9V100Z');
    expect(barsPath([0, 0], 1, 100)).toBe('');
    expect(barsPath([5, 1], 2, 10)).toBe('M0.1 10V0H0.9V10ZM1.1 10V5H1.9V10Z'); // never taller than the box
  });

  it.each([
    [-0.34, 0.3, 4, [-0.2, 0, 0.2]],
    [0, 6.7, 4, [0, 2, 4, 6]],
    [-0.46, 0.45, 4, [-0.4, -0.2, 0, 0.2, 0.4]],
    [0, 11, 4, [0, 5, 10]],
    [0.5, 0.5, 4, [0.5]],
    [0, 1000, 4, [0, 200, 400, 600, 800, 1000]],
  ])('ticks from %f to %f', (min, max, target, ticks) => {
    expect(niceTicks(min, max, target)).toEqual(ticks);
  });

  it('has no ticks for a range that is not finite', () => {
    expect(niceTicks(Number.NaN, 1, 4)).toEqual([]);
    expect(niceTicks(0, Infinity, 4)).toEqual([]);
  });
});
