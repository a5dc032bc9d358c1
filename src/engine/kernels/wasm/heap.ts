import { mib } from './checks';
import { pageBytes, slackBytes, type WasmMemory } from './loader';

const align16 = (bytes: number): number => (bytes + 15) & ~15;

/**
 * The WebAssembly kernels' memory as a bump allocator: 16-byte-aligned blocks, freed only all
 * together, back to a mark (releaseTo), by an owner that knows none of their views is used any more;
 * until then every view handed out stays valid.
 * - Where SharedArrayBuffer exists (Node, Electron, cross-origin-isolated pages) the memory is
 *   shared: it starts small and grows on demand up to `maxBytes`, and, unlike a plain memory whose
 *   growth detaches every view, growing it leaves the views already handed out valid. Each growth
 *   gives it a new, longer ArrayBuffer; the heap remembers them all to tell its own arrays from the
 *   caller's. A shared memory can also be handed to a second thread.
 * - Elsewhere the memory is plain and all of `maxBytes` is reserved up front (the OS commits pages
 *   only when they are touched), because it can never grow without detaching the views.
 */
export class WasmHeap {
  /** Every ArrayBuffer the memory has had. */
  private readonly ownBuffers = new Set<ArrayBufferLike>();
  /** The memory's current ArrayBuffer, and all of it as floats, 32-bit words, bytes and doubles. */
  buffer: ArrayBufferLike;
  floats: Float32Array;
  doubles: Float64Array;
  words: Uint32Array;
  bytes: Uint8Array;
  /** First free byte. */
  private top: number;

  constructor(
    readonly memory: WasmMemory,
    /** Where allocation starts: the module's static data lies below. */
    private readonly start: number,
    private readonly maxBytes: number,
  ) {
    this.top = start;
    this.buffer = memory.buffer;
    this.floats = new Float32Array(this.buffer);
    this.words = new Uint32Array(this.buffer);
    this.bytes = new Uint8Array(this.buffer);
    this.doubles = new Float64Array(this.buffer);
    this.ownBuffers.add(this.buffer);
  }

  /** Whether an array lives in this heap (then its byteOffset is its pointer). */
  owns(array: Float32Array): boolean {
    return this.ownBuffers.has(array.buffer);
  }

  /** The first free byte: where the next block goes, and a mark to release back to. */
  get end(): number {
    return this.top;
  }

  /**
   * Frees every block allocated since `mark` (an `end` this heap had): the next blocks reuse their
   * bytes. Views of those blocks must not be used again. The memory keeps the size it grew to.
   */
  releaseTo(mark: number): void {
    if (!Number.isInteger(mark) || mark < this.start || mark > this.top || mark % 16 !== 0) {
      throw new RangeError(`wasm-simd kernels: ${mark} is not a mark of this heap (it runs from ${this.start} to ${this.top})`);
    }
    this.top = mark;
  }

  /** Allocates 16-byte-aligned bytes, growing the memory as needed; returns the pointer. */
  allocate(bytes: number): number {
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
      this.floats = new Float32Array(this.buffer);
      this.words = new Uint32Array(this.buffer);
      this.bytes = new Uint8Array(this.buffer);
      this.doubles = new Float64Array(this.buffer);
      this.ownBuffers.add(this.buffer);
    }
    this.top = end;
    return pointer;
  }
}

/** A reusable working area in the heap; a larger one replaces it (at least doubling) when needed. */
export class ScratchArea {
  private pointer = 0;
  private size = 0;

  constructor(private readonly heap: WasmHeap) {}

  /** Lets go of the area (its bytes were freed with the heap's): the next reserve allocates anew. */
  forget(): void {
    this.pointer = 0;
    this.size = 0;
  }

  /** A pointer to at least `bytes` bytes. */
  reserve(bytes: number): number {
    if (bytes > this.size) {
      const size = align16(Math.max(bytes, 2 * this.size, 64 * 1024));
      this.pointer = this.heap.allocate(size);
      this.size = size;
    }
    return this.pointer;
  }

  /**
   * The slow path, for arguments not made by the heap: reserves scratch for the kernel
   * (kernelScratch bytes, first) and for every operand that lives elsewhere, copies those in, and
   * returns the operands' pointers followed by the kernel scratch pointer.
   */
  copyIn(operands: [Float32Array, number][], kernelScratch = 0): number[] {
    let bytes = align16(kernelScratch);
    const offsets = operands.map(([array, length]) => {
      const offset = bytes;
      if (!this.heap.owns(array)) bytes += align16(length * 4);
      return offset;
    });
    const base = this.reserve(bytes);
    const pointers = operands.map(([array, length], o) => {
      if (this.heap.owns(array)) return array.byteOffset;
      this.heap.floats.set(array.subarray(0, length), (base + offsets[o]) / 4);
      return base + offsets[o];
    });
    return [...pointers, base];
  }

  /** Copies a written operand back if it was computed in scratch. */
  copyOut(pointer: number, array: Float32Array, length: number): void {
    if (this.heap.owns(array)) return;
    array.set(this.heap.floats.subarray(pointer / 4, pointer / 4 + length));
  }
}
