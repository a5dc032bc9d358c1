import { DenseReLU } from './dense-relu';
import type { Network } from './network';
import { Sgd, type Optimizer } from './optimizers';

/**
 * Plain SGD's speed path: backward and the step in one walk down a network of DenseReLU layers
 * whose kernels fuse the weight gradient with its step (see DenseReLU.backwardSgd). Each layer
 * steps as soon as its gradients are known, from the weights before its step, without storing its
 * weight gradient: bitwise what network.backward then Sgd.step give on the same kernels (tested in
 * test/engine/fused-relu.test.ts).
 *
 * Returns that walk, or null where it does not apply: another optimiser, weight decay, a learning
 * rate that rounds to 0 in float32, the optimiser stepping on other kernels than the network's, or
 * a network of other layers (sigmoid, tanh, kernels without the fused passes). The caller then runs
 * backward and the optimiser's step.
 */
export function fusedSgdBackward(network: Network, optimizer: Optimizer): ((gradLogits: Float32Array) => void) | null {
  if (!(optimizer instanceof Sgd) || optimizer.kernels !== network.kernels) return null;
  const { learningRate, weightDecay } = optimizer.settings;
  if (weightDecay !== 0 || Math.fround(learningRate) === 0 || network.kernels.weightGradientSgd === undefined) return null;
  const layers = network.layers;
  if (!layers.every((layer) => layer instanceof DenseReLU)) return null;
  const stack = layers as readonly DenseReLU[];
  return (gradLogits) => {
    let g: Float32Array | null = gradLogits;
    // The first layer's input is the data: nobody needs its gradient.
    for (let i = stack.length - 1; i >= 0 && g !== null; i--) g = stack[i].backwardSgd(g, i > 0, learningRate);
  };
}
