import type { Kernels } from '../engine/kernels/kernels';
import { createWasmKernels, wasmSimdSupported, type WasmKernels } from '../engine/kernels/wasm/wasm-kernels';
import type { SpawnHelper } from '../engine/kernels/wasm/threads';
import { selectKernels, type KernelChoice } from '../engine/kernels/select';

/**
 * The kernels of one engine process: a single WebAssembly instance for the process's life, for
 * every run and every model loaded, rather than a new one each time. An instance's memory goes only
 * when the garbage collector comes round to it, which V8 does late: with an instance a run, the
 * engine process grew by 50–60 MB a run (four runs of the default preset: 172 → 300 MB resident,
 * 376 MB with two threads). The worker holds one model at a time and frees the instance's buffers
 * before it makes the next (ModelKeeper.release), so the memory holds one model's buffers.
 *
 * The helper thread is started the first time a run asks for two threads and then stays (asleep
 * while idle); each request says whether work is split with it. A helper that cannot start is not
 * an error the user can act on: the kernels then run on one thread, and say so in `threads`.
 */
export class ProcessKernels {
  private wasm: Promise<WasmKernels> | null = null;
  private helperAsked = false;

  constructor(
    /** Starts a helper thread (src/node/kernel-threads.ts); without one, the kernels use one thread. */
    private readonly spawnHelper?: SpawnHelper,
    private readonly create: () => Promise<WasmKernels> = () => createWasmKernels(),
  ) {}

  /**
   * The kernels for a choice, splitting work over `threads` (1 or 2) where the kernels can; without
   * `threads` (a model loaded for requests), as the last run left them.
   */
  async get(choice: KernelChoice, threads?: 1 | 2): Promise<Kernels> {
    // 'js', and 'auto' without SIMD, are the plain TypeScript kernels; 'wasm' without SIMD says why.
    if (choice === 'js' || !wasmSimdSupported()) return selectKernels(choice);
    const kernels = await (this.wasm ??= this.create());
    if (threads === 2 && !this.helperAsked && this.spawnHelper !== undefined && kernels.memoryKind === 'shared') {
      this.helperAsked = true;
      try {
        await kernels.startHelper(this.spawnHelper);
      } catch {
        // One thread, then (see above).
      }
    }
    if (threads !== undefined) kernels.splitting = threads === 2;
    return kernels;
  }
}
