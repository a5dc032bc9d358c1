/**
 * A second thread for the WebAssembly kernels: a helper that instantiates the same module on the
 * same shared memory and takes one part of a product or an update while the calling thread does
 * the other. Each part is computed exactly as one thread computes it (rows of X·W and G·Wᵀ, rows
 * of Xᵀ·G, ranges of an update are independent of one another), so two threads give bitwise the
 * same numbers as one.
 *
 * The engine stays pure: it never starts a thread. Whoever can (src/node/kernel-threads.ts, with
 * worker_threads) is handed a HelperInit and runs `serveKernelJobs` on it in a new thread; this
 * file only speaks through a small control block in the shared memory, with Atomics.
 *
 * Hand-over. A product lasts 5–150 µs, so waking a sleeping thread (a futex, tens of µs on a busy
 * machine) for each would eat the gain. The helper spins on the control block for a while before it
 * sleeps, so it stays awake through a training run. And a job is claimed, not just posted: when
 * the calling thread has finished its own part and the helper has not yet claimed the other (it is
 * asleep, or another process has its core), the caller claims it and does it itself. So a busy
 * machine costs the split its gain, not the run its speed.
 */

/** What a helper thread needs: the compiled kernels, the memory, where its control block is. */
export interface HelperInit {
  module: object;
  memory: object;
  /** Byte offset of the control block (CONTROL_BYTES, 8-aligned) in the memory. */
  control: number;
}

/** Starts a thread that calls serveKernelJobs(init); supplied by a host that has threads. */
export type SpawnHelper = (init: HelperInit) => void;

/**
 * Control block, in 32-bit words: job number posted, job number done, ready, failed, op, int
 * args, and the number of the last job claimed (by either thread: job n is free while it is n − 1).
 */
const POSTED = 0;
const DONE = 1;
const READY = 2;
const FAILED = 3;
const OP = 4;
const INTS = 5;
const CLAIM = 14;
/** Float arguments, as float64s from this byte on. */
const FLOATS_AT = 64;
const FLOAT_COUNT = 5;
export const CONTROL_BYTES = FLOATS_AT + 8 * FLOAT_COUNT;
/** How long join waits on a job the helper claimed before it gives the helper up for dead. */
const helperSilentMs = 10_000;

/** The jobs a helper runs: one kernel export each. */
export const HelperOp = {
  Stop: 0,
  Matmul: 1,
  MatmulTransB: 2,
  MatmulTransAColumns: 3,
  Sgd: 4,
  Momentum: 5,
  Adam: 6,
  MatmulTransASgd: 7,
  ImagesToUnits: 8,
  MatmulBias: 9,
  MatmulBiasRelu: 10,
  MatmulTransBReluMask: 11,
  SoftmaxRows: 12,
} as const;
export type HelperOpCode = (typeof HelperOp)[keyof typeof HelperOp];

/**
 * The helper's loop, run in its own thread. Self-contained on purpose (no imports, no closures, no
 * inner functions), so a host may start it from its source text; the numbers in it are the
 * control-block layout and the HelperOp codes above.
 */
