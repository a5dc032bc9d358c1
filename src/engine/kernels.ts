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

  /** Y[r×c] += bias[c] on every row. */
  addBias(y: Float32Array, bias: Float32Array, rows: number, cols: number): void;

  /** out[c] = Σ_r G[r×c]: the column sums, i.e. a bias gradient. out is overwritten. */
  sumRows(g: Float32Array, out: Float32Array, rows: number, cols: number): void;
}
