/** What one pass of softmax cross-entropy over a batch gives. */
export interface LossResult {
  /** Mean cross-entropy over the batch, in nats. */
  loss: number;
  /** How many rows had their largest logit at the right class (ties go to the lowest index). */
  correct: number;
}

/**
 * The arithmetic of a dense layer, behind one small interface so that a faster implementation
 * (WebAssembly SIMD, threads) can replace the plain TypeScript one without touching any layer.
 *
 * Every matrix is a flat row-major Float32Array; sizes are passed explicitly because buffers are
 * reused across batches and may be longer than the matrix they currently hold.
 */
export interface Kernels {
  /** Short name shown in benchmarks and logs, e.g. "js" or "wasm-simd". */
  readonly name: string;

  /**
   * Allocates a zeroed buffer the kernels can work on. An implementation that computes in its own
   * memory (WebAssembly) hands out views into that memory; the plain one returns a new array.
   */
  createBuffer(length: number): Float32Array;

  /** Forward, X·W: C[m×n] = A[m×k] · B[k×n]. C is overwritten. */
  matmul(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void;

  /**
   * Weight gradient, Xᵀ·G: C[k×n] = Aᵀ · B with A[m×k] and B[m×n]. C is overwritten.
   * (m is the batch, k the layer's inputs, n its outputs.)
   */
  matmulTransA(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void;

  /**
   * Input gradient, G·Wᵀ: C[m×k] = A[m×n] · Bᵀ with B[k×n]. C is overwritten.
   * (m is the batch, n the layer's outputs, k its inputs.)
   */
  matmulTransB(a: Float32Array, b: Float32Array, c: Float32Array, m: number, n: number, k: number): void;

  /**
   * Optional, a dense layer's forward pass in one: C[m×n] = X[m×k] · W[k×n] + bias[n], bitwise
   * matmul then addBias. Returns false, having done nothing, for arrays it cannot work on (as the
   * optional kernels below).
   */
  matmulBias?(x: Float32Array, w: Float32Array, bias: Float32Array, c: Float32Array, m: number, k: number, n: number): boolean;

  /**
   * Optional, a dense layer and the ReLU after it in one pass: Z[m×n] = X·W + bias into z and
   * ReLU(Z) into y, bitwise matmulBias then relu. Returns false, having done nothing, for arrays it
   * cannot work on.
   */
  matmulBiasRelu?(x: Float32Array, w: Float32Array, bias: Float32Array, z: Float32Array, y: Float32Array, m: number, k: number, n: number): boolean;

  /**
   * Optional, a dense layer's input gradient through the ReLU below it: C[m×k] = (A[m×n]·Bᵀ) where
   * y > 0, else +0, with y[m×k] the ReLU's output; bitwise matmulTransB then reluBackward. Returns
   * false, having done nothing, for arrays it cannot work on.
   */
  matmulTransBReluMask?(a: Float32Array, b: Float32Array, y: Float32Array, c: Float32Array, m: number, n: number, k: number): boolean;

  /**
   * Optional: softmax cross-entropy of a batch (softmaxCrossEntropy in softmax-cross-entropy.ts,
   * without probabilities), the gradient stored when one is given. The same steps in float64,
   * except that e^x may differ from Math.exp's in its last bit or two. Returns null, having done
   * nothing, for arrays it cannot work on or a label that is not a class (the caller then calls
   * softmaxCrossEntropy, which says what is wrong).
   */
  softmaxCrossEntropy?(logits: Float32Array, labels: ArrayLike<number>, batch: number, classes: number, gradient?: Float32Array): LossResult | null;

  /** Y[r×c] += bias[c] on every row. */
  addBias(y: Float32Array, bias: Float32Array, rows: number, cols: number): void;

  /** out[c] = Σ_r G[r×c]: the column sums, i.e. a bias gradient. out is overwritten. */
  sumRows(g: Float32Array, out: Float32Array, rows: number, cols: number): void;

  /*
   * Optional: the per-batch work around the products, for an implementation that does it faster
   * than the TypeScript in optimizers.ts, activation.ts and batching.ts, with the same numbers:
   * exactly, or for sgdUpdate and adamUpdate, which may compute in float32 where the TypeScript
   * computes in float64, within a few ulp of w a step (the WebAssembly kernels say how close, and a
   * test holds them to it). Each returns false, having done nothing, when it cannot work on the
   * arrays it is given (for the WebAssembly kernels: arrays that are not their own buffers); the
   * caller then does the work itself. Lengths are in floats; a Param's decay is 0 when it does not
   * decay.
   */

  /**
   * The weight gradient and a plain SGD step in one pass, W[k×n] ← W − η·Xᵀ·G with X[m×k] and
   * G[m×n], bitwise as matmulTransA then sgdUpdate (λ = 0) give, but without writing the gradient
   * anywhere. η must not round to 0 in float32. With `bias`, the layer's bias steps as well,
   * bias[n] ← bias − η·Σ_rows G, bitwise as sumRows then sgdUpdate give (false: neither is done).
   */
  weightGradientSgd?(x: Float32Array, g: Float32Array, w: Float32Array, m: number, k: number, n: number, learningRate: number, bias?: Float32Array): boolean;

  /** SGD in place: w ← w − η·(g + λw). */
  sgdUpdate?(w: Float32Array, g: Float32Array, length: number, learningRate: number, weightDecay: number): boolean;

  /** Momentum in place: v ← μv + (g + λw); w ← w − η·v. */
  momentumUpdate?(
    w: Float32Array,
    g: Float32Array,
    velocity: Float32Array,
    length: number,
    learningRate: number,
    momentum: number,
    weightDecay: number,
  ): boolean;

  /** Adam in place, bias corrections folded in: m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; w ← w − s·m/(√v + ε̂). */
  adamUpdate?(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, length: number, update: AdamStep): boolean;

  /** y = x where x > 0, else 0 (NaN gives 0). */
  relu?(x: Float32Array, y: Float32Array, length: number): boolean;

  /** dx = dy where y > 0, else 0. */
  reluBackward?(y: Float32Array, dy: Float32Array, dx: Float32Array, length: number): boolean;

  /**
   * Cuts a batch from image bytes: row r of X is image order[start + r] (`pixels` bytes from
   * index·pixels), each byte b as the float32 nearest b/255, for r < size.
   */
  cutBatch?(images: Uint8Array, order: Uint32Array, start: number, size: number, pixels: number, x: Float32Array): boolean;

  /**
   * A hint before training: batches will be cut from these images, again and again. Kernels that
   * keep their own copy of an image set (the WebAssembly ones) make it now, so that the copy is
   * part of setting the run up rather than of its first batch. The images must not change after.
   */
  holdImages?(images: Uint8Array): void;
}

/** One Adam step's constants (see optimizers.ts). */
export interface AdamStep {
  /** η·√(1−β₂ᵗ)/(1−β₁ᵗ). */
  stepSize: number;
  /** ε·√(1−β₂ᵗ). */
  epsHat: number;
  beta1: number;
  beta2: number;
  /** λ, or 0 for a parameter that does not decay. */
  weightDecay: number;
}
