import { plainMemoryBase64, sharedMemoryBase64, sharedMemoryRelaxedBase64 } from './kernels-bytes.generated';

/**
 * The WebAssembly side of the SIMD kernels: what the host must offer (SIMD128, shared memory,
 * relaxed SIMD), the three builds of src/wasm/kernels.as.ts embedded by `npm run build:wasm`, their
 * compilation (once per process), and the shape of their exports. wasm-kernels.ts builds the
 * `Kernels` on top of it.
 */

export const pageBytes = 65_536;
export const defaultMaxBytes = 1 << 30;
/** The module keeps its static data in page 0 (checked at start-up); buffers start after it. */
export const heapStart = pageBytes;
/** Kernels read up to 12 bytes past a row end (see kernels.as.ts); this much stays mapped past the heap. */
export const slackBytes = 16;

/** The few WebAssembly declarations used here (the project's ES2022 lib has none). */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<{ exports: Record<string, unknown> }>;
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

/** A kernel export: pointers into the memory, sizes, then a pointer to scratch. */
export type WasmKernel = (a: number, b: number, c: number, d0: number, d1: number, d2: number, scratch: number) => void;
/** A product's scratch bytes from its three sizes, in the order the product takes them. */
export type WasmScratchSize = (d0: number, d1: number, d2: number) => number;
export type WasmRowKernel = (y: number, v: number, rows: number, cols: number) => void;
export interface KernelExports {
  staticDataEnd(): number;
  /** Scratch bytes each product needs, from the sizes it depends on. */
  matmulScratch: WasmScratchSize;
  matmulTransAScratch: WasmScratchSize;
  matmulTransBScratch: WasmScratchSize;
  matmul: WasmKernel;
  matmulBias(a: number, b: number, bias: number, c: number, m: number, k: number, n: number, scratch: number): void;
  matmulBiasRelu(a: number, b: number, bias: number, c: number, y: number, m: number, k: number, n: number, scratch: number): void;
  matmulTransA: WasmKernel;
  matmulTransB: WasmKernel;
  matmulTransBReluMask(a: number, b: number, c: number, y: number, m: number, n: number, k: number, scratch: number): void;
  matmulTransAColumns(a: number, b: number, c: number, m: number, k: number, n: number, p0: number, p1: number, scratch: number): void;
  matmulTransASgd(a: number, b: number, w: number, m: number, k: number, n: number, p0: number, p1: number, scratch: number, eta: number, bias: number): void;
  addBias: WasmRowKernel;
  sumRows: WasmRowKernel;
  sgdUpdate(w: number, g: number, length: number, rate: number, decay: number): void;
  momentumUpdate(w: number, g: number, v: number, length: number, rate: number, mu: number, decay: number): void;
  adamUpdate(w: number, g: number, m: number, v: number, length: number, stepSize: number, epsHat: number, beta1: number, beta2: number, decay: number): void;
  relu(x: number, y: number, length: number): void;
  reluBackward(y: number, dy: number, dx: number, length: number): void;
  unitFromBytes(src: number, dst: number, length: number): void;
  imagesToUnits(images: number, order: number, count: number, pixels: number, dst: number): void;
  softmaxScratch(rows: number, classes: number): number;
  /** Per-row losses (f64) at results, then whether each row was right (i32). */
  softmaxRows(logits: number, labels: number, batch: number, classes: number, gradient: number, r0: number, r1: number, results: number, scratch: number): void;
}

export function webAssembly(): WasmApi | undefined {
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

export function sharedMemorySupported(): boolean {
  return typeof SharedArrayBuffer === 'function';
}

/** The three builds of kernels.as.ts (see scripts/build-wasm.mjs). */
export type Build = 'shared' | 'sharedRelaxed' | 'plain';
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

export function compileBuild(api: WasmApi, build: Build): Promise<object> {
  let module = compiled.get(build);
  if (!module) {
    module = api.compile(decodeBase64(buildBase64[build]));
    compiled.set(build, module);
  }
  return module;
}
