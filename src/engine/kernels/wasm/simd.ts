import type { AdamStep, LossResult } from '../kernels';
import type { WasmKernels } from './wasm-kernels-api';
import { CONTROL_BYTES, HelperOp, KernelHelper, type SpawnHelper } from './threads';
import { checkLength, checkScratchBound, checkSizes, isSize } from './checks';
import { ScratchArea, WasmHeap } from './heap';
import { cutBatchInWasm, softmaxInWasm, type BatchSide } from './batch';
import { adamInWasm, momentumInWasm, sgdInWasm } from './updates';
import { HeldImages } from './images';
import { heapStart } from './loader';
import type { KernelExports, WasmKernel, WasmScratchSize, WasmMemory, WasmRowKernel } from './loader';

/*
 * The WebAssembly kernels themselves (created by createWasmKernels in wasm-kernels.ts, which says
 * what they do): each Kernels method checks its arguments, passes pointers into the memory to the
 * module's export, and, with a helper thread, decides whether to split the work and how.
 */

/** Below this many multiply-adds (or floats, for an update) a split does not pay for the hand-over. */
const splitProductWork = 1 << 16;
/**
 * Nor below this batch: at batch 8 every product is a few microseconds, and splitting them made
 * training 40 % slower; at 32 it gains 15 %, at 64 and 128 about 30 % (the course network).
 */
export const smallestSplitBatch = 32;
const splitUpdateLength = 1 << 14;
/**
 * How long a helper thread may take to come up (it takes tens of milliseconds): the app's Start
 * waits this long at most before its kernels run on one thread instead.
 */
const helperStartMs = 5_000;

export class WasmSimdKernels implements WasmKernels {
  readonly name = 'wasm-simd';
  private readonly heap: WasmHeap;
  /** Working space of this thread's kernels, and of the helper thread's. */
  private readonly scratch: ScratchArea;
  private readonly helperScratch: ScratchArea;
  private readonly images: HeldImages;
  private helper: KernelHelper | null = null;
  /** Whether a helper thread was ever started on the control block (it serves one thread only). */
  private helperTried = false;
  /** What the per-batch steps around the network (batch.ts) work with. */
  private readonly batchSide: BatchSide;
  /** The helper thread's control block, made first so that freeBuffers never frees it. */
  private readonly control: number;
  /** Where the buffers start: what freeBuffers releases the heap to. */
  private readonly firstBuffer: number;
  splitting = true;

  constructor(
    memory: WasmMemory,
    private readonly exports: KernelExports,
    maxBytes: number,
    readonly memoryKind: 'shared' | 'plain',
    readonly fusedMultiplyAdd: boolean,
    /** The compiled module, for a helper thread to instantiate on the same memory. */
    private readonly module: object,
  ) {
    this.heap = new WasmHeap(memory, heapStart, maxBytes);
    this.control = this.heap.allocate(CONTROL_BYTES);
    this.firstBuffer = this.heap.end;
    this.scratch = new ScratchArea(this.heap);
    this.helperScratch = new ScratchArea(this.heap);
    this.images = new HeldImages(this.heap);
    this.batchSide = { exports, heap: this.heap, scratch: this.scratch, helperScratch: this.helperScratch, images: this.images };
  }

  get threads(): number {
    return this.helper && this.splitting ? 2 : 1;
  }

  /**
   * Starts the helper thread and waits until it is ready. Once per instance: its control block
   * serves one thread, and a thread that came up late may still read it; a second call fails.
   */
  async startHelper(spawn: SpawnHelper, timeoutMs = helperStartMs): Promise<void> {
    if (this.memoryKind !== 'shared') throw new Error('wasm-simd kernels: a helper thread needs a shared memory');
    if (this.helperTried) throw new Error('wasm-simd kernels: these kernels have had a helper thread; make new kernels for another');
    this.helperTried = true;
    const helper = new KernelHelper(this.heap.buffer, this.control, this.exports);
    spawn({ module: this.module, memory: this.heap.memory, control: this.control });
    try {
      await helper.ready(timeoutMs);
    } catch (error) {
      // A thread that comes up late finds a stop waiting for it and ends, instead of idling for good.
      helper.stop();
      throw error;
    }
    this.helper = helper;
  }

