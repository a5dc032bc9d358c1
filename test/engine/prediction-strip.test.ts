/**
 * The prediction strip: which test images it watches (fixed, every class first), that its guesses
 * are the network's own (checked against one forward pass per image), and that taking them between
 * two minibatches leaves training bit-identical, on the plain and on the fused WebAssembly kernels.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { jsKernels } from '../../src/engine/kernels/js';
import type { Kernels } from '../../src/engine/kernels/kernels';
import { createWasmKernels } from '../../src/engine/kernels/wasm/wasm-kernels';
import { softmaxCrossEntropy } from '../../src/engine/nn/softmax-cross-entropy';
import { PredictionStrip, STRIP_SIZE, stripIndices } from '../../src/engine/teaching/prediction-strip';
import { createRun } from '../../src/engine/training/run';
import { PRESETS, type RunConfig } from '../../src/engine/training/run-config';
import { mnistSubset } from '../helpers/mnist';

const config: RunConfig = { ...PRESETS.default, layers: [784, 32, 10], epochs: 1, batchSize: 50, seed: 5 };
const data = mnistSubset(500, 200);

describe('the strip\'s images', () => {
  it('are the first of each class in class order, then the earliest others, twelve in all', () => {
    //               0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15
    const labels = [7, 2, 1, 0, 4, 1, 4, 9, 5, 9, 0, 6, 9, 0, 1, 5, 9, 7, 3, 4, 9, 6, 6, 5, 4, 0, 7, 4, 0, 1, 3, 1, 3, 4, 7, 2, 7, 1, 2, 1];
    // MNIST's own first test labels: 0 first at 3, 1 at 2, 2 at 1, 3 at 18, 4 at 4, 5 at 8, 6 at 11, 7 at 0, 8 never here, 9 at 7.
    expect(stripIndices(labels, 10)).toEqual([3, 2, 1, 18, 4, 8, 11, 0, 7, 5, 6, 9]);
    expect(stripIndices(labels, 10)).toHaveLength(STRIP_SIZE);
  });

  it('on real MNIST: one of each digit first, and the same every time', () => {
    const indices = stripIndices(data.test.labels, 10);
    expect(indices.slice(0, 10).map((i) => data.test.labels[i])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(new Set(indices).size).toBe(12);
    expect(stripIndices(data.test.labels, 10)).toEqual(indices);
  });

  it('with more classes than places, the first twelve classes; with fewer images, all of them', () => {
    const letters = Array.from({ length: 60 }, (_, i) => 25 - (i % 26));
    expect(stripIndices(letters, 26).map((i) => letters[i])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(stripIndices([1, 0, 1], 10)).toEqual([1, 0, 2]);
    expect(stripIndices([], 10)).toEqual([]);
  });
});

describe('the strip\'s guesses', () => {
  let wasm: Kernels;
  beforeAll(async () => {
    wasm = await createWasmKernels({ maxBytes: 64 << 20 });
  });

  it('are the network\'s most probable class and its probability, image by image', () => {
    const run = createRun(config, data, jsKernels);
    for (let i = 0; i < 6; i++) run.training.step();
    const strip = new PredictionStrip(run.network, data.test, data.classes);
    const guesses = strip.guesses();
    expect(guesses.map((g) => g.index)).toEqual(stripIndices(data.test.labels, 10));
    const pixels = 784;
    for (const g of guesses) {
      expect(g.label).toBe(data.test.labels[g.index]);
      const one = Float32Array.from(data.test.images.subarray(g.index * pixels, (g.index + 1) * pixels), (v) => v / 255);
      const probabilities = new Float32Array(10);
      softmaxCrossEntropy(run.network.forward(one, 1), [g.label], 1, 10, undefined, probabilities);
      const best = probabilities.indexOf(Math.max(...probabilities));
      expect(g.guess).toBe(best);
      expect(g.confidence).toBeCloseTo(probabilities[best], 6);
      expect(g.confidence).toBeGreaterThanOrEqual(0.1);
      expect(g.confidence).toBeLessThanOrEqual(1);
    }
  });

  it('follow the training: an untrained network gets few right, a trained one most', () => {
    const run = createRun({ ...config, epochs: 3 }, data, jsKernels);
    const strip = new PredictionStrip(run.network, data.test, data.classes);
    const right = () => strip.guesses().filter((g) => g.guess === g.label).length;
    const before = right();
    while (!run.training.done) run.training.step();
    expect(before).toBeLessThanOrEqual(4);
    expect(right()).toBeGreaterThanOrEqual(8);
  });

  for (const kernels of ['js', 'wasm'] as const) {
    it(`taken between minibatches, leave training bit-identical (${kernels} kernels)`, () => {
      const k = kernels === 'js' ? jsKernels : wasm;
      const relu: RunConfig = { ...config, layers: [784, 32, 16, 10], activation: 'relu', optimizer: 'sgd', learningRate: 0.1 };
      const plain = createRun(relu, data, k);
      while (!plain.training.done) plain.training.step();
      const expected = plain.network.getWeights();

      const watched = createRun(relu, data, k);
      const strip = new PredictionStrip(watched.network, data.test, data.classes);
      while (!watched.training.done) {
        watched.training.step();
        strip.guesses();
      }
      watched.network.getWeights().forEach((layer, i) => {
        expect(Buffer.from(layer.weights.buffer, layer.weights.byteOffset, layer.weights.byteLength).equals(Buffer.from(expected[i].weights.buffer, expected[i].weights.byteOffset, expected[i].weights.byteLength))).toBe(true);
      });
    });
  }
});
