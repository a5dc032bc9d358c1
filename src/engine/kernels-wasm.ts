import type { AdamStep, Kernels } from './kernels';
import { CONTROL_BYTES, HelperOp, KernelHelper, type SpawnHelper } from './kernels-wasm-threads';
import { plainMemoryBase64, sharedMemoryBase64, sharedMemoryRelaxedBase64 } from './wasm/kernels-wasm-bytes.generated';

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
 * Memory. The kernels work in one WebAssembly memory per instance; `createBuffer` hands out
 * 16-byte-aligned Float32Array views into it from a bump allocator and never frees them, so a view
 * stays valid for the life of the instance. (Create one instance per model or run; the memory goes
 * with the instance.)
 * - Where SharedArrayBuffer exists (Node, Electron, cross-origin-isolated pages) the memory is
 *   shared: it starts small and grows on demand up to `maxBytes`, and, unlike a plain memory whose
 *   growth detaches every view, growing it leaves the views already handed out valid. A shared
 *   memory can also be handed to a second thread later.
 * - Elsewhere the memory is plain and all of `maxBytes` is reserved up front (the OS commits pages
 *   only when they are touched), because it can never grow without detaching the views.
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
 */
export interface WasmKernelsOptions {
  /** Most bytes the memory may ever hold, buffers and scratch together (default 1 GiB, at most 4 GiB). */
  maxBytes?: number;
  /** 'auto' (default): shared where SharedArrayBuffer exists, else plain. */
  memory?: 'auto' | 'shared' | 'plain';
  /** Use fused multiply-add where the runtime has it (default true; with a shared memory only). */
  fusedMultiplyAdd?: boolean;
  /**
   * Starts a second thread on the same memory (see kernels-wasm-threads.ts; a shared memory only):
   * the products and updates big enough to gain are then split between the two, with bitwise the
   * same results. The engine starts no thread itself; src/node/kernel-threads.ts supplies one.
   */
  spawnHelper?: SpawnHelper;
}

/** The WebAssembly kernels, saying which build they run. */
export interface WasmKernels extends Kernels {
  /** 'shared': grows without detaching views; 'plain': all of maxBytes reserved up front. */
  readonly memoryKind: 'shared' | 'plain';
  /** Whether the products use fused multiply-add (the relaxed-SIMD build). */
  readonly fusedMultiplyAdd: boolean;
  /** 2 with a helper thread, else 1. */
  readonly threads: number;
  /** Whether work is split with the helper thread (on when there is one); off, all runs on the caller's thread. */
  splitting: boolean;
  /** Stops the helper thread, if any; the kernels then run on one thread. */
  stopHelper(): void;
}

const pageBytes = 65_536;
const defaultMaxBytes = 1 << 30;
/** The module keeps its static data in page 0 (checked at start-up); buffers start after it. */
const heapStart = pageBytes;
/** Kernels read up to 12 bytes past a row end (see kernels.as.ts); this much stays mapped past the heap. */
const slackBytes = 16;

/** The few WebAssembly declarations used here (the project's ES2022 lib has none). */
interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<{ exports: Record<string, unknown> }>;
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

/** A kernel export: pointers into the memory, sizes, then a pointer to scratch. */
type WasmKernel = (a: number, b: number, c: number, d0: number, d1: number, d2: number, scratch: number) => void;
type WasmRowKernel = (y: number, v: number, rows: number, cols: number) => void;
interface KernelExports {
  staticDataEnd(): number;
  /** Scratch bytes each product needs, from the sizes it depends on. */
  matmulScratch(m: number, k: number, n: number): number;
  matmulTransAScratch(m: number, k: number, n: number): number;
  matmulTransBScratch(m: number, n: number, k: number): number;
  matmul: WasmKernel;
  matmulTransA: WasmKernel;
  matmulTransB: WasmKernel;
  matmulTransAColumns(a: number, b: number, c: number, m: number, k: number, n: number, p0: number, p1: number, scratch: number): void;
  matmulTransASgd(a: number, b: number, w: number, m: number, k: number, n: number, p0: number, p1: number, scratch: number, eta: number): void;
  addBias: WasmRowKernel;
  sumRows: WasmRowKernel;
  sgdUpdate(w: number, g: number, length: number, rate: number, decay: number): void;
  momentumUpdate(w: number, g: number, v: number, length: number, rate: number, mu: number, decay: number): void;
  adamUpdate(w: number, g: number, m: number, v: number, length: number, stepSize: number, epsHat: number, beta1: number, beta2: number, decay: number): void;
  relu(x: number, y: number, length: number): void;
  reluBackward(y: number, dy: number, dx: number, length: number): void;
  unitFromBytes(src: number, dst: number, length: number): void;
}

