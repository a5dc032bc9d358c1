import { describe, expect, it } from 'vitest';
import { EpochCurves, IterationCurves, trendDecay } from '../../src/renderer/src/ui/charts/curves';

const point = (iteration: number, loss: number, accuracy: number) => ({ iteration, loss, accuracy });

describe('iteration curves', () => {
  it('keep every raw point and a trend that starts on the data (bias-corrected)', () => {
    const curves = new IterationCurves();
    curves.clear(64);
    curves.add([point(1, 2.3, 0.1), point(2, 2.1, 0.2)]);
    expect(curves.loss).toEqual([{ x: 1, y: 2.3 }, { x: 2, y: 2.1 }]);
    expect(curves.lossTrend[0]).toEqual({ x: 1, y: 2.3 });
    expect(curves.lossTrend[1]?.y).toBeCloseTo((0.98 * 0.02 * 2.3 + 0.02 * 2.1) / (0.98 * 0.02 + 0.02), 12);
    expect(curves.accuracyTrend[0]?.y).toBeCloseTo(0.1, 12);
    expect(curves.size).toBe(2);
  });

  it('a constant signal has a constant trend', () => {
    const curves = new IterationCurves();
    curves.clear(8);
    curves.add(Array.from({ length: 500 }, (_, i) => point(i + 1, 0.5, 0.75)));
    for (const p of curves.lossTrend) expect(p.y).toBeCloseTo(0.5, 12);
    for (const p of curves.accuracyTrend) expect(p.y).toBeCloseTo(0.75, 12);
  });

  it('a diverging loss (NaN, Infinity) becomes a gap and stays out of the trend', () => {
    const curves = new IterationCurves();
    curves.clear(64);
    curves.add([point(1, 1, 0.5), point(2, Number.NaN, 0.1), point(3, Number.POSITIVE_INFINITY, 0.1), point(4, 1, 0.5)]);
    expect(curves.loss.map((p) => p.y)).toEqual([1, Number.NaN, Number.NaN, 1]);
    expect(curves.lossTrend.map((p) => p.x)).toEqual([1, 4]);
    expect(curves.lossTrend[1]?.y).toBeCloseTo(1, 12);
  });

  it('clear empties the arrays in place, so a chart holding them sees the new run', () => {
    const curves = new IterationCurves();
    curves.clear(64);
    const loss = curves.loss;
    curves.add([point(1, 1, 1)]);
    curves.clear(32);
    expect(curves.loss).toBe(loss);
    expect(loss).toHaveLength(0);
    curves.add([point(1, 3, 0)]);
    expect(curves.lossTrend[0]).toEqual({ x: 1, y: 3 });
  });

  it('the trend spans about the same number of images whatever the batch size', () => {
    expect(trendDecay(64)).toBeCloseTo(0.98, 12);
    expect(trendDecay(8)).toBeCloseTo(0.9975, 12);
    expect(trendDecay(1)).toBe(0.999);
    expect(trendDecay(4096)).toBe(0.5);
  });
});

describe('epoch curves', () => {
  it('plot train and test accuracy against the epoch number', () => {
    const curves = new EpochCurves();
    curves.add({ epoch: 1, trainLoss: 0.4, trainAccuracy: 0.9, testLoss: 0.3, testAccuracy: 0.93, seconds: 2, samplesPerSecond: 30000 });
    expect(curves.train).toEqual([{ x: 1, y: 0.9 }]);
    expect(curves.test).toEqual([{ x: 1, y: 0.93 }]);
    curves.clear();
    expect(curves.test).toHaveLength(0);
  });
});
