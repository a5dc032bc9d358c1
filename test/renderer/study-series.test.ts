/** The Experiments form's variation boxes and the study chart's series. */
import { describe, expect, it } from 'vitest';
import { emptyTexts, parseVariationTexts } from '../../src/renderer/src/features/experiments/variation-text';
import { RUN_PALETTE, iterationScale, rawSeries, runColour, runDash, scaleX, smooth } from '../../src/renderer/src/features/experiments/study-series';

describe('variation boxes', () => {
  it('reads numbers, names and hidden widths; empty boxes vary nothing', () => {
    const texts = { ...emptyTexts(), batchSize: '16, 32', activation: 'ReLU, tanh', hidden: '128x64, 32' };
    expect(parseVariationTexts(texts)).toEqual({
      ok: true,
      variations: [
        { key: 'batchSize', values: [16, 32] },
        { key: 'activation', values: ['relu', 'tanh'] },
        { key: 'hidden', values: [[128, 64], [32]] },
      ],
    });
    expect(parseVariationTexts(emptyTexts())).toEqual({ ok: true, variations: [] });
  });

  it('names the box and the value it cannot read', () => {
    expect(parseVariationTexts({ ...emptyTexts(), learningRate: '0.1, fast' })).toEqual({ ok: false, key: 'learningRate', message: 'Learning rate: "fast" is not a number.' });
    expect(parseVariationTexts({ ...emptyTexts(), hidden: '128-64' })).toMatchObject({ ok: false, key: 'hidden' });
    expect(parseVariationTexts({ ...emptyTexts(), batchSize: '16,,32' })).toMatchObject({ ok: false, message: 'Batch size: a value is missing between commas.' });
  });
});

describe('study series', () => {
  it('leaves non-finite values (a diverged run) out of a series', () => {
    const curves = { iterations: [{ iteration: 1, loss: 2, accuracy: 0.1 }, { iteration: 2, loss: Number.NaN, accuracy: 0.1 }], epochs: [] };
    expect(rawSeries(curves, 'iteration-loss')).toEqual([{ x: 1, y: 2 }]);
  });

  it('smooths with a debiased moving average: 0 is the raw curve, and a constant stays constant', () => {
    const points = [1, 3, 5].map((y, x) => ({ x, y }));
    expect(smooth(points, 0)).toEqual(points);
    expect(smooth([4, 4, 4].map((y, x) => ({ x, y })), 0.9).map((p) => p.y)).toEqual([4, 4, 4].map(() => expect.closeTo(4, 12)));
    const s = smooth(points, 0.5).map((p) => p.y);
    expect(s[0]).toBeCloseTo(1);
    expect(s[1]).toBeCloseTo((0.5 * 1 * 0.5 + 0.5 * 3) / 0.75);
  });

  it('gives nine distinct colours, then repeats them dashed', () => {
    expect(new Set(RUN_PALETTE.map((_, i) => runColour(i))).size).toBe(9);
    expect(runColour(9)).toBe(runColour(0));
    expect(runDash(0)).toEqual([]);
    expect(runDash(9)).not.toEqual([]);
    expect(runColour(1, true)).not.toBe(runColour(1));
  });
});

describe('the study chart’s x axis', () => {
  // Batch 16 and batch 128 on 6 000 images for 2 epochs: 750 and 94 iterations.
  const small = { config: { batchSize: 16, epochs: 2 }, totalIterations: 750 };
  const large = { config: { batchSize: 128, epochs: 2 }, totalIterations: 94 };

  it('puts the end of every run at the same epoch, however many iterations it took', () => {
    expect(750 * (iterationScale('epochs', small) ?? 0)).toBeCloseTo(2, 12);
    expect(94 * (iterationScale('epochs', large) ?? 0)).toBeCloseTo(2, 12);
  });

  it('counts images seen as iterations times the batch size', () => {
    expect(iterationScale('images', small)).toBe(16);
    expect(iterationScale('images', large)).toBe(128);
    expect(scaleX([{ x: 10, y: 2.3 }], 16)).toEqual([{ x: 160, y: 2.3 }]);
  });

  it('leaves iterations as they are, and has no epoch scale while a run’s length is unknown', () => {
    expect(iterationScale('iterations', small)).toBe(1);
    expect(iterationScale('epochs', { config: { batchSize: 16, epochs: 2 }, totalIterations: null })).toBeNull();
  });
});