function webAssembly(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

/** The smallest module using SIMD128: one function returning i32x4.splat(0). */
const simdProbe = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x08, 0x01, 0x06, 0x00, 0x41, 0x00, 0xfd, 0x11, 0x0b, // code: i32.const 0; i32x4.splat; end
]);

/** True when this host runs WebAssembly with the SIMD128 instructions the kernels are made of. */
export function wasmSimdSupported(): boolean {
  try {
    return webAssembly()?.validate(simdProbe) ?? false;
  } catch {
    return false;
  }
}

function sharedMemorySupported(): boolean {
  return typeof SharedArrayBuffer === 'function';
}

/** The three builds of kernels.as.ts (see scripts/build-wasm.mjs). */
type Build = 'shared' | 'sharedRelaxed' | 'plain';
const buildBase64: Record<Build, string> = {
  shared: sharedMemoryBase64,
  sharedRelaxed: sharedMemoryRelaxedBase64,
  plain: plainMemoryBase64,
};

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

let relaxedSimd: boolean | undefined;

/** True when this host runs the relaxed-SIMD build (validated once, on first use). */
export function wasmRelaxedSimdSupported(): boolean {
  if (relaxedSimd === undefined) {
    try {
      relaxedSimd = webAssembly()?.validate(decodeBase64(sharedMemoryRelaxedBase64)) ?? false;
    } catch {
      relaxedSimd = false;
    }
  }
  return relaxedSimd;
}

/** Each build is compiled once per process and instantiated once per kernels instance. */
const compiled = new Map<Build, Promise<object>>();

function compileBuild(api: WasmApi, build: Build): Promise<object> {
  let module = compiled.get(build);
  if (!module) {
    module = api.compile(decodeBase64(buildBase64[build]));
    compiled.set(build, module);
  }
  return module;
}

const align16 = (bytes: number): number => (bytes + 15) & ~15;

/** Creates a fresh instance of the WebAssembly SIMD kernels with its own memory (see above). */
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
  const kernels = new WasmSimdKernels(memory, exports, maxPages * pageBytes, kind, fused);
  if (options.spawnHelper) {
    if (kind !== 'shared') throw new Error('wasm-simd kernels: a helper thread needs a shared memory');
    await kernels.startHelper(options.spawnHelper, module);
  }
  return kernels;
}

/** Below this many multiply-adds (or floats, for an update) a split does not pay for the hand-over. */
const splitProductWork = 1 << 16;
const splitUpdateLength = 1 << 14;
/** How long a helper thread may take to come up. */
const helperStartMs = 15_000;

class WasmSimdKernels implements WasmKernels {
  readonly name = 'wasm-simd';
  /** Every ArrayBuffer the memory has had: a shared memory gets a new, longer one on each growth. */
  private readonly ownBuffers = new Set<ArrayBufferLike>();
  /** The memory's current ArrayBuffer, and all of it as floats (for copies in and out). */
  private buffer: ArrayBufferLike;
  private heap: Float32Array;
  private bytes: Uint8Array;
  /** First free byte of the bump allocator. */
  private top = heapStart;
  private scratch = 0;
  private scratchBytes = 0;
  private helper: KernelHelper | null = null;
  splitting = true;
  private helperScratch = 0;
  private helperScratchBytes = 0;

