import { describe, expect, it } from 'vitest';
import type { TrainingEvent } from '../../src/engine/training/events';
import { jsKernels } from '../../src/engine/kernels/js';
import type { Param } from '../../src/engine/nn/layer';
import { Network } from '../../src/engine/nn/network';
import { createOptimizer, type Optimizer } from '../../src/engine/nn/optimizers';
import { Rng } from '../../src/engine/nn/rng';
import { createRun } from '../../src/engine/training/run';
import { Training } from '../../src/engine/training/training';
import type { NetworkWeights } from '../../src/engine/nn/weights';
import { TrainingLoop } from '../../src/engine/training/loop';
import { PRESETS, type RunConfig } from '../../src/engine/training/run-config';
import { mnistSubset } from '../helpers/mnist';

const small: RunConfig = { ...PRESETS.default, layers: [784, 32, 16, 10], epochs: 2, batchSize: 50, seed: 7 };

function trainToEnd(config: RunConfig, data = mnistSubset(1000, 200)) {
  const run = createRun(config, data, jsKernels);
  const events: TrainingEvent[] = [];
  while (!run.training.done) events.push(...run.training.step());
  return { run, events };
}

function sameBits(a: Float32Array, b: Float32Array): boolean {
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return ua.length === ub.length && ua.every((v, i) => v === ub[i]);
}

