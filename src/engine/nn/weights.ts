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
