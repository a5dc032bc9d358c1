import { describe, expect, it } from 'vitest';
import { Dense } from '../../src/engine/nn/dense';
import { jsKernels } from '../../src/engine/kernels/js';
import { ShapeError } from '../../src/engine/nn/layer';
import { Network, checkInputFits } from '../../src/engine/nn/network';

describe('Dense shape checks say what to do', () => {
  it('the course notebook\'s Dense(28→100) fed 28×28 images is told to flatten to 784', () => {
    const layer = new Dense(28, 100, jsKernels);
    const batch = new Float32Array(8 * 28 * 28);
    expect(() => layer.forward(batch, 8)).toThrow(ShapeError);
    expect(() => layer.forward(batch, 8)).toThrow(/Dense\(28→100\) got input width 784 .*flatten them to 784 .*Dense\(784→100\)/);
  });

  it('a width that is not a whole number of rows is described as such', () => {
    const layer = new Dense(4, 2, jsKernels);
    expect(() => layer.forward(new Float32Array(10), 3)).toThrow(/10 numbers, which is not a whole number of rows of 4/);
  });

  it('checkInputFits explains a first layer sized by one image row', () => {
    const network = new Network({ layers: [28, 100, 10], activation: 'relu', init: 'he' }, jsKernels);
    expect(() => checkInputFits(network, 28, 28)).toThrow(/first layer takes 28 inputs but each image has 28×28 = 784 pixels\. The first layer was sized by one image row/);
  });

  it('backward gives the textbook gradients on a hand-sized example', () => {
    const layer = new Dense(2, 2, jsKernels);
    layer.weights.set([1, 2, 3, 4]);
    layer.biases.set([0.5, -0.5]);
    const x = Float32Array.from([1, 0, 0, 2]);
    expect(Array.from(layer.forward(x, 2))).toEqual([1.5, 1.5, 6.5, 7.5]);
    const g = Float32Array.from([1, 0, 0, 1]);
    const dx = layer.backward(g, true);
    // dW = Xᵀ·G = [[1,0],[0,2]], db = column sums of G, dX = G·Wᵀ.
    expect(Array.from(layer.weightGrad)).toEqual([1, 0, 0, 2]);
    expect(Array.from(layer.biasGrad)).toEqual([1, 1]);
    expect(Array.from(dx ?? [])).toEqual([1, 3, 2, 4]);
  });
});