  constructor(
    private readonly memory: WasmMemory,
    private readonly exports: KernelExports,
    private readonly maxBytes: number,
    readonly memoryKind: 'shared' | 'plain',
    readonly fusedMultiplyAdd: boolean,
  ) {
    this.buffer = memory.buffer;
    this.heap = new Float32Array(this.buffer);
    this.bytes = new Uint8Array(this.buffer);
    this.ownBuffers.add(this.buffer);
  }

  get threads(): number {
    return this.helper ? 2 : 1;
  }

  /** Starts the helper thread and waits until it is ready. */
  async startHelper(spawn: SpawnHelper, module: object): Promise<void> {
    const control = this.allocate(CONTROL_BYTES);
    const helper = new KernelHelper(this.buffer, control, this.exports);
    spawn({ module, memory: this.memory, control });
    await helper.ready(helperStartMs);
    this.helper = helper;
  }

  stopHelper(): void {
    this.helper?.stop();
    this.helper = null;
  }

  createBuffer(length: number): Float32Array {
    if (!Number.isInteger(length) || length < 0) {
      throw new RangeError(`wasm-simd kernels: createBuffer needs a whole number of floats, got ${length}`);
    }
    const pointer = this.allocate(length * 4);
    const view = new Float32Array(this.buffer, pointer, length);
    view.fill(0);
    return view;
  }

  matmul(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
    checkSizes('matmul', m, k, n);
    checkScratchBound('matmul', m, k, n);
    const scratch = this.exports.matmulScratch(m, k, n);
    if (this.splitsRows(m, k * n, a, m * k, b, k * n, c, m * n)) {
      this.splitRows(HelperOp.Matmul, this.exports.matmul, a, b, c, m, k, n, scratch);
      return;
    }
    this.product(this.exports.matmul, 'matmul', a, m * k, b, k * n, c, m * n, m, k, n, scratch);
  }

  matmulTransA(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
    checkSizes('matmulTransA', m, k, n);
    checkScratchBound('matmulTransA', k, m, n);
    const scratch = this.exports.matmulTransAScratch(m, k, n);
    if (this.splitsRows(k, m * n, a, m * k, b, m * n, c, k * n)) {
      // The helper takes rows [0, half) of C, that is columns [0, half) of A; this thread the rest.
      const half = (k >> 3) << 2;
      const helper = this.helper as KernelHelper;
      helper.start(HelperOp.MatmulTransAColumns, a.byteOffset, b.byteOffset, c.byteOffset, m, k, n, 0, half, this.reserveHelperScratch(scratch));
      this.exports.matmulTransAColumns(a.byteOffset, b.byteOffset, c.byteOffset, m, k, n, half, k, this.reserveScratch(scratch));
      helper.join();
      return;
    }
    this.product(this.exports.matmulTransA, 'matmulTransA', a, m * k, b, m * n, c, k * n, m, k, n, scratch);
  }

  matmulTransB(a: Float32Array, b: Float32Array, c: Float32Array, m: number, n: number, k: number): void {
    checkSizes('matmulTransB', m, n, k);
    checkScratchBound('matmulTransB', m, n, k);
    const scratch = this.exports.matmulTransBScratch(m, n, k);
    if (this.splitsRows(m, n * k, a, m * n, b, k * n, c, m * k)) {
      this.splitRows(HelperOp.MatmulTransB, this.exports.matmulTransB, a, b, c, m, n, k, scratch);
      return;
    }
    this.product(this.exports.matmulTransB, 'matmulTransB', a, m * n, b, k * n, c, m * k, m, n, k, scratch);
  }

  addBias(y: Float32Array, bias: Float32Array, rows: number, cols: number): void {
    checkSizes('addBias', rows, cols, 0);
    checkLength('addBias', 'Y', y, rows * cols);
    checkLength('addBias', 'bias', bias, cols);
    if (this.owns(y) && this.owns(bias)) {
      this.exports.addBias(y.byteOffset, bias.byteOffset, rows, cols);
      return;
    }
    const [py, pBias] = this.copyIn([[y, rows * cols], [bias, cols]]);
    this.exports.addBias(py, pBias, rows, cols);
    this.copyOut(py, y, rows * cols);
  }

