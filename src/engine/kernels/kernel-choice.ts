/** Which kernels to run: 'auto' takes WebAssembly SIMD where the runtime has it, else plain TypeScript. */
export const KERNEL_CHOICES = ['auto', 'wasm', 'js'] as const;
export type KernelChoice = (typeof KERNEL_CHOICES)[number];
