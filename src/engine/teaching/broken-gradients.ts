/**
 * Gradient checking a network with a mistake put in on purpose, so a student sees the check fail.
 * The forward pass (and so the numeric gradient) is always the real one; only the analytic,
 * backpropagated gradient is broken, as a bug in a hand-written backward pass would break it:
 *
 * - `dropMean`: ∂L/∂logits = p − onehot(y) instead of (p − onehot(y)) / N, i.e. the 1/N of the mean
 *   loss forgotten. Every gradient comes out N times too big (relative error (N−1)/(N+1)).
 * - `skipDerivative` (index of a hidden activation): its backward passes ∂L/∂y through unchanged,
 *   as if f′ = 1, so every layer below it gets the wrong gradient.
 *
 * Nothing here changes the engine's layers: the broken backward is a loop of its own over them.
 */
import { numericGradient, relativeError } from './gradient-check';
import type { Network } from '../nn/network';
import type { Rng } from '../nn/rng';
import { softmaxCrossEntropy } from '../nn/softmax-cross-entropy';

export interface Breakage {
  dropMean: boolean;
  /** 0-based index of the hidden activation whose derivative is dropped; null for none. */
  skipDerivative: number | null;
}

export const NO_BREAKAGE: Breakage = { dropMean: false, skipDerivative: null };

/** One parameter tensor's check. */
export interface TensorCheck {
  /** "W" or "b". */
  name: string;
  relativeError: number;
  maxAbsoluteDifference: number;
  checked: number;
}

/** One dense layer's check: its W and b, and whether both pass. */
export interface LayerCheck {
  /** e.g. "Dense(784→128)". */
  layer: string;
  /** 1-based dense layer number. */
  number: number;
  tensors: TensorCheck[];
  /** The larger relative error of W and b. */
  relativeError: number;
  pass: boolean;
}

export interface BrokenCheckOptions {
  epsilon?: number;
  /** Entries per tensor compared (sampled at random when the tensor is larger). */
  maxEntries?: number;
  /** Relative error above which a layer fails; a right backward pass stays well below 10⁻². */
  tolerance?: number;
}

/** Backpropagates through the network's layers with the breakage applied; fills every param's grad. */
export function brokenBackward(network: Network, input: Float32Array, labels: ArrayLike<number>, batch: number, breakage: Breakage): number {
  const classes = network.outputSize;
  const gradLogits = new Float32Array(batch * classes);
  const { loss } = softmaxCrossEntropy(network.forward(input, batch), labels, batch, classes, gradLogits);
  if (breakage.dropMean) for (let i = 0; i < gradLogits.length; i++) gradLogits[i] *= batch;
  let g: Float32Array | null = gradLogits;
  let activationIndex = network.dense.length - 2;
  for (let i = network.layers.length - 1; i >= 0 && g !== null; i--) {
    const layer = network.layers[i];
    const isActivation = layer.params().length === 0;
    if (isActivation && activationIndex-- === breakage.skipDerivative) continue; // f′ taken as 1: g passes through
    g = layer.backward(g, i > 0);
  }
  return loss;
}

/**
 * Compares the (possibly broken) analytic gradient of every dense layer's W and b with central
 * differences (h = 10⁻⁴) of the true mean loss on one batch, computed in double precision.
 */
export function checkNetworkLayers(
  network: Network,
  input: Float32Array,
  labels: ArrayLike<number>,
  batch: number,
  rng: Rng,
  breakage: Breakage = NO_BREAKAGE,
  options: BrokenCheckOptions = {},
): LayerCheck[] {
  const epsilon = options.epsilon ?? 1e-4;
  const maxEntries = options.maxEntries ?? 32;
  const tolerance = options.tolerance ?? 1e-2;
  brokenBackward(network, input, labels, batch, breakage);
  const analytic = network.dense.map((d) => [Float64Array.from(d.weightGrad), Float64Array.from(d.biasGrad)]);
  const loss = (): number => meanLossInDouble(network, input, labels, batch);
  return network.dense.map((dense, k) => {
    const tensors = dense.params().map((param, t): TensorCheck => {
      const indices = sample(param.value.length, maxEntries, rng);
      const numeric = numericGradient(loss, param.value, indices, epsilon);
      const grad = Float64Array.from(indices, (i) => analytic[k][t][i]);
      let maxAbsoluteDifference = 0;
      for (let j = 0; j < indices.length; j++) maxAbsoluteDifference = Math.max(maxAbsoluteDifference, Math.abs(grad[j] - numeric[j]));
      return { name: param.name, relativeError: relativeError(grad, numeric), maxAbsoluteDifference, checked: indices.length };
    });
    const worst = Math.max(...tensors.map((t) => t.relativeError));
    return { layer: dense.describe(), number: k + 1, tensors, relativeError: worst, pass: worst < tolerance };
  });
}

/**
 * The mean softmax cross-entropy of the network's current weights, computed in double precision.
 * The engine's float32 forward rounds the loss to ~10⁻⁷ of its size; divided by 2h that noise is as
 * large as a big network's first-layer gradients (a pixel's weight moves the loss very little), so
 * the numeric side of the check runs in doubles and the check can use a tiny h (hardly any ReLU kink
 * crossed).
 */
export function meanLossInDouble(network: Network, input: Float32Array, labels: ArrayLike<number>, batch: number): number {
  const activation = network.spec.activation;
  const f = activation === 'relu' ? (z: number) => (z > 0 ? z : 0) : activation === 'sigmoid' ? (z: number) => 1 / (1 + Math.exp(-z)) : Math.tanh;
  let total = 0;
  for (let r = 0; r < batch; r++) {
    let a: Float64Array = Float64Array.from(input.subarray(r * network.inputSize, (r + 1) * network.inputSize));
    network.dense.forEach((d, k) => {
      const out = Float64Array.from(d.biases);
      for (let i = 0; i < d.inputSize; i++) {
        const x = a[i];
        if (x === 0) continue;
        const row = i * d.outputSize;
        for (let j = 0; j < d.outputSize; j++) out[j] += x * d.weights[row + j];
      }
      a = k + 1 < network.dense.length ? out.map(f) : out;
    });
    let max = -Infinity;
    for (const v of a) max = Math.max(max, v);
    let sum = 0;
    for (const v of a) sum += Math.exp(v - max);
    total += max + Math.log(sum) - a[labels[r]];
  }
  return total / batch;
}

function sample(length: number, count: number, rng: Rng): Uint32Array {
  const all = new Uint32Array(length);
  for (let i = 0; i < length; i++) all[i] = i;
  if (length <= count) return all;
  rng.shuffle(all);
  return all.slice(0, count);
}