  stopHelper(): void {
    this.helper?.stop();
    this.helper = null;
  }

  /**
   * Frees every buffer createBuffer made, the images held and the working space: the memory is
   * then empty again, at the size it grew to, and the next buffers reuse it. For a host that keeps
   * one instance for one model after another (the engine worker), so that its memory does not grow
   * with each. Every view handed out before must not be used again: its bytes go to the next
   * buffers made. The helper thread, if any, stays.
   */
  freeBuffers(): void {
    this.heap.releaseTo(this.firstBuffer);
    this.images.forgetAll();
    this.scratch.forget();
    this.helperScratch.forget();
  }

  createBuffer(length: number): Float32Array {
    if (!Number.isInteger(length) || length < 0) {
      throw new RangeError(`wasm-simd kernels: createBuffer needs a whole number of floats, got ${length}`);
    }
    const pointer = this.heap.allocate(length * 4);
    const view = new Float32Array(this.heap.buffer, pointer, length);
    view.fill(0);
    return view;
  }

  matmul(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
    this.rowProduct('matmul', HelperOp.Matmul, this.exports.matmul, this.exports.matmulScratch, a, m * k, b, k * n, c, m * n, m, k, n);
  }

  matmulBias(x: Float32Array, w: Float32Array, bias: Float32Array, c: Float32Array, m: number, k: number, n: number): boolean {
    return this.forward('matmulBias', x, w, bias, c, null, m, k, n);
  }

  matmulBiasRelu(x: Float32Array, w: Float32Array, bias: Float32Array, z: Float32Array, y: Float32Array, m: number, k: number, n: number): boolean {
    return this.forward('matmulBiasRelu', x, w, bias, z, y, m, k, n);
  }

  /** matmulBias, or with y matmulBiasRelu. */
  private forward(op: string, x: Float32Array, w: Float32Array, bias: Float32Array, c: Float32Array, y: Float32Array | null, m: number, k: number, n: number): boolean {
    checkSizes(op, m, k, n);
    checkScratchBound(op, m, k, n);
    if (!this.ownsAll(m * k, x) || !this.ownsAll(k * n, w) || !this.ownsAll(n, bias) || !this.ownsAll(m * n, c)) return false;
    if (y !== null && !this.ownsAll(m * n, y)) return false;
    const scratch = this.exports.matmulScratch(m, k, n);
    const helper = this.splitsRows(m, m, k * n, x, m * k, w, k * n, c, m * n) ? (this.helper as KernelHelper) : null;
    // With a helper, it takes the first half of the rows, this thread the rest, as in splitRows.
    const top = helper ? m >> 1 : 0;
    const x0 = x.byteOffset;
    const c0 = c.byteOffset;
    const x1 = x0 + 4 * top * k;
    const c1 = c0 + 4 * top * n;
    if (y === null) {
      helper?.start(HelperOp.MatmulBias, x0, w.byteOffset, bias.byteOffset, c0, top, k, n, this.helperScratch.reserve(scratch));
      this.exports.matmulBias(x1, w.byteOffset, bias.byteOffset, c1, m - top, k, n, this.scratch.reserve(scratch));
    } else {
      const y0 = y.byteOffset;
      helper?.start(HelperOp.MatmulBiasRelu, x0, w.byteOffset, bias.byteOffset, c0, y0, top, k, n, this.helperScratch.reserve(scratch));
      this.exports.matmulBiasRelu(x1, w.byteOffset, bias.byteOffset, c1, y0 + 4 * top * n, m - top, k, n, this.scratch.reserve(scratch));
    }
    helper?.join();
    return true;
  }

  matmulTransA(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
    checkSizes('matmulTransA', m, k, n);
    checkScratchBound('matmulTransA', k, m, n);
    const scratch = this.exports.matmulTransAScratch(m, k, n);
    if (this.splitsRows(m, k, m * n, a, m * k, b, m * n, c, k * n)) {
      // The helper takes rows [0, half) of C, that is columns [0, half) of A; this thread the rest.
      const half = (k >> 3) << 2;
      const helper = this.helper as KernelHelper;
      helper.start(HelperOp.MatmulTransAColumns, a.byteOffset, b.byteOffset, c.byteOffset, m, k, n, 0, half, this.helperScratch.reserve(scratch));
      this.exports.matmulTransAColumns(a.byteOffset, b.byteOffset, c.byteOffset, m, k, n, half, k, this.scratch.reserve(scratch));
      helper.join();
      return;
    }
    this.product(this.exports.matmulTransA, 'matmulTransA', a, m * k, b, m * n, c, k * n, m, k, n, scratch);
  }

