// A dense layer and its ReLU in one kernel pass (forward: Z = X·W + b and ReLU(Z); backward: G·Wᵀ
// masked where the ReLU's output is not > 0), against the separate kernels they replace, and a
// network on them against the same network without them: bitwise, NaN and −0 included.
import { setFlagsFromString } from 'node:v8';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kernels } from '../../src/engine/kernels/kernels';
import { createWasmKernels, type WasmKernels } from '../../src/engine/kernels/wasm/wasm-kernels';
import { Network } from '../../src/engine/nn/network';
import { Rng } from '../../src/engine/nn/rng';
import { createRun } from '../../src/engine/training/run';
import { softmaxCrossEntropy } from '../../src/engine/nn/softmax-cross-entropy';
import type { RunConfig } from '../../src/engine/training/run-config';
import { mnistSubset } from '../helpers/mnist';

// As in kernels.test.ts: the fused multiply-add build is what Electron runs; test it too.
setFlagsFromString('--experimental-wasm-relaxed-simd');
afterAll(() => setFlagsFromString('--no-experimental-wasm-relaxed-simd'));

let wasm: WasmKernels;
/** The same kernels without the fused ReLU passes: every layer then runs on its own. */
let apart: Kernels;
beforeAll(async () => {
  wasm = await createWasmKernels({ maxBytes: 64 << 20 });
  apart = withoutFusedRelu(wasm);
});

function withoutFusedRelu(kernels: Kernels): Kernels {
  const plain: Kernels = Object.create(kernels);
  Object.assign(plain, { matmulBiasRelu: undefined, matmulTransBReluMask: undefined });
  return plain;
}

/** The kernels, counting the calls of the fused passes that did the work. */
function counting(kernels: WasmKernels, calls: { matmulBiasRelu: number; matmulTransBReluMask: number }): Kernels {
  const counted: Kernels = Object.create(kernels);
  counted.matmulBiasRelu = (...args) => kernels.matmulBiasRelu?.(...args) === true && ++calls.matmulBiasRelu > 0;
  counted.matmulTransBReluMask = (...args) => kernels.matmulTransBReluMask?.(...args) === true && ++calls.matmulTransBReluMask > 0;
  return counted;
}

/** A buffer of the wasm kernels: random in [−1, 1], zeroFraction of it 0, with NaN, −0 and 0 planted. */
function filled(rng: Rng, length: number, zeroFraction: number, specials = false): Float32Array {
  const x = wasm.createBuffer(length);
  for (let i = 0; i < length; i++) x[i] = rng.uniform() < zeroFraction ? 0 : rng.uniformIn(-1, 1);
  if (specials && length > 3) {
    x[rng.int(length)] = Number.NaN;
    x[rng.int(length)] = -0;
  }
  return x;
}

function bits(array: Float32Array): Uint32Array {
  return new Uint32Array(array.slice().buffer);
}

// Awkward sizes, the course network's, widths ending the 28-column panels at every lane, and more
// rows than the kernels list at a time (256: an evaluation batch of 500 goes in two chunks).
const shapes: [number, number, number][] = [
  [1, 1, 1], [3, 5, 7], [17, 33, 5], [33, 17, 33], [64, 784, 128], [64, 128, 64], [64, 64, 10], [40, 7, 130],
  [9, 27, 25], [5, 29, 57], [32, 56, 85], [33, 85, 56], [500, 33, 17], [257, 9, 30],
];

describe('matmulBiasRelu', () => {
  it('stores bitwise matmulBias in Z and relu of it in Y, NaN in X included', () => {
    const rng = new Rng(11);
    for (const [m, k, n] of shapes) {
      const x = filled(rng, m * k, 0.6, true);
      const w = filled(rng, k * n, 0);
      const bias = filled(rng, n, 0.3, true);
      const z = wasm.createBuffer(m * n).fill(Number.NaN);
      const y = wasm.createBuffer(m * n).fill(Number.NaN);
      expect(wasm.matmulBiasRelu?.(x, w, bias, z, y, m, k, n)).toBe(true);
      const zApart = wasm.createBuffer(m * n);
      const yApart = wasm.createBuffer(m * n);
      expect(wasm.matmulBias?.(x, w, bias, zApart, m, k, n)).toBe(true);
      expect(wasm.relu?.(zApart, yApart, m * n)).toBe(true);
      expect(bits(z)).toEqual(bits(zApart));
      expect(bits(y)).toEqual(bits(yApart));
    }
  });

  it('declines arrays that are not its own, writing nothing', () => {
    const x = wasm.createBuffer(6);
    const w = wasm.createBuffer(6);
    const bias = wasm.createBuffer(3);
    const z = wasm.createBuffer(6).fill(7);
    expect(wasm.matmulBiasRelu?.(x, w, bias, z, new Float32Array(6), 2, 3, 3)).toBe(false);
    expect(Array.from(z)).toEqual([7, 7, 7, 7, 7, 7]);
  });
});

