import { KERNEL_CHOICES, type KernelChoice } from './kernel-choice';
import type { Kernels } from './kernels';
import { jsKernels } from './js';
import { createWasmKernels, wasmSimdSupported } from './wasm/wasm-kernels';
import type { SpawnHelper } from './wasm/threads';

export { KERNEL_CHOICES, type KernelChoice };

/**
 * The kernels for a choice. 'wasm' insists on WebAssembly SIMD and says so when the runtime lacks
 * it; 'auto' falls back to the plain TypeScript kernels quietly.
 *
 * With `spawnHelper`, the WebAssembly kernels get a second thread (see wasm/threads.ts).
 * A helper that cannot start (no shared memory, a thread that never comes up) is not an error the
 * user can act on: the kernels then run on one thread, which is what `threads` on them says.
 */
export async function selectKernels(choice: KernelChoice, spawnHelper?: SpawnHelper): Promise<Kernels> {
  switch (choice) {
    case 'js':
      return jsKernels;
    case 'wasm':
      if (!wasmSimdSupported()) {
        throw new Error("kernels 'wasm' need WebAssembly SIMD128, which this runtime lacks; choose 'auto' or 'js'");
      }
      return wasmKernels(spawnHelper);
    case 'auto':
      return wasmSimdSupported() ? wasmKernels(spawnHelper) : jsKernels;
  }
}

async function wasmKernels(spawnHelper: SpawnHelper | undefined): Promise<Kernels> {
  if (spawnHelper === undefined) return createWasmKernels();
  try {
    return await createWasmKernels({ spawnHelper });
  } catch {
    return createWasmKernels();
  }
}