  matmulTransB(a: Float32Array, b: Float32Array, c: Float32Array, m: number, n: number, k: number): void {
    this.rowProduct('matmulTransB', HelperOp.MatmulTransB, this.exports.matmulTransB, this.exports.matmulTransBScratch, a, m * n, b, k * n, c, m * k, m, n, k);
  }

  matmulTransBReluMask(a: Float32Array, b: Float32Array, y: Float32Array, c: Float32Array, m: number, n: number, k: number): boolean {
    checkSizes('matmulTransBReluMask', m, n, k);
    checkScratchBound('matmulTransBReluMask', m, n, k);
    if (!this.ownsAll(m * n, a) || !this.ownsAll(k * n, b) || !this.ownsAll(m * k, y) || !this.ownsAll(m * k, c)) return false;
    const scratch = this.exports.matmulTransBScratch(m, n, k);
    const helper = this.splitsRows(m, m, n * k, a, m * n, b, k * n, c, m * k) ? (this.helper as KernelHelper) : null;
    const top = helper ? m >> 1 : 0;
    helper?.start(HelperOp.MatmulTransBReluMask, a.byteOffset, b.byteOffset, c.byteOffset, y.byteOffset, top, n, k, this.helperScratch.reserve(scratch));
    const rows = 4 * top * k;
    this.exports.matmulTransBReluMask(a.byteOffset + 4 * top * n, b.byteOffset, c.byteOffset + rows, y.byteOffset + rows, m - top, n, k, this.scratch.reserve(scratch));
    helper?.join();
    return true;
  }

  addBias(y: Float32Array, bias: Float32Array, rows: number, cols: number): void {
    this.rowsAndVector('addBias', this.exports.addBias, y, bias, rows, cols);
  }

  sumRows(g: Float32Array, out: Float32Array, rows: number, cols: number): void {
    this.rowsAndVector('sumRows', this.exports.sumRows, g, out, rows, cols);
  }

  weightGradientSgd(x: Float32Array, g: Float32Array, w: Float32Array, m: number, k: number, n: number, learningRate: number, bias?: Float32Array): boolean {
    checkSizes('weightGradientSgd', m, k, n);
    checkScratchBound('weightGradientSgd', k, m, n);
    if (Math.fround(learningRate) === 0 || !this.ownsAll(m * k, x) || !this.ownsAll(m * n, g) || !this.ownsAll(k * n, w)) return false;
    if (bias !== undefined && !this.ownsAll(n, bias)) return false;
    const scratch = this.exports.matmulTransAScratch(m, k, n);
    const biasAt = bias?.byteOffset ?? 0;
    if (this.splitsRows(m, k, m * n, x, m * k, g, m * n, w, k * n)) {
      // The helper takes rows [0, half) of W; this thread the rest, and the bias.
      const half = (k >> 3) << 2;
      const helper = this.helper as KernelHelper;
      helper.start(HelperOp.MatmulTransASgd, x.byteOffset, g.byteOffset, w.byteOffset, m, k, n, 0, half, this.helperScratch.reserve(scratch), learningRate);
      this.exports.matmulTransASgd(x.byteOffset, g.byteOffset, w.byteOffset, m, k, n, half, k, this.scratch.reserve(scratch), learningRate, biasAt);
      helper.join();
      return true;
    }
    this.exports.matmulTransASgd(x.byteOffset, g.byteOffset, w.byteOffset, m, k, n, 0, k, this.scratch.reserve(scratch), learningRate, biasAt);
    return true;
  }

  sgdUpdate(w: Float32Array, g: Float32Array, length: number, learningRate: number, weightDecay: number): boolean {
    if (!this.ownsAll(length, w, g)) return false;
    sgdInWasm(this.exports, this.helperFor(length), w.byteOffset, g.byteOffset, length, learningRate, weightDecay);
    return true;
  }

