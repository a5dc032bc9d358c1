import type { WasmKernels, WasmKernelsOptions } from './wasm-kernels-api';
import { compileBuild, defaultMaxBytes, heapStart, pageBytes, sharedMemorySupported } from './loader';
import { wasmRelaxedSimdSupported, wasmSimdSupported, webAssembly } from './loader';
import type { KernelExports } from './loader';
import { WasmSimdKernels } from './simd';

export { wasmRelaxedSimdSupported, wasmSimdSupported };
export type { WasmKernels, WasmKernelsOptions };
export { smallestSplitBatch } from './simd';

/**
 * The kernels as WebAssembly SIMD128 (f32x4), compiled from src/wasm/kernels.as.ts by
 * `npm run build:wasm`, which embeds the module bytes in a generated TypeScript file so that Node,
 * Electron's utility process and a browser load them alike, without reading a file.
 *
 * Zeros. Every product skips the zero entries of its left operand (X, or the gradient G): 81 % of
 * MNIST pixels and about half of the ReLU outputs and their gradients. The result is exactly what
 * computing with them gives as long as the other operand is finite (0·∞ would be NaN); a NaN in the
 * left operand itself is computed with and propagates. On the course network the products run
 * 12–35× faster than the js kernels, 25× for the first layer (test/bench/kernels-bench.ts).
 *
 * Memory: one WebAssembly memory per instance (see heap.ts). It goes with the
 * instance, but only when the garbage collector comes round to it, which V8 does late: an engine
 * that made an instance for each run grew by 50–60 MB a run. A host that trains one model after
 * another keeps one instance and calls freeBuffers between them (src/worker/process-kernels.ts).
 *
 * Arguments. Views from `createBuffer` (or subarrays of them) are passed to the kernels as
 * pointers, with no copy. Any other Float32Array is accepted too, but copied into scratch memory
 * (and C copied back) on every call: correct, and slower. Lengths are checked on every call,
 * because a kernel writing past a view would silently overwrite the buffer next to it.
 *
 * Fused multiply-add. Where the runtime has relaxed SIMD (Electron, current browsers; Node 20 only
 * with --experimental-wasm-relaxed-simd) and the memory is shared, a build using
 * f32x4.relaxed_madd runs the products about 12 % faster. It rounds once per multiply-add instead
 * of twice, so its results may differ in the last bits from those of the plain build (and from a
 * machine whose CPU has no FMA); each is deterministic on its machine.
 *
 * createWasmKernels makes a fresh instance with its own memory.
 */
export async function createWasmKernels(options: WasmKernelsOptions = {}): Promise<WasmKernels> {
  const api = webAssembly();
  if (!api || !wasmSimdSupported()) {
    throw new Error('wasm-simd kernels: this runtime has no WebAssembly SIMD128; use the js kernels instead');
  }
  const maxBytes = options.maxBytes ?? defaultMaxBytes;
  if (!Number.isInteger(maxBytes) || maxBytes < 2 * pageBytes || maxBytes > 2 ** 32) {
    throw new RangeError(`wasm-simd kernels: maxBytes must be an integer from ${2 * pageBytes} to 2^32, got ${maxBytes}`);
  }
  const kind = options.memory === 'plain' || (options.memory !== 'shared' && !sharedMemorySupported()) ? 'plain' : 'shared';
  if (kind === 'shared' && !sharedMemorySupported()) {
    throw new Error('wasm-simd kernels: a shared memory needs SharedArrayBuffer, which this runtime does not offer');
  }
  const fused = kind === 'shared' && options.fusedMultiplyAdd !== false && wasmRelaxedSimdSupported();
  const maxPages = Math.floor(maxBytes / pageBytes);
  const memory =
    kind === 'shared'
      ? new api.Memory({ initial: 2, maximum: maxPages, shared: true })
      : new api.Memory({ initial: maxPages, maximum: maxPages });
  const module = await compileBuild(api, kind === 'plain' ? 'plain' : fused ? 'sharedRelaxed' : 'shared');
  const instance = await api.instantiate(module, { env: { memory } });
  const exports = instance.exports as unknown as KernelExports;
  if (exports.staticDataEnd() > heapStart) {
    throw new Error(`wasm-simd kernels: the module's static data ends at ${exports.staticDataEnd()}, past ${heapStart}`);
  }
  const kernels = new WasmSimdKernels(memory, exports, maxPages * pageBytes, kind, fused, module);
  if (options.spawnHelper) await kernels.startHelper(options.spawnHelper, options.helperStartMs);
  return kernels;
}
