/** Argument checks of the WebAssembly kernels: a kernel writing past a view would corrupt its neighbour. */

export function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}

export function checkSizes(op: string, d0: number, d1: number, d2: number): void {
  if (!isSize(d0) || !isSize(d1) || !isSize(d2)) {
    throw new RangeError(`wasm-simd kernels: ${op} got sizes ${d0}, ${d1}, ${d2}; sizes are whole numbers ≥ 0`);
  }
}

export function isSize(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 2 ** 30;
}

/**
 * The kernels size their scratch in 32-bit arithmetic. For a product listing `rows` rows of length
 * `inner` against a right-hand side with `cols` columns, this bound covers the packed panels (112
 * bytes a row per panel of up to 28 columns), the lists of a chunk of 256 rows and their indexes;
 * below 2^31 nothing overflows.
 */
export function checkScratchBound(op: string, rows: number, inner: number, cols: number): void {
  const bound = 4 * inner * cols + 224 * inner + 8 * Math.min(rows, 256) * (inner + 8) + 4096;
  if (bound >= 2 ** 31) {
    throw new RangeError(`wasm-simd kernels: ${op} of these sizes would need over 2 GiB of scratch; split it into smaller products`);
  }
}

export function checkLength(op: string, name: string, array: Float32Array, length: number): void {
  if (array.length < length) {
    throw new RangeError(`wasm-simd kernels: ${op} needs ${name} of at least ${length} floats, got ${array.length}`);
  }
}
