// The course notebook's own unit tests, run against our engine. The notebook left the loss check
// unfinished (its numeric gradient was commented out); here it is completed.
import { describe, expect, it } from 'vitest';
import { Dense } from '../../src/engine/nn/dense';
import { initialiseWeights } from '../../src/engine/nn/init';
import { jsKernels } from '../../src/engine/kernels/js';
import { Rng } from '../../src/engine/nn/rng';
import { checkLossGradient } from '../../src/engine/teaching/gradient-check';
import { linspace, mean, std } from '../helpers/arrays';

describe('the notebook checks', () => {
  it('Dense(128,150) under normal-0.01 has zero-mean small weights and zero-mean biases', () => {
    const layer = new Dense(128, 150, jsKernels);
    initialiseWeights(layer.weights, 128, 150, 'normal-0.01', new Rng(42), 128);
    const m = mean(layer.weights);
    const s = std(layer.weights);
    expect(m).toBeGreaterThan(-0.05);
    expect(m).toBeLessThan(0.05);
    expect(s).toBeGreaterThan(1e-3);
    expect(s).toBeLessThan(1e-1);
    const bm = mean(layer.biases);
    expect(bm).toBeGreaterThan(-0.05);
    expect(bm).toBeLessThan(0.05);
  });

  it('Dense(3,4) on fixed weights gives the notebook\'s numbers', () => {
    const layer = new Dense(3, 4, jsKernels);
    layer.weights.set(linspace(-1, 1, 12));
    layer.biases.set(linspace(-1, 1, 4));
    const y = layer.forward(linspace(-1, 1, 6), 2);
    const expected = [
      [0.07272727, 0.41212121, 0.75151515, 1.09090909],
      [-0.90909091, 0.08484848, 1.07878788, 2.07272727],
    ].flat();
    expect(y.length).toBe(8);
    expected.forEach((v, i) => expect(y[i]).toBeCloseTo(v, 6));
  });

  it('softmax cross-entropy on linspace(-1,1,500) logits has the numeric gradient', () => {
    const logits = linspace(-1, 1, 500);
    const answers = Uint8Array.from({ length: 50 }, (_, i) => i % 10);
    const result = checkLossGradient(logits, answers, 50, 10, new Rng(1), { epsilon: 1e-2 });
    expect(result.checked).toBe(500);
    // The notebook asked for rtol 1e-3; our float32 logits and h = 1e-2 stay well inside that.
    expect(result.relativeError).toBeLessThan(1e-3);
  });
});