describe('matmulTransBReluMask', () => {
  it('stores bitwise matmulTransB then reluBackward, with NaN, −0 and 0 in the ReLU output and NaN in G', () => {
    const rng = new Rng(12);
    for (const [m, n, k] of shapes) {
      const g = filled(rng, m * n, 0.5, true);
      const w = filled(rng, k * n, 0);
      const y = filled(rng, m * k, 0.5, true);
      const dx = wasm.createBuffer(m * k).fill(Number.NaN);
      expect(wasm.matmulTransBReluMask?.(g, w, y, dx, m, n, k)).toBe(true);
      const dy = wasm.createBuffer(m * k);
      const dxApart = wasm.createBuffer(m * k);
      wasm.matmulTransB(g, w, dy, m, n, k);
      expect(wasm.reluBackward?.(y, dy, dxApart, m * k)).toBe(true);
      expect(bits(dx)).toEqual(bits(dxApart));
    }
  });

  it('declines arrays that are not its own, writing nothing', () => {
    const g = wasm.createBuffer(6);
    const w = wasm.createBuffer(6);
    const dx = wasm.createBuffer(4).fill(7);
    expect(wasm.matmulTransBReluMask?.(g, w, new Float32Array(4), dx, 2, 3, 2)).toBe(false);
    expect(Array.from(dx)).toEqual([7, 7, 7, 7]);
  });
});

describe('a ReLU network on the fused passes', () => {
  const spec = { layers: [784, 33, 17, 10], activation: 'relu' as const, init: 'he' as const };

  it('gives bitwise the logits, every layer output and every gradient of the same network without them', () => {
    const data = mnistSubset(200, 10);
    const batch = 50;
    const calls = { matmulBiasRelu: 0, matmulTransBReluMask: 0 };
    const counted = counting(wasm, calls);
    const results = [counted, apart].map((kernels) => {
      const before = { ...calls };
      const network = new Network(spec, kernels);
      network.initialise(new Rng(3));
      const x = kernels.createBuffer(batch * 784);
      for (let i = 0; i < x.length; i++) x[i] = data.train.images[i] / 255;
      const logits = network.forward(x, batch);
      const grad = kernels.createBuffer(batch * 10);
      softmaxCrossEntropy(logits, data.train.labels, batch, 10, grad);
      network.backward(grad);
      const fusedCalls = { matmulBiasRelu: calls.matmulBiasRelu - before.matmulBiasRelu, matmulTransBReluMask: calls.matmulTransBReluMask - before.matmulTransBReluMask };
      const result = { logits: bits(logits), grads: network.params().map((p) => bits(p.grad)) };
      // Each hidden layer's ReLU output, as a forward pass gives it.
      return { ...result, fusedCalls, outputs: network.hiddenActivations(x, batch).map(bits) };
    });
    // Two ReLUs: each fused with the dense layer before it forward, and after it backward.
    expect(results[0].fusedCalls).toEqual({ matmulBiasRelu: 2, matmulTransBReluMask: 2 });
    expect(results[1].fusedCalls).toEqual({ matmulBiasRelu: 0, matmulTransBReluMask: 0 });
    expect(results[0].logits).toEqual(results[1].logits);
    expect(results[0].grads).toEqual(results[1].grads);
    expect(results[0].outputs).toHaveLength(2);
    expect(results[0].outputs).toEqual(results[1].outputs);
  });

  // Plain SGD goes through the fused walk (fused-sgd.ts: each weight gradient fused with its step), Adam through
  // backward then the optimiser: both paths on the fused passes end with bitwise the same weights.
  const training: [string, Partial<RunConfig>][] = [
    ['plain SGD (weight and bias gradients fused with their steps)', { optimizer: 'sgd', learningRate: 0.1, batchSize: 64, seed: 5 }],
    ['Adam (backward, then the optimiser)', { optimizer: 'adam', learningRate: 0.001, batchSize: 32, seed: 6 }],
  ];
  for (const [label, settings] of training) {
    it(`trains with ${label} to bitwise the weights and loss of the same run without them`, () => {
      const data = mnistSubset(2_000, 100);
      const config: RunConfig = { ...spec, optimizer: 'sgd', learningRate: 0.1, momentum: 0, weightDecay: 0, batchSize: 64, epochs: 1, shuffle: true, seed: 5, ...settings };
      const runs = [wasm, apart].map((kernels) => createRun(config, data, kernels, { evaluateTest: false }));
      for (const run of runs) while (!run.training.done) run.training.step();
      const weights = runs.map((run) => run.network.getWeights().flatMap((layer) => [bits(layer.weights), bits(layer.biases)]));
      expect(weights[0]).toEqual(weights[1]);
      expect(runs[0].training.history[0].trainLoss).toBe(runs[1].training.history[0].trainLoss);
    });
  }
});
