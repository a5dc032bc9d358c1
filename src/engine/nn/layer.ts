/** A learnable tensor and the gradient of the loss with respect to it, shaped alike. */
export interface Param {
  /** e.g. "W" or "b". */
  readonly name: string;
  readonly value: Float32Array;
  /** ∂L/∂value for the last backward pass. */
  readonly grad: Float32Array;
  /** Whether L2 weight decay applies (weights yes, biases no). */
  readonly decays: boolean;
}

/**
 * The one interface every layer has. Data flows as flat row-major Float32Arrays, batch first:
 * an input is batch × inputSize numbers, an output batch × outputSize.
 *
 * Buffers returned by forward/backward belong to the layer and are reused: they are valid until
 * the layer's next forward (or backward) call. A layer keeps a reference to its last input, so the
 * caller must not overwrite that input between forward and backward.
 */
export interface Layer {
  readonly inputSize: number;
  readonly outputSize: number;
  /** Computes the output for a batch and remembers what backward needs. */
  forward(input: Float32Array, batch: number): Float32Array;
  /**
   * Given ∂L/∂output for the last forward batch, fills the parameters' gradients and returns
   * ∂L/∂input — or null when `needInputGradient` is false (the first layer needs none).
   */
  backward(gradOutput: Float32Array, needInputGradient: boolean): Float32Array | null;
  /** The learnable parameters with their gradients; empty for activations. */
  params(): readonly Param[];
  /** A short description, e.g. "Dense(784→128)" or "ReLU". */
  describe(): string;
}

/** Thrown when data of the wrong shape reaches a layer; the message says what to change. */
export class ShapeError extends Error {
  override name = 'ShapeError';
}
