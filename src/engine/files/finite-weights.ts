import type { NetworkWeights } from '../nn/weights';
import { runToEnd, SLICE_LENGTH, type Sliced } from './slices';

/**
 * Whether a network's numbers are all finite. One NaN or ±Infinity in a weight spreads to every
 * output it feeds, so such a model predicts nothing; it is neither saved nor loaded.
 *
 * Returns undefined when every weight and bias is finite, otherwise a phrase naming the first bad
 * number's layer and place: "layer 2 (128 → 64): weight [3, 17] is NaN".
 */
export function describeNonFiniteWeights(weights: NetworkWeights): string | undefined {
  return runToEnd(describeNonFiniteWeightsInSlices(weights));
}

/** `describeNonFiniteWeights`, pausing after each slice of numbers (see slices.ts). */
export function* describeNonFiniteWeightsInSlices(weights: NetworkWeights): Sliced<string | undefined> {
  for (const [index, layer] of weights.entries()) {
    const where = `layer ${index + 1} (${layer.inputs} → ${layer.outputs})`;
    const w = yield* firstNonFinite(layer.weights);
    if (w !== -1) {
      const row = Math.floor(w / layer.outputs);
      return `${where}: weight [${row}, ${w - row * layer.outputs}] is ${layer.weights[w]}`;
    }
    const b = yield* firstNonFinite(layer.biases);
    if (b !== -1) return `${where}: bias ${b} is ${layer.biases[b]}`;
  }
  return undefined;
}

function* firstNonFinite(values: Float32Array): Sliced<number> {
  for (let start = 0; start < values.length; start += SLICE_LENGTH) {
    const end = Math.min(values.length, start + SLICE_LENGTH);
    for (let i = start; i < end; i++) {
      // x − x is 0 for every finite x and NaN for NaN and ±Infinity: one test, no branches on the kind.
      if (values[i] - values[i] !== 0) return i;
    }
    yield;
  }
  return -1;
}
