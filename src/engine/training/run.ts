import type { Dataset } from './dataset';
import type { Kernels } from '../kernels/kernels';
import { Network, checkInputFits, checkOutputFits } from '../nn/network';
import { createOptimizer } from '../nn/optimizers';
import { Rng } from '../nn/rng';
import { Training } from './training';
import type { NetworkWeights } from '../nn/weights';
import type { RunConfig } from './run-config';

export interface Run {
  config: RunConfig;
  network: Network;
  training: Training;
}

export interface CreateRunOptions {
  /** Start from these weights instead of initialising (continue training a saved model). */
  initialWeights?: NetworkWeights;
  /** Evaluate the test split after every epoch (on by default). */
  evaluateTest?: boolean;
  now?: () => number;
}

/**
 * Builds everything a run needs from its configuration. The seed feeds two separate streams, one
 * for the initial weights and one for the shuffle order, so that runs differing only in, say,
 * batch size still start from the same weights and see the images in the same order.
 */
export function createRun(config: RunConfig, data: Dataset, kernels: Kernels, options: CreateRunOptions = {}): Run {
  const network = new Network({ layers: config.layers, activation: config.activation, init: config.init }, kernels);
  checkInputFits(network, data.train.rows, data.train.cols);
  checkOutputFits(network, data.classes);
  if (options.initialWeights) network.setWeights(options.initialWeights);
  else network.initialise(new Rng(config.seed));
  const optimizer = createOptimizer(config.optimizer, {
    learningRate: config.learningRate,
    momentum: config.momentum,
    weightDecay: config.weightDecay,
  }, kernels);
  const training = new Training({
    network,
    optimizer,
    data,
    epochs: config.epochs,
    batchSize: config.batchSize,
    shuffle: config.shuffle,
    // A distinct, fixed offset keeps the shuffle stream independent of the weight stream.
    shuffleRng: new Rng((config.seed ^ 0x9e3779b9) >>> 0),
    ...(options.evaluateTest !== undefined ? { evaluateTest: options.evaluateTest } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  return { config, network, training };
}
