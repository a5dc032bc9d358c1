import type { Kernels } from '../engine/kernels/kernels';
import { createWasmKernels, wasmSimdSupported, type WasmKernels } from '../engine/kernels/wasm/wasm-kernels';
import type { HelperInit } from '../engine/kernels/wasm/threads';
import { selectKernels, type KernelChoice } from '../engine/kernels/select';

/**
 * Starts a helper thread (src/node/kernel-threads.ts) and tells `onFailure` if the thread dies:
 * an exception in it, or one that kills it while it starts.
 */
export type StartHelperThread = (init: HelperInit, onFailure: (error: Error) => void) => void;

/**
 * The kernels of one engine process: a single WebAssembly instance for the process's life, for
 * every run and every model loaded, rather than a new one each time. An instance's memory goes only
 * when the garbage collector comes round to it, which V8 does late: with an instance a run, the
 * engine process grew by 50–60 MB a run (four runs of the default preset: 172 → 300 MB resident,
 * 376 MB with two threads). The worker holds one model at a time and frees the instance's buffers
 * before it makes the next (ModelKeeper.release), so the memory holds one model's buffers.
 *
 * The helper thread is started the first time a run asks for two threads and then stays (asleep
 * while idle); each request says whether work is split with it. A helper that cannot start, or
 * that fails later, is not an error the user can act on: the kernels then run on one thread, say
 * so in `threads`, and `helperProblem` says why (for the run's events).
 */
export class ProcessKernels {
  private wasm: Promise<WasmKernels> | null = null;
  private helperAsked = false;
  private problem: string | null = null;

  constructor(
    /** Starts a helper thread; without one, the kernels use one thread. */
    private readonly startHelper?: StartHelperThread,
    private readonly create: () => Promise<WasmKernels> = () => createWasmKernels(),
    /** Told when a helper that was running fails: the kernels have gone back to one thread. */
    private readonly onHelperLost?: (problem: string) => void,
  ) {}

  /** Why the kernels run on one thread although two were asked for, or null. */
  get helperProblem(): string | null {
    return this.problem;
  }

  /**
   * The kernels for a choice, splitting work over `threads` (1 or 2) where the kernels can; without
   * `threads` (a model loaded for requests), as the last run left them.
   */
  async get(choice: KernelChoice, threads?: 1 | 2): Promise<Kernels> {
    // 'js', and 'auto' without SIMD, are the plain TypeScript kernels; 'wasm' without SIMD says why.
    if (choice === 'js' || !wasmSimdSupported()) return selectKernels(choice);
    const kernels = await (this.wasm ??= this.create());
    if (threads === 2 && !this.helperAsked && this.startHelper !== undefined && kernels.memoryKind === 'shared') {
      this.helperAsked = true;
      await this.startHelperFor(kernels, this.startHelper);
    }
    if (threads !== undefined) kernels.splitting = threads === 2;
    return kernels;
  }

  private async startHelperFor(kernels: WasmKernels, start: StartHelperThread): Promise<void> {
    let started = false;
    let failStartup: (error: Error) => void = () => {};
    const failedWhileStarting = new Promise<never>((_resolve, reject) => {
      failStartup = reject;
    });
    const onFailure = (error: Error): void => {
      const problem = `the second thread failed (${error.message}); the engine runs on one thread`;
      if (!started) {
        failStartup(error);
        return;
      }
      if (this.problem !== null) return;
      this.problem = problem;
      kernels.stopHelper();
      this.onHelperLost?.(problem);
    };
    const starting = kernels.startHelper((init) => start(init, onFailure));
    // Whichever ends first; the other must not surface as an unhandled rejection.
    starting.catch(() => {});
    try {
      await Promise.race([starting, failedWhileStarting]);
      started = true;
    } catch (error) {
      this.problem = `the second thread could not start (${error instanceof Error ? error.message : String(error)}); the engine runs on one thread`;
    }
  }
}
