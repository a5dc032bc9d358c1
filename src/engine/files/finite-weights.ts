import type { NetworkWeights } from '../nn/weights';

/**
 * Whether a network's numbers are all finite. One NaN or ±Infinity in a weight spreads to every
 * output it feeds, so such a model predicts nothing; it is neither saved nor loaded.
 *
 * Returns undefined when every weight and bias is finite, otherwise a phrase naming the first bad
 * number's layer and place: "layer 2 (128 → 64): weight [3, 17] is NaN".
 */
export function describeNonFiniteWeights(weights: NetworkWeights): string | undefined {
  for (const [index, layer] of weights.entries()) {
    const where = `layer ${index + 1} (${layer.inputs} → ${layer.outputs})`;
    const w = firstNonFinite(layer.weights);
    if (w !== -1) {
      const row = Math.floor(w / layer.outputs);
      return `${where}: weight [${row}, ${w - row * layer.outputs}] is ${layer.weights[w]}`;
    }
    const b = firstNonFinite(layer.biases);
    if (b !== -1) return `${where}: bias ${b} is ${layer.biases[b]}`;
  }
  return undefined;
}

function firstNonFinite(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) {
    // x − x is 0 for every finite x and NaN for NaN and ±Infinity: one test, no branches on the kind.
    if (values[i] - values[i] !== 0) return i;
  }
  return -1;
}