export function serveKernelJobs(init: HelperInit): void {
  const wasm = (globalThis as unknown as { WebAssembly: { Instance: new (m: object, i: object) => { exports: Record<string, (...args: number[]) => void> } } }).WebAssembly;
  const memory = init.memory as { buffer: ArrayBufferLike };
  const ints = new Int32Array(memory.buffer, init.control, 16);
  const floats = new Float64Array(memory.buffer, init.control + 64, 5);
  const k = new wasm.Instance(init.module, { env: { memory: init.memory } }).exports;
  Atomics.store(ints, 2, 1);
  Atomics.notify(ints, 2);
  let seen = 0;
  for (;;) {
    let spins = 0;
    while (Atomics.load(ints, 0) === seen) {
      if (++spins > 50_000) {
        Atomics.wait(ints, 0, seen);
        spins = 0;
      }
    }
    seen = Atomics.load(ints, 0);
    // The caller may have claimed the job already (it then runs it itself and waits for nothing);
    // the job's words are read only once it is ours.
    const free = (seen - 1) | 0;
    if (Atomics.compareExchange(ints, 14, free, seen) !== free) continue;
    const op = ints[4];
    if (op === 0) return;
    try {
      const a = ints[5];
      const b = ints[6];
      const c = ints[7];
      const d = ints[8];
      const e = ints[9];
      const f = ints[10];
      const g = ints[11];
      const h = ints[12];
      const i = ints[13];
      if (op === 1) k.matmul(a, b, c, d, e, f, g);
      else if (op === 2) k.matmulTransB(a, b, c, d, e, f, g);
      else if (op === 3) k.matmulTransAColumns(a, b, c, d, e, f, g, h, i);
      else if (op === 4) k.sgdUpdate(a, b, c, floats[0], floats[1]);
      else if (op === 5) k.momentumUpdate(a, b, c, d, floats[0], floats[1], floats[2]);
      else if (op === 6) k.adamUpdate(a, b, c, d, e, floats[0], floats[1], floats[2], floats[3], floats[4]);
      else if (op === 7) k.matmulTransASgd(a, b, c, d, e, f, g, h, i, floats[0], 0);
      else if (op === 8) k.imagesToUnits(a, b, c, d, e);
      else if (op === 9) k.matmulBias(a, b, c, d, e, f, g, h);
      else if (op === 10) k.matmulBiasRelu(a, b, c, d, e, f, g, h, i);
      else if (op === 11) k.matmulTransBReluMask(a, b, c, d, e, f, g, h);
      else if (op === 12) k.softmaxRows(a, b, c, d, e, f, g, h, i);
    } catch {
      Atomics.store(ints, 3, 1);
    }
    Atomics.store(ints, 1, seen);
    Atomics.notify(ints, 1);
  }
}

/** The kernel exports a job may call (as the helper sees them). */
export interface HelperKernels {
  matmul(a: number, b: number, c: number, m: number, k: number, n: number, scratch: number): void;
  matmulBias(a: number, b: number, bias: number, c: number, m: number, k: number, n: number, scratch: number): void;
  matmulBiasRelu(a: number, b: number, bias: number, c: number, y: number, m: number, k: number, n: number, scratch: number): void;
  matmulTransBReluMask(a: number, b: number, c: number, y: number, m: number, n: number, k: number, scratch: number): void;
  matmulTransB(a: number, b: number, c: number, m: number, n: number, k: number, scratch: number): void;
  softmaxRows(logits: number, labels: number, batch: number, classes: number, gradient: number, r0: number, r1: number, results: number, scratch: number): void;
  matmulTransAColumns(a: number, b: number, c: number, m: number, k: number, n: number, p0: number, p1: number, scratch: number): void;
  /** With a bias pointer (not 0) it also steps the bias; a helper's job never does. */
  matmulTransASgd(a: number, b: number, w: number, m: number, k: number, n: number, p0: number, p1: number, scratch: number, eta: number, bias: number): void;
  imagesToUnits(images: number, order: number, count: number, pixels: number, dst: number): void;
  sgdUpdate(w: number, g: number, length: number, rate: number, decay: number): void;
  momentumUpdate(w: number, g: number, v: number, length: number, rate: number, mu: number, decay: number): void;
  adamUpdate(w: number, g: number, m: number, v: number, length: number, stepSize: number, epsHat: number, beta1: number, beta2: number, decay: number): void;
}

/** The calling thread's side of the control block. */
export class KernelHelper {
  private readonly ints: Int32Array;
  private readonly floats: Float64Array;
  private posted = 0;
  /** Cleared when this thread turns out not to be allowed to block (see sleepUntilChanged). */
  private mayWait = true;

  constructor(
    buffer: ArrayBufferLike,
    control: number,
    /** The caller's own instance, to run a job the helper has not claimed. */
    private readonly kernels: HelperKernels,
    /** How long join waits on a claimed job before it gives the helper up for dead. */
    private readonly silentMs = helperSilentMs,
  ) {
    this.ints = new Int32Array(buffer, control, CLAIM + 1);
    this.floats = new Float64Array(buffer, control + FLOATS_AT, FLOAT_COUNT);
  }

