/** The Experiments form's variation boxes and the study chart's series. */
import { describe, expect, it } from 'vitest';
import { emptyTexts, parseVariationTexts } from '../../src/renderer/src/features/experiments/variation-text';
import { RUN_PALETTE, rawSeries, runColour, runDash, smooth } from '../../src/renderer/src/features/experiments/study-series';

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