  sumRows(g: Float32Array, out: Float32Array, rows: number, cols: number): void {
    checkSizes('sumRows', rows, cols, 0);
    checkLength('sumRows', 'G', g, rows * cols);
    checkLength('sumRows', 'out', out, cols);
    if (this.owns(g) && this.owns(out)) {
      this.exports.sumRows(g.byteOffset, out.byteOffset, rows, cols);
      return;
    }
    const [pg, pOut] = this.copyIn([[g, rows * cols], [out, cols]]);
    this.exports.sumRows(pg, pOut, rows, cols);
    this.copyOut(pOut, out, cols);
  }

  weightGradientSgd(x: Float32Array, g: Float32Array, w: Float32Array, m: number, k: number, n: number, learningRate: number): boolean {
    checkSizes('weightGradientSgd', m, k, n);
    checkScratchBound('weightGradientSgd', k, m, n);
    if (Math.fround(learningRate) === 0 || !this.ownsAll(m * k, x) || !this.ownsAll(m * n, g) || !this.ownsAll(k * n, w)) return false;
    const scratch = this.exports.matmulTransAScratch(m, k, n);
    if (this.splitsRows(k, m * n, x, m * k, g, m * n, w, k * n)) {
      const half = (k >> 3) << 2;
      const helper = this.helper as KernelHelper;
      helper.start(HelperOp.MatmulTransASgd, x.byteOffset, g.byteOffset, w.byteOffset, m, k, n, 0, half, this.reserveHelperScratch(scratch), learningRate);
      this.exports.matmulTransASgd(x.byteOffset, g.byteOffset, w.byteOffset, m, k, n, half, k, this.reserveScratch(scratch), learningRate);
      helper.join();
      return true;
    }
    this.exports.matmulTransASgd(x.byteOffset, g.byteOffset, w.byteOffset, m, k, n, 0, k, this.reserveScratch(scratch), learningRate);
    return true;
  }

  sgdUpdate(w: Float32Array, g: Float32Array, length: number, learningRate: number, weightDecay: number): boolean {
    if (!this.ownsAll(length, w, g)) return false;
    const helper = this.helperFor(length);
    if (helper) {
      const half = (length >> 3) << 2;
      helper.start(HelperOp.Sgd, w.byteOffset, g.byteOffset, half, 0, 0, 0, 0, 0, 0, learningRate, weightDecay);
      this.exports.sgdUpdate(w.byteOffset + 4 * half, g.byteOffset + 4 * half, length - half, learningRate, weightDecay);
      helper.join();
      return true;
    }
    this.exports.sgdUpdate(w.byteOffset, g.byteOffset, length, learningRate, weightDecay);
    return true;
  }

  momentumUpdate(
    w: Float32Array,
    g: Float32Array,
    velocity: Float32Array,
    length: number,
    learningRate: number,
    momentum: number,
    weightDecay: number,
  ): boolean {
    if (!this.ownsAll(length, w, g, velocity)) return false;
    const helper = this.helperFor(length);
    if (helper) {
      const half = (length >> 3) << 2;
      const at = 4 * half;
      helper.start(HelperOp.Momentum, w.byteOffset, g.byteOffset, velocity.byteOffset, half, 0, 0, 0, 0, 0, learningRate, momentum, weightDecay);
      this.exports.momentumUpdate(w.byteOffset + at, g.byteOffset + at, velocity.byteOffset + at, length - half, learningRate, momentum, weightDecay);
      helper.join();
      return true;
    }
    this.exports.momentumUpdate(w.byteOffset, g.byteOffset, velocity.byteOffset, length, learningRate, momentum, weightDecay);
    return true;
  }