  /** Waits (up to timeoutMs, without blocking the event loop) for the helper to come up. */
  async ready(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Atomics.load(this.ints, READY) !== 1) {
      if (Date.now() > until) throw new Error(`wasm-simd kernels: the helper thread did not start within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  /** Posts a job; the helper starts on it at once. Integer arguments first, then float ones. */
  start(op: HelperOpCode, a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, h = 0, i = 0, x = 0, y = 0, z = 0, u = 0, v = 0): void {
    const ints = this.ints;
    ints[OP] = op;
    ints[INTS] = a;
    ints[INTS + 1] = b;
    ints[INTS + 2] = c;
    ints[INTS + 3] = d;
    ints[INTS + 4] = e;
    ints[INTS + 5] = f;
    ints[INTS + 6] = g;
    ints[INTS + 7] = h;
    ints[INTS + 8] = i;
    const floats = this.floats;
    floats[0] = x;
    floats[1] = y;
    floats[2] = z;
    floats[3] = u;
    floats[4] = v;
    this.posted = (this.posted + 1) | 0;
    // The store is sequentially consistent, so the helper sees the arguments written before it.
    Atomics.store(ints, POSTED, this.posted);
    Atomics.notify(ints, POSTED, 1);
  }

  /**
   * Finishes the last job: runs it here if the helper has not claimed it yet, else waits for it,
   * spinning first, as it usually ends within microseconds.
   */
  join(): void {
    const free = (this.posted - 1) | 0;
    if (Atomics.compareExchange(this.ints, CLAIM, free, this.posted) === free) {
      this.runHere();
      return;
    }
    let spins = 0;
    let since = 0;
    for (;;) {
      const done = Atomics.load(this.ints, DONE);
      if (done === this.posted) break;
      // A long spin would take the core from a helper that is waiting for one (a busy machine).
      if (++spins > 20_000) {
        this.sleepUntilChanged(done);
        since ||= Date.now();
        // A job lasts microseconds; a helper silent this long has died holding it.
        if (Date.now() - since > this.silentMs) throw new Error(`wasm-simd kernels: the helper thread stopped answering for ${this.silentMs / 1000} s`);
      }
    }
    if (Atomics.load(this.ints, FAILED) !== 0) throw new Error('wasm-simd kernels: the helper thread failed in a kernel');
  }

  /**
   * Sleeps up to 50 ms until the helper reports. Atomics.wait is allowed on Node's main thread, and
   * so in Electron's utility process, but a host whose calling thread may not block (a browser's
   * main thread) throws instead; there the caller keeps spinning, slower but right.
   */
  private sleepUntilChanged(done: number): void {
    if (!this.mayWait) return;
    try {
      Atomics.wait(this.ints, DONE, done, 50);
    } catch {
      this.mayWait = false;
    }
  }

  /** The posted job on this thread (the same calls as serveKernelJobs makes). */
  private runHere(): void {
    const i = this.ints;
    const f = this.floats;
    const k = this.kernels;
    const a = i[INTS];
    const b = i[INTS + 1];
    const c = i[INTS + 2];
    const d = i[INTS + 3];
    const e = i[INTS + 4];
    const g = i[INTS + 5];
    const h = i[INTS + 6];
    const p = i[INTS + 7];
    const q = i[INTS + 8];
    switch (i[OP]) {
      case HelperOp.Matmul:
        return k.matmul(a, b, c, d, e, g, h);
      case HelperOp.MatmulTransB:
        return k.matmulTransB(a, b, c, d, e, g, h);
      case HelperOp.MatmulTransAColumns:
        return k.matmulTransAColumns(a, b, c, d, e, g, h, p, q);
      case HelperOp.Sgd:
        return k.sgdUpdate(a, b, c, f[0], f[1]);
      case HelperOp.Momentum:
        return k.momentumUpdate(a, b, c, d, f[0], f[1], f[2]);
      case HelperOp.Adam:
        return k.adamUpdate(a, b, c, d, e, f[0], f[1], f[2], f[3], f[4]);
      case HelperOp.MatmulTransASgd:
        return k.matmulTransASgd(a, b, c, d, e, g, h, p, q, f[0], 0);
      case HelperOp.ImagesToUnits:
        return k.imagesToUnits(a, b, c, d, e);
      case HelperOp.MatmulBias:
        return k.matmulBias(a, b, c, d, e, g, h, p);
      case HelperOp.MatmulBiasRelu:
        return k.matmulBiasRelu(a, b, c, d, e, g, h, p, q);
      case HelperOp.MatmulTransBReluMask:
        return k.matmulTransBReluMask(a, b, c, d, e, g, h, p);
      case HelperOp.SoftmaxRows:
        return k.softmaxRows(a, b, c, d, e, g, h, p, q);
    }
  }

  /** Ends the helper's loop (it exits at its next look at the control block). */
  stop(): void {
    this.start(HelperOp.Stop);
  }
}

