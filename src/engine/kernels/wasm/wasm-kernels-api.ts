import type { Kernels, LossResult } from '../kernels';
import type { SpawnHelper } from './threads';

/** How to make the WebAssembly kernels (see createWasmKernels in wasm-kernels.ts). */
export interface WasmKernelsOptions {
  /** Most bytes the memory may ever hold, buffers and scratch together (default 1 GiB, at most 4 GiB). */
  maxBytes?: number;
  /** 'auto' (default): shared where SharedArrayBuffer exists, else plain. */
  memory?: 'auto' | 'shared' | 'plain';
  /** Use fused multiply-add where the runtime has it (default true; with a shared memory only). */
  fusedMultiplyAdd?: boolean;
  /**
   * Starts a second thread on the same memory (see threads.ts; a shared memory only):
   * the products and updates big enough to gain are then split between the two, with bitwise the
   * same results. The engine starts no thread itself; src/node/kernel-threads.ts supplies one.
   */
  spawnHelper?: SpawnHelper;
  /** How long the helper may take to come up before creation fails (default 5 s). */
  helperStartMs?: number;
}

/** The WebAssembly kernels, saying which build they run. */
export interface WasmKernels extends Kernels {
  /** 'shared': grows without detaching views; 'plain': all of maxBytes reserved up front. */
  readonly memoryKind: 'shared' | 'plain';
  /** Whether the products use fused multiply-add (the relaxed-SIMD build). */
  readonly fusedMultiplyAdd: boolean;
  /** 2 with a helper thread that work is split with, else 1. */
  readonly threads: number;
  /** Whether work is split with the helper thread (on when there is one); off, all runs on the caller's thread. */
  splitting: boolean;
  /**
   * Starts a helper thread on kernels made without one (see WasmKernelsOptions.spawnHelper), and
   * waits for it (default 5 s); once per instance, and a shared memory only.
   */
  startHelper(spawn: SpawnHelper, timeoutMs?: number): Promise<void>;
  /** Stops the helper thread, if any; the kernels then run on one thread. */
  stopHelper(): void;
  /**
   * Frees every buffer made so far (with the images held and the working space), so that the
   * next buffers reuse the memory: for a host that keeps one instance for one model after another.
   * Views of those buffers must not be used again.
   */
  freeBuffers(): void;
  softmaxCrossEntropy(logits: Float32Array, labels: ArrayLike<number>, batch: number, classes: number, gradient?: Float32Array): LossResult | null;
}