  adamUpdate(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, length: number, step: AdamStep): boolean {
    if (!this.ownsAll(length, w, g, m, v)) return false;
    const helper = this.helperFor(length);
    if (helper) {
      const half = (length >> 3) << 2;
      const at = 4 * half;
      helper.start(HelperOp.Adam, w.byteOffset, g.byteOffset, m.byteOffset, v.byteOffset, half, 0, 0, 0, 0, step.stepSize, step.epsHat, step.beta1, step.beta2, step.weightDecay);
      this.exports.adamUpdate(w.byteOffset + at, g.byteOffset + at, m.byteOffset + at, v.byteOffset + at, length - half, step.stepSize, step.epsHat, step.beta1, step.beta2, step.weightDecay);
      helper.join();
      return true;
    }
    this.exports.adamUpdate(w.byteOffset, g.byteOffset, m.byteOffset, v.byteOffset, length, step.stepSize, step.epsHat, step.beta1, step.beta2, step.weightDecay);
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

  cutBatch(images: Uint8Array, order: Uint32Array, start: number, size: number, pixels: number, x: Float32Array): boolean {
    const length = size * pixels;
    if (!this.ownsAll(length, x) || !isSize(length) || start + size > order.length) return false;
    // The bytes are gathered into scratch (a memcpy a row), then turned into floats in one call.
    const stage = this.reserveScratch(length);
    const bytes = this.bytes;
    for (let r = 0; r < size; r++) {
      const from = order[start + r] * pixels;
      if (from + pixels > images.length) return false;
      bytes.set(images.subarray(from, from + pixels), stage + r * pixels);
    }
    this.exports.unitFromBytes(stage, x.byteOffset, length);
    return true;
  }

  /**
   * True when every array is a view of this memory holding at least `length` floats (written out
   * rather than with a rest parameter, which would allocate on every call).
   */
  private ownsAll(length: number, a: Float32Array, b?: Float32Array, c?: Float32Array, d?: Float32Array): boolean {
    return this.fits(a, length) && (b === undefined || this.fits(b, length)) && (c === undefined || this.fits(c, length)) && (d === undefined || this.fits(d, length));
  }

  private fits(array: Float32Array, length: number): boolean {
    return isSize(length) && array.length >= length && this.owns(array);
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
      rows * workPerRow >= splitProductWork &&
      a.length >= aLength && b.length >= bLength && c.length >= cLength &&
      this.owns(a) && this.owns(b) && this.owns(c)
    );
  }

  /**
   * X·W or G·Wᵀ with the rows of A (and C) split: the helper takes the first half, this thread
   * the rest, each with its own scratch (both pack B: in parallel, so it costs no time).
   */
  private splitRows(op: typeof HelperOp.Matmul | typeof HelperOp.MatmulTransB, kernel: WasmKernel, a: Float32Array, b: Float32Array, c: Float32Array, m: number, inner: number, n: number, scratch: number): void {
    const top = m >> 1;
    const helper = this.helper as KernelHelper;
    helper.start(op, a.byteOffset, b.byteOffset, c.byteOffset, top, inner, n, this.reserveHelperScratch(scratch));
    kernel(a.byteOffset + 4 * top * inner, b.byteOffset, c.byteOffset + 4 * top * n, m - top, inner, n, this.reserveScratch(scratch));
    helper.join();
  }

  /** The helper thread's scratch area, grown like reserveScratch's. */
  private reserveHelperScratch(bytes: number): number {
    if (bytes > this.helperScratchBytes) {
      const size = align16(Math.max(bytes, 2 * this.helperScratchBytes, 64 * 1024));
      this.helperScratch = this.allocate(size);
      this.helperScratchBytes = size;
    }
    return this.helperScratch;
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
    if (this.owns(a) && this.owns(b) && this.owns(c)) {
      kernel(a.byteOffset, b.byteOffset, c.byteOffset, d0, d1, d2, this.reserveScratch(kernelScratch));
      return;
    }
    const [pa, pb, pc, scratch] = this.copyIn([[a, aLength], [b, bLength], [c, cLength]], kernelScratch);
    kernel(pa, pb, pc, d0, d1, d2, scratch);
    this.copyOut(pc, c, cLength);
  }

  private owns(array: Float32Array): boolean {
    return this.ownBuffers.has(array.buffer);
  }

