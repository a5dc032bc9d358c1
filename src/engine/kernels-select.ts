import { KERNEL_CHOICES, type KernelChoice } from './kernel-choice';
import type { Kernels } from './kernels';
import { jsKernels } from './kernels-js';
import { createWasmKernels, wasmSimdSupported } from './kernels-wasm';

export { KERNEL_CHOICES, type KernelChoice };

/**
 * The kernels for a choice. 'wasm' insists on WebAssembly SIMD and says so when the runtime lacks
 * it; 'auto' falls back to the plain TypeScript kernels quietly.
 */
export async function selectKernels(choice: KernelChoice): Promise<Kernels> {
  switch (choice) {
    case 'js':
      return jsKernels;
    case 'wasm':
      if (!wasmSimdSupported()) {
        throw new Error("kernels 'wasm' need WebAssembly SIMD128, which this runtime lacks; choose 'auto' or 'js'");
      }
      return createWasmKernels();
    case 'auto':
      return wasmSimdSupported() ? createWasmKernels() : jsKernels;
  }
}