describe('training runs', () => {
  it('the same seed gives bit-identical weights; another seed does not', () => {
    const a = trainToEnd(small).run.network.getWeights();
    const b = trainToEnd(small).run.network.getWeights();
    const c = trainToEnd({ ...small, seed: 8 }).run.network.getWeights();
    a.forEach((layer, i) => {
      expect(sameBits(layer.weights, b[i].weights)).toBe(true);
      expect(sameBits(layer.biases, b[i].biases)).toBe(true);
    });
    expect(sameBits(a[0].weights, c[0].weights)).toBe(false);
  });

  it('reports every batch and every epoch, keeping the last partial batch', () => {
    // 1000 images at batch 64: 15 full batches and one of 40.
    const { run, events } = trainToEnd({ ...small, batchSize: 64 });
    const batches = events.filter((e) => e.type === 'batch');
    const epochs = events.filter((e) => e.type === 'epoch');
    expect(run.training.batchesPerEpoch).toBe(16);
    expect(batches).toHaveLength(32);
    expect(batches.map((b) => b.iteration)).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2]);
    for (const e of epochs) {
      expect(e.testAccuracy).toBeGreaterThan(0);
      expect(e.seconds).toBeGreaterThan(0);
      expect(e.samplesPerSecond).toBeGreaterThan(0);
    }
    expect(run.training.status).toBe('completed');
    expect(run.training.history).toHaveLength(2);
  });

  it('without shuffling, every epoch visits the images in file order (the blog\'s way)', () => {
    const a = trainToEnd({ ...small, shuffle: false, seed: 1 }).run.network.getWeights();
    const b = trainToEnd({ ...small, shuffle: false, seed: 1 }).run.network.getWeights();
    expect(sameBits(a[1].weights, b[1].weights)).toBe(true);
    const shuffled = trainToEnd({ ...small, shuffle: true, seed: 1 }).run.network.getWeights();
    expect(sameBits(a[1].weights, shuffled[1].weights)).toBe(false);
  });

  it('pausing and resuming changes nothing: bit-identical to an uninterrupted run', async () => {
    const reference = trainToEnd(small).run.network.getWeights();
    const run = createRun(small, mnistSubset(1000, 200), jsKernels);
    let batches = 0;
    const loop: TrainingLoop = new TrainingLoop(run.training, (event) => {
      if (event.type === 'batch' && ++batches % 5 === 0) {
        loop.pause();
        setTimeout(() => loop.resume(), 2);
      }
    }, { yieldEveryMs: 0 });
    expect(await loop.run()).toBe('completed');
    expect(batches).toBe(40);
    run.network.getWeights().forEach((layer, i) => expect(sameBits(layer.weights, reference[i].weights)).toBe(true));
  });

  it('cancel stops between batches and keeps the weights as they are', async () => {
    const run = createRun(small, mnistSubset(1000, 200), jsKernels);
    const initial = run.network.getWeights();
    let batches = 0;
    const loop: TrainingLoop = new TrainingLoop(run.training, (event) => {
      if (event.type === 'batch' && ++batches === 3) loop.cancel();
    });
    expect(await loop.run()).toBe('cancelled');
    expect(batches).toBe(3);
    expect(run.training.done).toBe(false);
    expect(sameBits(run.network.getWeights()[0].weights, initial[0].weights)).toBe(false);
  });

  it('a learning rate of 1e4 diverges with a clear reason and keeps the initial weights', () => {
    const config: RunConfig = { ...small, optimizer: 'sgd', learningRate: 1e4 };
    const initial = createRun(config, mnistSubset(1000, 200), jsKernels).network.getWeights();
    const { run, events } = trainToEnd(config);
    const diverged = events.find((e) => e.type === 'diverged');
    expect(run.training.status).toBe('diverged');
    expect(diverged?.type === 'diverged' && diverged.reason).toMatch(/^Training diverged: the loss exploded to [0-9.e+]+ at epoch 1, batch 2 \(a blind guess scores 2\.30\); the initial weights were restored\. The learning rate \(10000\) is probably too high: try one 10× smaller\.$/);
    expect(diverged?.type === 'diverged' && diverged.restoredEpoch).toBe(0);
    run.network.getWeights().forEach((layer, i) => expect(sameBits(layer.weights, initial[i].weights)).toBe(true));
    expect(run.training.step()).toEqual([]);
  });

  /**
   * Trains 784-32-10 on 1000 images (20 batches of 50 per epoch) with SGD that, on its 25th step
   * (epoch 2, batch 5), writes NaN into one parameter chosen by `poison`. Returns the events, the
   * network and its weights at the end of epoch 1.
   */
  function trainWithPoisonedStep(poison: (params: readonly Param[]) => void) {
    const network = new Network({ layers: [784, 32, 10], activation: 'relu', init: 'he' }, jsKernels);
    network.initialise(new Rng(1));
    const sgd = createOptimizer('sgd', { learningRate: 0.1, momentum: 0, weightDecay: 0 });
    let steps = 0;
    const optimizer: Optimizer = {
      name: 'sgd',
      settings: sgd.settings,
      step(params) {
        sgd.step(params);
        if (++steps === 25) poison(params);
      },
    };
    const training = new Training({ network, optimizer, data: mnistSubset(1000, 200), epochs: 3, batchSize: 50, shuffle: true, shuffleRng: new Rng(2) });
    let afterEpoch1: NetworkWeights | null = null;
    const events: TrainingEvent[] = [];
    while (!training.done) {
      for (const e of training.step()) {
        events.push(e);
        if (e.type === 'epoch' && e.epoch === 1) afterEpoch1 = network.getWeights();
      }
    }
    const diverged = events.find((e) => e.type === 'diverged');
    return { network, afterEpoch1, diverged: diverged?.type === 'diverged' ? diverged : null };
  }

  it('a divergence after a good epoch keeps that epoch\'s weights', () => {
    // NaN in an output bias poisons the very next batch's loss.
    const { network, afterEpoch1, diverged } = trainWithPoisonedStep((params) => {
      params[params.length - 1].value[0] = Number.NaN;
    });
    expect(diverged?.restoredEpoch).toBe(1);
    expect(diverged?.reason).toMatch(/the loss became NaN \(not a number\) at epoch 2, batch 6; the weights from the end of epoch 1 were kept/);
    expect(afterEpoch1).not.toBeNull();
    network.getWeights().forEach((layer, i) => expect(sameBits(layer.weights, afterEpoch1![i].weights)).toBe(true));
  });

  it('a NaN in a weight no image uses is still caught at the epoch\'s end', () => {
    // W[0][0] multiplies the top-left pixel, which is 0 in every MNIST image: zero-skipping kernels
    // never read it, so the loss stays finite and only the end-of-epoch check can notice.
    const { network, diverged } = trainWithPoisonedStep((params) => {
      params[0].value[0] = Number.NaN;
    });
    expect(diverged?.reason).toMatch(/^Training diverged: the weights became NaN \(not a number\) during epoch 2; the weights from the end of epoch 1 were kept\./);
    expect(Number.isNaN(network.dense[0].weights[0])).toBe(false);
  });
});

describe('kernels that keep their own copy of the images', () => {
  it('are told the training images when the run is set up, before any batch', () => {
    const held: Uint8Array[] = [];
    const kernels = { ...jsKernels, holdImages: (images: Uint8Array) => held.push(images) };
    const data = mnistSubset(200, 50);
    const run = createRun({ ...small, epochs: 1 }, data, kernels);
    expect(held.length).toBe(1);
    expect(held[0]).toBe(data.train.images);
    expect(run.training.iteration).toBe(0);
  });
});