  momentumUpdate(w: Float32Array, g: Float32Array, velocity: Float32Array, length: number, learningRate: number, momentum: number, weightDecay: number): boolean {
    if (!this.ownsAll(length, w, g, velocity)) return false;
    momentumInWasm(this.exports, this.helperFor(length), w.byteOffset, g.byteOffset, velocity.byteOffset, length, learningRate, momentum, weightDecay);
    return true;
  }

  adamUpdate(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, length: number, step: AdamStep): boolean {
    if (!this.ownsAll(length, w, g, m, v)) return false;
    adamInWasm(this.exports, this.helperFor(length), w.byteOffset, g.byteOffset, m.byteOffset, v.byteOffset, length, step);
    return true;
  }

  relu(x: Float32Array, y: Float32Array, length: number): boolean {
    if (!this.ownsAll(length, x, y)) return false;
    this.exports.relu(x.byteOffset, y.byteOffset, length);
    return true;
  }

  reluBackward(y: Float32Array, dy: Float32Array, dx: Float32Array, length: number): boolean {
    if (!this.ownsAll(length, y, dy, dx)) return false;
    this.exports.reluBackward(y.byteOffset, dy.byteOffset, dx.byteOffset, length);
    return true;
  }

  holdImages(images: Uint8Array): void {
    this.images.pointerOf(images);
  }

  cutBatch(images: Uint8Array, order: Uint32Array, start: number, size: number, pixels: number, x: Float32Array): boolean {
    const length = size * pixels;
    if (!this.ownsAll(length, x) || !isSize(length) || start + size > order.length) return false;
    return cutBatchInWasm(this.batchSide, this.helperForBatch(size), images, order, start, size, pixels, x.byteOffset);
  }

  softmaxCrossEntropy(logits: Float32Array, labels: ArrayLike<number>, batch: number, classes: number, gradient?: Float32Array): LossResult | null {
    const total = batch * classes;
    // softmax-cross-entropy.ts refuses a wrong shape with its own message: leave that to it.
    if (!isSize(batch) || !isSize(classes) || logits.length !== total || labels.length < batch || !this.ownsAll(total, logits)) return null;
    if (gradient !== undefined && !this.ownsAll(total, gradient)) return null;
    return softmaxInWasm(this.batchSide, this.helperForBatch(batch), logits.byteOffset, labels, batch, classes, gradient?.byteOffset ?? 0);
  }

  /** The helper, when there is one and a batch of `rows` rows is worth sharing out. */
  private helperForBatch(rows: number): KernelHelper | null {
    return this.helper !== null && this.splitting && rows >= smallestSplitBatch ? this.helper : null;
  }

  /**
   * True when every array is a view of this memory holding at least `length` floats (written out
   * rather than with a rest parameter, which would allocate on every call).
   */
  private ownsAll(length: number, a: Float32Array, b?: Float32Array, c?: Float32Array, d?: Float32Array): boolean {
    return this.fits(a, length) && (b === undefined || this.fits(b, length)) && (c === undefined || this.fits(c, length)) && (d === undefined || this.fits(d, length));
  }

  private fits(array: Float32Array, length: number): boolean {
    return isSize(length) && array.length >= length && this.heap.owns(array);
  }

  /** The helper, when there is one and an update of `length` floats is worth splitting. */
  private helperFor(length: number): KernelHelper | null {
    return this.helper !== null && this.splitting && length >= splitUpdateLength ? this.helper : null;
  }

  /**
   * Whether to split a product by rows of C between the threads: with a helper, every operand this
   * memory's own, at least 8 rows and enough work (rows × work per row) to gain.
   */
  private splitsRows(
    batch: number,
    rows: number,
    workPerRow: number,
    a: Float32Array,
    aLength: number,
    b: Float32Array,
    bLength: number,
    c: Float32Array,
    cLength: number,
  ): boolean {
    return (
      this.helper !== null &&
      this.splitting &&
      rows >= 8 &&
      batch >= smallestSplitBatch &&
      rows * workPerRow >= splitProductWork &&
      a.length >= aLength && b.length >= bLength && c.length >= cLength &&
      this.heap.owns(a) && this.heap.owns(b) && this.heap.owns(c)
    );
  }

