// The WebAssembly kernels' memory freed between models (freeBuffers): the next model's buffers reuse
// it, the memory stops growing, and what the kernels compute afterwards is still right (the images
// they held and their working space were let go with the buffers).
import { describe, expect, it } from 'vitest';
import { createWasmKernels } from '../../src/engine/kernels/wasm/wasm-kernels';
import { WasmHeap } from '../../src/engine/kernels/wasm/heap';
import { webAssembly } from '../../src/engine/kernels/wasm/loader';
import { referenceKernels } from '../../src/engine/kernels/reference';
import { Rng } from '../../src/engine/nn/rng';
import { createRun } from '../../src/engine/training/run';
import { PRESETS } from '../../src/engine/training/run-config';
import { mnistSubset } from '../helpers/mnist';

function memoryBytes(kernels: { createBuffer(length: number): Float32Array }): number {
  return kernels.createBuffer(0).buffer.byteLength;
}

describe('freeing the WebAssembly kernels\' buffers', () => {
  it('hands the same memory to the next buffers, from the first one made', async () => {
    const kernels = await createWasmKernels({ maxBytes: 64 << 20 });
    const first = kernels.createBuffer(1000);
    kernels.createBuffer(50_000);
    kernels.freeBuffers();
    const again = kernels.createBuffer(10);
    expect(again.byteOffset).toBe(first.byteOffset);
    // A fresh buffer is zeroed even where an old one lay.
    first.fill(7);
    expect(Array.from(kernels.createBuffer(4))).toEqual([0, 0, 0, 0]);
  });

  it('keeps the memory at one model\'s size over run after run, and trains the same each time', async () => {
    const kernels = await createWasmKernels({ maxBytes: 512 << 20 });
    const data = mnistSubset(3_000, 500);
    const config = { ...PRESETS.default, layers: [784, 32, 10], epochs: 1, batchSize: 64 };
    const sizes: number[] = [];
    const results: number[][] = [];
    for (let run = 0; run < 3; run++) {
      kernels.freeBuffers();
      const training = createRun(config, data, kernels).training;
      const accuracies: number[] = [];
      while (!training.done) for (const event of training.step()) if (event.type === 'epoch') accuracies.push(event.testAccuracy);
      sizes.push(memoryBytes(kernels));
      results.push(accuracies);
    }
    // The training images (2.4 MB here) are copied in again after each free, into the same bytes.
    expect(sizes[2]).toBe(sizes[0]);
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  }, 60_000);

  it('cuts batches right after a free, from images held again (not from bytes since reused)', async () => {
    const kernels = await createWasmKernels({ maxBytes: 64 << 20 });
    const rng = new Rng(3);
    const count = 2_000;
    const images = new Uint8Array(count * 784).map(() => (rng.uniform() < 0.8 ? 0 : rng.int(256)));
    const order = new Uint32Array(count).map((_, i) => count - 1 - i);
    const cut = (): Float32Array => {
      const x = kernels.createBuffer(64 * 784);
      expect(kernels.cutBatch?.(images, order, 10, 64, 784, x)).toBe(true);
      return x.slice();
    };
    const before = cut();
    expect(before.some((v) => v > 0)).toBe(true);
    kernels.freeBuffers();
    // Buffers made now take the bytes where the held copy of the images lay.
    kernels.createBuffer(count * 784).fill(0.5);
    expect(cut()).toEqual(before);
  });

  it('multiplies right after a free, its working space made afresh (not inside the next buffers)', async () => {
    const kernels = await createWasmKernels({ maxBytes: 64 << 20 });
    const rng = new Rng(9);
    const [m, k, n] = [64, 300, 40];
    const product = (): Float32Array => {
      const a = kernels.createBuffer(m * k);
      const b = kernels.createBuffer(k * n);
      const c = kernels.createBuffer(m * n);
      for (let i = 0; i < a.length; i++) a[i] = rng.uniform() < 0.5 ? 0 : rng.uniformIn(-1, 1);
      for (let i = 0; i < b.length; i++) b[i] = rng.uniformIn(-1, 1);
      kernels.matmul(a, b, c, m, k, n);
      const expected = new Float32Array(m * n);
      referenceKernels.matmul(a, b, expected, m, k, n);
      for (let i = 0; i < c.length; i++) expect(c[i]).toBeCloseTo(expected[i], 4);
      return c;
    };
    product();
    kernels.freeBuffers();
    // These fill the bytes the working space had: a kernel still using it would read them back.
    const filler = kernels.createBuffer(1 << 18).fill(1234.5);
    product();
    expect(filler.every((v) => v === 1234.5)).toBe(true);
  });
});

describe('the heap\'s marks', () => {
  it('releases to a mark it had, and refuses one it did not', async () => {
    const api = webAssembly();
    if (!api) throw new Error('no WebAssembly here');
    const memory = new api.Memory({ initial: 2, maximum: 16, shared: true });
    const heap = new WasmHeap(memory, 1024, 16 * 65536);
    heap.allocate(100);
    const mark = heap.end;
    const after = heap.allocate(5000);
    heap.releaseTo(mark);
    expect(heap.allocate(16)).toBe(after);
    expect(() => heap.releaseTo(heap.end + 16)).toThrow(/not a mark of this heap/);
    expect(() => heap.releaseTo(512)).toThrow(/not a mark of this heap/);
    expect(() => heap.releaseTo(mark + 1)).toThrow(/not a mark of this heap/);
  });
});
