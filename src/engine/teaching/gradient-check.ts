import type { Layer } from '../nn/layer';
import type { Network } from '../nn/network';
import type { Rng } from '../nn/rng';
import { softmaxCrossEntropy } from '../nn/softmax-cross-entropy';

/** How far an analytic gradient is from the numeric one, for one tensor. */
export interface GradientComparison {
  /** e.g. "input", "Dense(784→128) W". */
  name: string;
  /** ‖analytic − numeric‖ / (‖analytic‖ + ‖numeric‖) over the checked entries: 0 is perfect, ~1 is unrelated. */
  relativeError: number;
  /** Largest |analytic − numeric| over the checked entries. */
  maxAbsoluteDifference: number;
  /** Entries compared (a sample, for big tensors). */
  checked: number;
}

export interface GradientCheckOptions {
  /** Central-difference step h. The engine computes in float32, so h cannot be tiny. */
  epsilon?: number;
  /** At most this many entries per tensor, sampled at random (all when the tensor is smaller). */
  maxEntries?: number;
}

/**
 * ∂f/∂x[i] ≈ (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h for the chosen entries, restoring x afterwards.
 * Central differences err by O(h²), against O(h) for one-sided ones.
 */
export function numericGradient(f: () => number, x: Float32Array, indices: ArrayLike<number>, epsilon: number): Float64Array {
  const out = new Float64Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    const original = x[i];
    x[i] = original + epsilon;
    const plus = f();
    x[i] = original - epsilon;
    const minus = f();
    x[i] = original;
    // Divide by the step actually taken: float32 rounds original ± h.
    out[k] = (plus - minus) / (Math.fround(original + epsilon) - Math.fround(original - epsilon));
  }
  return out;
}

/** ‖a − b‖ / (‖a‖ + ‖b‖), 0 when both are zero. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    diff += (a[i] - b[i]) ** 2;
    normA += a[i] ** 2;
    normB += b[i] ** 2;
  }
  const scale = Math.sqrt(normA) + Math.sqrt(normB);
  return scale === 0 ? 0 : Math.sqrt(diff) / scale;
}

/**
 * Checks one layer's backward pass. The layer is wrapped in the scalar loss L = Σ y ⊙ R with a fixed
 * random R, whose gradient with respect to the output is exactly R; backward(R) must then agree with
 * numeric differentiation of L for the input and every parameter.
 */
export function checkLayerGradients(layer: Layer, input: Float32Array, batch: number, rng: Rng, options: GradientCheckOptions = {}): GradientComparison[] {
  const epsilon = options.epsilon ?? 1e-2;
  const maxEntries = options.maxEntries ?? 64;
  const projection = new Float32Array(batch * layer.outputSize);
  for (let i = 0; i < projection.length; i++) projection[i] = rng.uniformIn(-1, 1);
  const loss = (): number => {
    const y = layer.forward(input, batch);
    let sum = 0;
    for (let i = 0; i < y.length; i++) sum += y[i] * projection[i];
    return sum;
  };

  loss();
  const inputGradient = Float64Array.from(layer.backward(projection, true) ?? []);
  const analytic = [
    { name: 'input', value: input, grad: inputGradient },
    ...layer.params().map((p) => ({ name: `${layer.describe()} ${p.name}`, value: p.value, grad: Float64Array.from(p.grad) })),
  ];
  return analytic.map(({ name, value, grad }) => compare(name, loss, value, grad, rng, epsilon, maxEntries));
}

/**
 * Checks a whole network under softmax cross-entropy: every parameter's backpropagated gradient
 * against numeric differentiation of the mean loss on one batch.
 */
export function checkNetworkGradients(
  network: Network,
  input: Float32Array,
  labels: ArrayLike<number>,
  batch: number,
  rng: Rng,
  options: GradientCheckOptions = {},
): GradientComparison[] {
  const epsilon = options.epsilon ?? 1e-2;
  const maxEntries = options.maxEntries ?? 64;
  const classes = network.outputSize;
  const gradLogits = new Float32Array(batch * classes);
  const loss = (): number => softmaxCrossEntropy(network.forward(input, batch), labels, batch, classes).loss;

  softmaxCrossEntropy(network.forward(input, batch), labels, batch, classes, gradLogits);
  network.backward(gradLogits);
  const analytic = network.layers.flatMap((layer) =>
    layer.params().map((p) => ({ name: `${layer.describe()} ${p.name}`, value: p.value, grad: Float64Array.from(p.grad) })),
  );
  return analytic.map(({ name, value, grad }) => compare(name, loss, value, grad, rng, epsilon, maxEntries));
}

/** Checks the loss itself: ∂L/∂logits from softmaxCrossEntropy against numeric differentiation. */
export function checkLossGradient(logits: Float32Array, labels: ArrayLike<number>, batch: number, classes: number, rng: Rng, options: GradientCheckOptions = {}): GradientComparison {
  const epsilon = options.epsilon ?? 1e-2;
  const gradient = new Float32Array(batch * classes);
  softmaxCrossEntropy(logits, labels, batch, classes, gradient);
  const loss = (): number => softmaxCrossEntropy(logits, labels, batch, classes).loss;
  return compare('softmax cross-entropy', loss, logits, Float64Array.from(gradient), rng, epsilon, options.maxEntries ?? logits.length);
}

function compare(
  name: string,
  loss: () => number,
  value: Float32Array,
  analyticGradient: Float64Array,
  rng: Rng,
  epsilon: number,
  maxEntries: number,
): GradientComparison {
  const indices = sampleIndices(value.length, maxEntries, rng);
  const numeric = numericGradient(loss, value, indices, epsilon);
  const analytic = Float64Array.from(indices, (i) => analyticGradient[i]);
  let maxAbsoluteDifference = 0;
  for (let k = 0; k < indices.length; k++) maxAbsoluteDifference = Math.max(maxAbsoluteDifference, Math.abs(analytic[k] - numeric[k]));
  return { name, relativeError: relativeError(analytic, numeric), maxAbsoluteDifference, checked: indices.length };
}

/** All indices when there are few, else `count` distinct ones drawn at random. */
function sampleIndices(length: number, count: number, rng: Rng): Uint32Array {
  const all = new Uint32Array(length);
  for (let i = 0; i < length; i++) all[i] = i;
  if (length <= count) return all;
  rng.shuffle(all);
  return all.slice(0, count);
}
