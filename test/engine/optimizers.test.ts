import { describe, expect, it } from 'vitest';
import type { Param } from '../../src/engine/nn/layer';
import { createOptimizer } from '../../src/engine/nn/optimizers';

function param(value: number[], grad: number[], decays = true): Param {
  return { name: 'W', value: Float32Array.from(value), grad: Float32Array.from(grad), decays };
}

const settings = { learningRate: 0.1, momentum: 0.9, weightDecay: 0 };

describe('optimisers, step by hand', () => {
  it('sgd: w ← w − η·g', () => {
    const p = param([1, -2], [0.5, -1]);
    createOptimizer('sgd', settings).step([p]);
    expect(p.value[0]).toBeCloseTo(0.95, 6);
    expect(p.value[1]).toBeCloseTo(-1.9, 6);
  });

  it('sgd with L2 decay adds λ·w to weights but not to biases', () => {
    const w = param([1], [0]);
    const b = param([1], [0], false);
    createOptimizer('sgd', { ...settings, weightDecay: 0.5 }).step([w, b]);
    expect(w.value[0]).toBeCloseTo(1 - 0.1 * 0.5, 6);
    expect(b.value[0]).toBe(1);
  });

  it('momentum: v ← μv + g; w ← w − ηv, over two steps', () => {
    const p = param([0], [1]);
    const opt = createOptimizer('momentum', settings);
    opt.step([p]);
    expect(p.value[0]).toBeCloseTo(-0.1, 6);
    opt.step([p]);
    // v = 0.9·1 + 1 = 1.9
    expect(p.value[0]).toBeCloseTo(-0.1 - 0.19, 6);
  });

  it('adam: the first step moves every weight by about η·sign(g), whatever the gradient scale', () => {
    const p = param([0, 0, 0], [1e-4, -3, 50]);
    createOptimizer('adam', { ...settings, learningRate: 0.01 }).step([p]);
    expect(p.value[0]).toBeCloseTo(-0.01, 5);
    expect(p.value[1]).toBeCloseTo(0.01, 5);
    expect(p.value[2]).toBeCloseTo(-0.01, 5);
  });

  it('adam: the second step follows the bias-corrected formula', () => {
    const p = param([0], [1]);
    const opt = createOptimizer('adam', { ...settings, learningRate: 0.01 });
    opt.step([p]);
    p.grad[0] = -1;
    opt.step([p]);
    const m = 0.9 * 0.1 + 0.1 * -1;
    const v = 0.999 * 0.001 + 0.001 * 1;
    const mHat = m / (1 - 0.9 ** 2);
    const vHat = v / (1 - 0.999 ** 2);
    expect(p.value[0]).toBeCloseTo(-0.01 - (0.01 * mHat) / (Math.sqrt(vHat) + 1e-8), 6);
  });
});