  /**
   * X·W or G·Wᵀ (d0 × d1 times d1 × d2; d0 is the rows of A and C): its rows split with the
   * helper when that pays, else on this thread, operands from elsewhere through scratch.
   */
  private rowProduct(op: 'matmul' | 'matmulTransB', helperOp: typeof HelperOp.Matmul | typeof HelperOp.MatmulTransB, kernel: WasmKernel, scratchOf: WasmScratchSize,
    a: Float32Array, aLength: number, b: Float32Array, bLength: number, c: Float32Array, cLength: number, d0: number, d1: number, d2: number): void {
    checkSizes(op, d0, d1, d2);
    checkScratchBound(op, d0, d1, d2);
    const scratch = scratchOf(d0, d1, d2);
    if (this.splitsRows(d0, d0, d1 * d2, a, aLength, b, bLength, c, cLength)) {
      this.splitRows(helperOp, kernel, a, b, c, d0, d1, d2, scratch);
      return;
    }
    this.product(kernel, op, a, aLength, b, bLength, c, cLength, d0, d1, d2, scratch);
  }

  /**
   * X·W or G·Wᵀ with the rows of A (and C) split: the helper takes the first half, this thread
   * the rest, each with its own scratch (both pack B: in parallel, so it costs no time).
   */
  private splitRows(op: typeof HelperOp.Matmul | typeof HelperOp.MatmulTransB, kernel: WasmKernel, a: Float32Array, b: Float32Array, c: Float32Array, m: number, inner: number, n: number, scratch: number): void {
    const top = m >> 1;
    const helper = this.helper as KernelHelper;
    helper.start(op, a.byteOffset, b.byteOffset, c.byteOffset, top, inner, n, this.helperScratch.reserve(scratch));
    kernel(a.byteOffset + 4 * top * inner, b.byteOffset, c.byteOffset + 4 * top * n, m - top, inner, n, this.scratch.reserve(scratch));
    helper.join();
  }

  /**
   * Runs addBias (which writes the rows×cols matrix) or sumRows (which writes the cols-long vector);
   * operands from elsewhere go through scratch.
   */
  private rowsAndVector(
    op: 'addBias' | 'sumRows',
    kernel: WasmRowKernel,
    matrix: Float32Array,
    vector: Float32Array,
    rows: number,
    cols: number,
  ): void {
    checkSizes(op, rows, cols, 0);
    checkLength(op, op === 'addBias' ? 'Y' : 'G', matrix, rows * cols);
    checkLength(op, op === 'addBias' ? 'bias' : 'out', vector, cols);
    if (this.heap.owns(matrix) && this.heap.owns(vector)) {
      kernel(matrix.byteOffset, vector.byteOffset, rows, cols);
      return;
    }
    const [pMatrix, pVector] = this.scratch.copyIn([[matrix, rows * cols], [vector, cols]]);
    kernel(pMatrix, pVector, rows, cols);
    if (op === 'addBias') this.scratch.copyOut(pMatrix, matrix, rows * cols);
    else this.scratch.copyOut(pVector, vector, cols);
  }

  /** Runs a product kernel: A and B read, C written, with kernelScratch bytes of working space. */
  private product(
    kernel: WasmKernel,
    op: string,
    a: Float32Array,
    aLength: number,
    b: Float32Array,
    bLength: number,
    c: Float32Array,
    cLength: number,
    d0: number,
    d1: number,
    d2: number,
    kernelScratch: number,
  ): void {
    checkLength(op, 'A', a, aLength);
    checkLength(op, 'B', b, bLength);
    checkLength(op, 'C', c, cLength);
    if (this.heap.owns(a) && this.heap.owns(b) && this.heap.owns(c)) {
      kernel(a.byteOffset, b.byteOffset, c.byteOffset, d0, d1, d2, this.scratch.reserve(kernelScratch));
      return;
    }
    const [pa, pb, pc, scratch] = this.scratch.copyIn([[a, aLength], [b, bLength], [c, cLength]], kernelScratch);
    kernel(pa, pb, pc, d0, d1, d2, scratch);
    this.scratch.copyOut(pc, c, cLength);
  }
}
