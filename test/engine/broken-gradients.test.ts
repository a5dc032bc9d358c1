/**
 * The gradient-check panel's logic: the true backward pass passes layer by layer, and each
 * breakage (the 1/N dropped, an activation's derivative dropped) makes the check fail where it
 * should. Also the step-through's hand-written backprop against the engine's own forward/backward.
 */
import { describe, expect, it } from 'vitest';
import { checkNetworkLayers } from '../../src/engine/teaching/broken-gradients';
import { traceBackprop } from '../../src/engine/teaching/backprop-trace';
import { jsKernels } from '../../src/engine/kernels/js';
import { Network } from '../../src/engine/nn/network';
import { Rng } from '../../src/engine/nn/rng';
import { softmaxCrossEntropy } from '../../src/engine/nn/softmax-cross-entropy';
import type { ActivationName } from '../../src/engine/training/run-config';

function setup(activation: ActivationName = 'tanh', layers = [12, 8, 6, 4], batch = 5) {
  const network = new Network({ layers, activation, init: 'xavier' }, jsKernels);
  const rng = new Rng(3);
  network.initialise(rng);
  const input = Float32Array.from({ length: batch * layers[0] }, () => rng.uniformIn(-1, 1));
  const labels = Uint8Array.from({ length: batch }, (_, i) => i % layers[layers.length - 1]);
  return { network, input, labels, batch, rng };
}

describe('gradient check with breakage switches', () => {
  it('passes every layer when nothing is broken', () => {
    const { network, input, labels, batch, rng } = setup();
    const checks = checkNetworkLayers(network, input, labels, batch, rng);
    expect(checks.map((c) => c.layer)).toEqual(['Dense(12→8)', 'Dense(8→6)', 'Dense(6→4)']);
    for (const check of checks) expect(check.relativeError, check.layer).toBeLessThan(1e-2);
    expect(checks.every((c) => c.pass)).toBe(true);
  });

  it('passes on an MNIST-sized ReLU network with mostly-zero inputs (the numeric side runs in doubles)', () => {
    const network = new Network({ layers: [784, 64, 32, 10], activation: 'relu', init: 'he' }, jsKernels);
    const rng = new Rng(5);
    network.initialise(rng);
    const batch = 8;
    const input = Float32Array.from({ length: batch * 784 }, () => (rng.uniform() < 0.8 ? 0 : rng.uniform()));
    const labels = Uint8Array.from({ length: batch }, (_, i) => i);
    const checks = checkNetworkLayers(network, input, labels, batch, rng, { dropMean: false, skipDerivative: null }, { maxEntries: 24 });
    expect(checks.map((c) => c.pass)).toEqual([true, true, true]);
  });

  it('dropping the 1/N fails every layer with relative error (N−1)/(N+1)', () => {
    const { network, input, labels, batch, rng } = setup();
    const checks = checkNetworkLayers(network, input, labels, batch, rng, { dropMean: true, skipDerivative: null });
    for (const check of checks) {
      expect(check.pass).toBe(false);
      expect(check.relativeError).toBeCloseTo((batch - 1) / (batch + 1), 2);
    }
  });

  it("dropping the last hidden activation's derivative fails the layers below it, not the one above", () => {
    const { network, input, labels, batch, rng } = setup();
    const checks = checkNetworkLayers(network, input, labels, batch, rng, { dropMean: false, skipDerivative: 1 });
    expect(checks.map((c) => c.pass)).toEqual([false, false, true]);
  });

  it("dropping the first hidden activation's derivative fails only the first layer", () => {
    const { network, input, labels, batch, rng } = setup('sigmoid');
    const checks = checkNetworkLayers(network, input, labels, batch, rng, { dropMean: false, skipDerivative: 0 });
    expect(checks.map((c) => c.pass)).toEqual([false, true, true]);
  });
});

describe('backprop step-through', () => {
  for (const activation of ['relu', 'sigmoid', 'tanh'] as const) {
    it(`matches the engine's forward, loss and backward (${activation})`, () => {
      const { network, input } = setup(activation, [12, 8, 6, 4], 1);
      const trace = traceBackprop(network.getWeights(), activation, input, 2, 0.1);
      const logits = network.forward(input, 1);
      const gradient = new Float32Array(4);
      const probabilities = new Float32Array(4);
      const { loss } = softmaxCrossEntropy(logits, [2], 1, 4, gradient, probabilities);
      network.backward(gradient);

      const step = (name: string) => {
        const found = trace.steps.find((s) => s.result.name === name);
        if (!found) throw new Error(`no step ${name}`);
        return Array.from(found.result.values);
      };
      const close = (actual: number[], expected: ArrayLike<number>) => {
        expect(actual).toHaveLength(expected.length);
        actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
      };
      close(step('z₃'), logits);
      close(step('p'), probabilities);
      expect(trace.loss).toBeCloseTo(loss, 5);
      close(step('δ₃'), gradient);
      network.dense.forEach((dense, k) => {
        close(step(`∂L/∂W${'₁₂₃'[k]}`), dense.weightGrad);
        close(step(`∂L/∂b${'₁₂₃'[k]}`), dense.biasGrad);
        close(step(`new W${'₁₂₃'[k]}`), Array.from(dense.weights, (w, i) => w - 0.1 * dense.weightGrad[i]));
      });
      expect(trace.steps.map((s) => s.phase)).toEqual([
        ...Array(7).fill('forward'),
        ...Array(9).fill('backward'),
        ...Array(3).fill('update'),
      ]);
      expect(trace.steps[0].shapes).toBe('(1×12)·(12×8) + (8) → 1×8');
    });
  }
});
