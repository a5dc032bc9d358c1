import { describe, expect, it } from 'vitest';
import { createActivation } from '../../src/engine/nn/activation';
import { Dense } from '../../src/engine/nn/dense';
import { checkLayerGradients, checkLossGradient, checkNetworkGradients } from '../../src/engine/teaching/gradient-check';
import { jsKernels } from '../../src/engine/kernels/js';
import { Network } from '../../src/engine/nn/network';
import { Rng } from '../../src/engine/nn/rng';
import { ACTIVATIONS } from '../../src/engine/training/run-config';

// Correct float32 backprop lands between 1e-7 and 1e-4 here; a missing or extra 1/N (N = 4 or more)
// or a wrong transpose lands at 0.1 or above. 1e-3 separates the two with room on both sides.
const TOLERANCE = 1e-3;

function randomInput(rng: Rng, n: number, awayFromZero = false): Float32Array {
  return Float32Array.from({ length: n }, () => {
    const v = rng.uniformIn(-1, 1);
    // Keeps ReLU inputs off the kink, where a finite difference straddles two slopes.
    return awayFromZero ? Math.sign(v) * (0.2 + Math.abs(v)) : v;
  });
}

function randomDense(rng: Rng, inputs: number, outputs: number): Dense {
  const d = new Dense(inputs, outputs, jsKernels);
  for (let i = 0; i < d.weights.length; i++) d.weights[i] = rng.uniformIn(-1, 1);
  for (let i = 0; i < d.biases.length; i++) d.biases[i] = rng.uniformIn(-0.5, 0.5);
  return d;
}

describe('gradient checks', () => {
  it('Dense: input, W and b gradients match numeric ones', () => {
    const rng = new Rng(3);
    const layer = randomDense(rng, 7, 5);
    const results = checkLayerGradients(layer, randomInput(rng, 4 * 7), 4, rng);
    expect(results.map((r) => r.name)).toEqual(['input', 'Dense(7→5) W', 'Dense(7→5) b']);
    for (const r of results) expect(r.relativeError, r.name).toBeLessThan(TOLERANCE);
  });

  for (const name of ACTIVATIONS) {
    it(`${name}: the input gradient matches the numeric one`, () => {
      const rng = new Rng(5);
      const layer = createActivation(name, 6, jsKernels);
      const [result] = checkLayerGradients(layer, randomInput(rng, 3 * 6, name === 'relu'), 3, rng, { epsilon: 1e-2 });
      expect(result.relativeError).toBeLessThan(TOLERANCE);
    });
  }

  it('softmax cross-entropy: the gradient matches, including its 1/N', () => {
    const rng = new Rng(9);
    const logits = randomInput(rng, 8 * 10).map((v) => v * 4);
    const labels = Uint8Array.from({ length: 8 }, (_, i) => (i * 3) % 10);
    expect(checkLossGradient(logits, labels, 8, 10, rng).relativeError).toBeLessThan(TOLERANCE);
  });

  for (const activation of ACTIVATIONS) {
    it(`a whole 3-layer ${activation} network: every parameter's gradient matches`, () => {
      const rng = new Rng(11);
      const network = new Network({ layers: [12, 9, 7, 4], activation, init: 'xavier' }, jsKernels);
      network.initialise(rng);
      for (const d of network.dense) for (let i = 0; i < d.biases.length; i++) d.biases[i] = rng.uniformIn(-0.3, 0.3);
      const input = randomInput(rng, 5 * 12);
      const labels = Uint8Array.from([0, 1, 2, 3, 1]);
      const results = checkNetworkGradients(network, input, labels, 5, rng, { epsilon: 1e-2 });
      expect(results).toHaveLength(6);
      for (const r of results) expect(r.relativeError, r.name).toBeLessThan(TOLERANCE);
    });
  }
});

describe('the gradient check catches the classic mistakes', () => {
  it('a weight gradient divided by N a second time (the double-averaging bug)', () => {
    class DoubleAveragingDense extends Dense {
      override backward(g: Float32Array, needInput: boolean): Float32Array | null {
        const dx = super.backward(g, needInput);
        for (let i = 0; i < this.weightGrad.length; i++) this.weightGrad[i] /= 8;
        return dx;
      }
    }
    const rng = new Rng(4);
    const layer = new DoubleAveragingDense(6, 3, jsKernels);
    for (let i = 0; i < layer.weights.length; i++) layer.weights[i] = rng.uniformIn(-1, 1);
    const results = checkLayerGradients(layer, randomInput(rng, 8 * 6), 8, rng);
    const w = results.find((r) => r.name.endsWith(' W'));
    expect(w?.relativeError).toBeGreaterThan(0.5);
  });

  it('an input gradient computed with W instead of Wᵀ', () => {
    // A square layer, so the wrong transpose still has the right shape and only the numbers betray it.
    class WrongTransposeDense extends Dense {
      override backward(g: Float32Array, needInput: boolean): Float32Array | null {
        const dx = super.backward(g, needInput);
        if (dx) jsKernels.matmul(g, this.weights, dx, dx.length / this.inputSize, this.outputSize, this.inputSize);
        return dx;
      }
    }
    const rng = new Rng(6);
    const layer = new WrongTransposeDense(5, 5, jsKernels);
    for (let i = 0; i < layer.weights.length; i++) layer.weights[i] = rng.uniformIn(-1, 1);
    const [input] = checkLayerGradients(layer, randomInput(rng, 3 * 5), 3, rng);
    expect(input.relativeError).toBeGreaterThan(0.1);
  });
});
