/** The learned numbers of one dense layer, detached from any live network (for files and snapshots). */
export interface DenseWeights {
  /** Input width (rows of W). */
  readonly inputs: number;
  /** Output width (columns of W). */
  readonly outputs: number;
  /** W, inputs × outputs, row-major: y = x·W + b. */
  readonly weights: Float32Array;
  /** b, one per output. */
  readonly biases: Float32Array;
}

/** Every dense layer's weights, input layer first. */
export type NetworkWeights = DenseWeights[];

/** Whether every weight and bias is a finite number (a diverged run leaves NaN or ±Infinity). */
export function weightsAreFinite(layers: NetworkWeights): boolean {
  for (const layer of layers) {
    for (const values of [layer.weights, layer.biases]) {
      for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
    }
  }
  return true;
}