  /**
   * The slow path, for arguments not made by createBuffer: reserves scratch for the kernel
   * (kernelScratch bytes, first) and for every operand that lives elsewhere, copies those in, and
   * returns the operands' pointers followed by the kernel scratch pointer.
   */
  private copyIn(operands: [Float32Array, number][], kernelScratch = 0): number[] {
    let bytes = align16(kernelScratch);
    const offsets = operands.map(([array, length]) => {
      const offset = bytes;
      if (!this.owns(array)) bytes += align16(length * 4);
      return offset;
    });
    const base = this.reserveScratch(bytes);
    const pointers = operands.map(([array, length], o) => {
      if (this.owns(array)) return array.byteOffset;
      this.heap.set(array.subarray(0, length), (base + offsets[o]) / 4);
      return base + offsets[o];
    });
    return [...pointers, base];
  }

  /** Copies a written operand back if it was computed in scratch. */
  private copyOut(pointer: number, array: Float32Array, length: number): void {
    if (this.owns(array)) return;
    array.set(this.heap.subarray(pointer / 4, pointer / 4 + length));
  }

  /** A scratch area of at least `bytes`; a larger one replaces it (at least doubling) when needed. */
  private reserveScratch(bytes: number): number {
    if (bytes > this.scratchBytes) {
      const size = align16(Math.max(bytes, 2 * this.scratchBytes, 64 * 1024));
      this.scratch = this.allocate(size);
      this.scratchBytes = size;
    }
    return this.scratch;
  }

  /** Bump-allocates 16-byte-aligned bytes, growing the memory (which detaches no view) as needed. */
  private allocate(bytes: number): number {
    const pointer = this.top;
    const end = pointer + align16(bytes);
    if (end + slackBytes > this.maxBytes) {
      throw new RangeError(
        `wasm-simd kernels: out of memory: ${mib(end)} MiB needed in all, the most is ${mib(this.maxBytes)} MiB ` +
          '(createWasmKernels({ maxBytes }) raises it)',
      );
    }
    const have = this.buffer.byteLength;
    if (end + slackBytes > have) {
      // Grow by half again at least, so that many small buffers do not grow it a page at a time.
      const needed = Math.ceil((end + slackBytes - have) / pageBytes);
      const room = (this.maxBytes - have) / pageBytes;
      this.memory.grow(Math.min(Math.max(needed, Math.ceil(have / pageBytes / 2)), room));
      this.buffer = this.memory.buffer;
      this.heap = new Float32Array(this.buffer);
      this.bytes = new Uint8Array(this.buffer);
      this.ownBuffers.add(this.buffer);
    }
    this.top = end;
    return pointer;
  }
}

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}

function checkSizes(op: string, d0: number, d1: number, d2: number): void {
  if (!isSize(d0) || !isSize(d1) || !isSize(d2)) {
    throw new RangeError(`wasm-simd kernels: ${op} got sizes ${d0}, ${d1}, ${d2}; sizes are whole numbers ≥ 0`);
  }
}

function isSize(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 2 ** 30;
}

/**
 * The kernels size their scratch in 32-bit arithmetic. For a product listing `rows` rows of length
 * `inner` against a right-hand side with `cols` columns, this bound covers the packed panels (96
 * bytes a row per panel of up to 24 columns), the lists of a chunk of 256 rows and their indexes;
 * below 2^31 nothing overflows.
 */
function checkScratchBound(op: string, rows: number, inner: number, cols: number): void {
  const bound = 4 * inner * cols + 192 * inner + 8 * Math.min(rows, 256) * (inner + 8) + 4096;
  if (bound >= 2 ** 31) {
    throw new RangeError(`wasm-simd kernels: ${op} of these sizes would need over 2 GiB of scratch; split it into smaller products`);
  }
}

function checkLength(op: string, name: string, array: Float32Array, length: number): void {
  if (array.length < length) {
    throw new RangeError(`wasm-simd kernels: ${op} needs ${name} of at least ${length} floats, got ${array.length}`);
  }
}
