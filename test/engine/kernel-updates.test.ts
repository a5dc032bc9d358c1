// The per-batch kernels around the products (optimiser updates, ReLU, batch cutting) against the
// TypeScript they replace, and a whole training run on the fast path against the plain one.
import { setFlagsFromString } from 'node:v8';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReLU } from '../../src/engine/nn/activation';
import { fillBatch } from '../../src/engine/training/batching';
import type { ImageSet } from '../../src/engine/training/dataset';
import type { Kernels } from '../../src/engine/kernels/kernels';
import { jsKernels } from '../../src/engine/kernels/js';
import { createWasmKernels, type WasmKernels } from '../../src/engine/kernels/wasm/wasm-kernels';
import { WasmHeap } from '../../src/engine/kernels/wasm/heap';
import { HeldImages } from '../../src/engine/kernels/wasm/images';
import { webAssembly, type WasmApi } from '../../src/engine/kernels/wasm/loader';
import type { Param } from '../../src/engine/nn/layer';
import { createOptimizer, type Optimizer } from '../../src/engine/nn/optimizers';
import { Training } from '../../src/engine/training/training';
import { Rng } from '../../src/engine/nn/rng';
import { createRun } from '../../src/engine/training/run';
import type { OptimizerName, RunConfig } from '../../src/engine/training/run-config';
import { mnistSubset } from '../helpers/mnist';

// As in kernels.test.ts: the fused multiply-add build is what Electron runs; test it too.
setFlagsFromString('--experimental-wasm-relaxed-simd');
afterAll(() => setFlagsFromString('--no-experimental-wasm-relaxed-simd'));

const awkwardLengths = [1, 3, 5, 7, 17, 33, 784, 784 * 3 + 5];

let wasm: WasmKernels;
beforeAll(async () => {
  wasm = await createWasmKernels({ maxBytes: 64 << 20 });
});

function randomArray(rng: Rng, length: number, zeroFraction = 0): Float32Array {
  const x = new Float32Array(length);
  for (let i = 0; i < length; i++) x[i] = rng.uniform() < zeroFraction ? 0 : rng.uniformIn(-1, 1);
  return x;
}

/** A parameter whose arrays live in `kernels`' memory (or plain arrays without kernels). */
function paramIn(kernels: Kernels | undefined, value: Float32Array, grad: Float32Array, decays: boolean): Param {
  const make = (source: Float32Array) => {
    const array = kernels ? kernels.createBuffer(source.length) : new Float32Array(source.length);
    array.set(source);
    return array;
  };
  return { name: decays ? 'W' : 'b', value: make(value), grad: make(grad), decays };
}

function bits(array: Float32Array): Uint32Array {
  return new Uint32Array(array.buffer.slice(array.byteOffset, array.byteOffset + array.byteLength));
}

describe('optimiser updates in WebAssembly against optimizers.ts', () => {
  const cases: { optimizer: OptimizerName; weightDecay: number }[] = [
    { optimizer: 'momentum', weightDecay: 0 },
    { optimizer: 'momentum', weightDecay: 0.01 },
  ];

  /** Runs `steps` steps of an optimiser on the same start, with and without the wasm kernels. */
  function both(optimizer: OptimizerName, weightDecay: number, length: number, steps: number, zeroFraction = 0.3) {
    const rng = new Rng(length * 31 + steps);
    const settings = { learningRate: optimizer === 'adam' ? 0.01 : 0.1, momentum: 0.9, weightDecay };
    const start = randomArray(rng, length);
    const fast = [paramIn(wasm, start, new Float32Array(length), true), paramIn(wasm, start, new Float32Array(length), false)];
    const plain = [paramIn(undefined, start, new Float32Array(length), true), paramIn(undefined, start, new Float32Array(length), false)];
    const fastOptimizer = createOptimizer(optimizer, settings, wasm);
    const plainOptimizer = createOptimizer(optimizer, settings);
    for (let s = 0; s < steps; s++) {
      for (let p = 0; p < 2; p++) {
        const grad = randomArray(rng, length, zeroFraction);
        fast[p].grad.set(grad);
        plain[p].grad.set(grad);
      }
      fastOptimizer.step(fast);
      plainOptimizer.step(plain);
    }
    return { fast, plain };
  }

  for (const { optimizer, weightDecay } of cases) {
    it(`${optimizer}${weightDecay ? ' with decay' : ''} gives bitwise the same weights (awkward lengths, 5 steps)`, () => {
      for (const length of awkwardLengths) {
        const { fast, plain } = both(optimizer, weightDecay, length, 5);
        for (let p = 0; p < 2; p++) expect(bits(fast[p].value)).toEqual(bits(plain[p].value));
      }
    });
  }

  it('adam agrees within 2⁻²⁰·(|w| + η·steps) (it computes in float32), with and without decay, over 1 to 50 steps', () => {
    for (const weightDecay of [0, 0.01]) {
      for (const steps of [1, 5, 50]) {
        for (const length of awkwardLengths) {
          const { fast, plain } = both('adam', weightDecay, length, steps);
          for (let p = 0; p < 2; p++) {
            for (let i = 0; i < length; i++) {
              const a = fast[p].value[i];
              const b = plain[p].value[i];
              // Rounding w each step (an ulp of w) and each step's update (a few ulp of it; its size is
              // about η). Measured: at most 2⁻²¹·⁸ of the same.
              expect(Math.abs(a - b)).toBeLessThanOrEqual(2 ** -20 * (Math.abs(b) + 0.01 * steps));
            }
          }
        }
      }
    }
  });

  it('adam stores a moment below float32\'s normal range as 0 (no subnormals to slow it), keeps NaN, and leaves such a weight put', () => {
    const length = 9;
    const [w, g, m, v] = [0, 1, 2, 3].map(() => wasm.createBuffer(length));
    w.fill(0.5);
    // Lane 0: both moments decay below 2⁻¹²⁶ this step; lane 1: just above it; lane 2: a NaN
    // gradient; lane 8 (the scalar tail): as lane 0.
    m.set([1.2e-38, 2e-38, 0.001, 0, 0, 0, 0, 0, 1.2e-38]);
    v.set([1.2e-38, 2e-38, 0.001, 0, 0, 0, 0, 0, 1.2e-38]);
    g[2] = Number.NaN;
    const step = { stepSize: 0.001, epsHat: 1e-8, beta1: 0.9, beta2: 0.9, weightDecay: 0 };
    expect(wasm.adamUpdate?.(w, g, m, v, length, step)).toBe(true);
    for (const lane of [0, 8]) {
      expect([m[lane], v[lane]]).toEqual([0, 0]);
      expect(w[lane]).toBe(0.5);
    }
    expect(m[1]).toBe(Math.fround(Math.fround(0.9) * Math.fround(2e-38)));
    expect(m[1]).toBeGreaterThanOrEqual(2 ** -126);
    expect([m[2], v[2], w[2]].every(Number.isNaN)).toBe(true);
    // Moments already 0 with a zero gradient: nothing moves.
    expect([m[3], v[3], w[3]]).toEqual([0, 0, 0.5]);
  });

  it('sgd agrees within 2 ulp-scale of w per step (it rounds in float32), with and without decay', () => {
    for (const weightDecay of [0, 0.01]) {
      for (const length of awkwardLengths) {
        const { fast, plain } = both('sgd', weightDecay, length, 1);
        for (let p = 0; p < 2; p++) {
          for (let i = 0; i < length; i++) {
            const a = fast[p].value[i];
            const b = plain[p].value[i];
            // float32 rounds η, η·g and the difference: each within 2⁻²⁴ of its size (|η·g| ≤ 0.1·1.01).
            expect(Math.abs(a - b)).toBeLessThanOrEqual(2 ** -22 * (Math.abs(b) + 0.11));
          }
        }
      }
    }
  });

  it('sgd leaves a weight bit-for-bit alone where its gradient is 0, and propagates NaN', () => {
    const length = 37;
    const w = wasm.createBuffer(length);
    const g = wasm.createBuffer(length);
    const rng = new Rng(5);
    w.set(randomArray(rng, length));
    w[3] = -0;
    const before = w.slice();
    g[20] = 1;
    g[30] = Number.NaN;
    expect(wasm.sgdUpdate?.(w, g, length, 0.1, 0)).toBe(true);
    for (let i = 0; i < length; i++) {
      if (i === 20) expect(w[i]).toBe(Math.fround(before[i] - Math.fround(0.1)));
      else if (i === 30) expect(w[i]).toBeNaN();
      else expect(Object.is(w[i], before[i])).toBe(true);
    }
  });

  it('refuse arrays that are not their own buffers, and the optimiser then updates in TypeScript', () => {
    const w = Float32Array.from([1, 2]);
    const g = Float32Array.from([1, 1]);
    expect(wasm.sgdUpdate?.(w, g, 2, 0.5, 0)).toBe(false);
    expect(Array.from(w)).toEqual([1, 2]);
    createOptimizer('sgd', { learningRate: 0.5, momentum: 0, weightDecay: 0 }, wasm).step([{ name: 'W', value: w, grad: g, decays: true }]);
    expect(Array.from(w)).toEqual([0.5, 1.5]);
  });
});

describe('the weight gradient fused with an SGD step', () => {
  it('gives bitwise what matmulTransA then sgdUpdate give (awkward sizes, sparse and dense)', () => {
    // Small gradients are run row by row, big ones ([128, 200, 128]: 72 KiB of panels) panel by panel.
    const shapes: [number, number, number][] = [[1, 1, 1], [3, 5, 7], [8, 784, 128], [17, 33, 5], [64, 128, 64], [33, 7, 17], [300, 784, 10], [128, 200, 128]];
    for (const [m, k, n] of shapes) {
      for (const zeroFraction of [0, 0.8]) {
        const rng = new Rng(m * 1000 + k + n);
        const x = wasm.createBuffer(m * k);
        x.set(randomArray(rng, m * k, zeroFraction));
        const g = wasm.createBuffer(m * n);
        g.set(randomArray(rng, m * n));
        const start = randomArray(rng, k * n);
        const fused = wasm.createBuffer(k * n);
        fused.set(start);
        const apart = wasm.createBuffer(k * n);
        apart.set(start);
        const grad = wasm.createBuffer(k * n);
        expect(wasm.weightGradientSgd?.(x, g, fused, m, k, n, 0.1)).toBe(true);
        wasm.matmulTransA(x, g, grad, m, k, n);
        wasm.sgdUpdate?.(apart, grad, k * n, 0.1, 0);
        expect(bits(fused)).toEqual(bits(apart));
      }
    }
  });

  it('steps the bias too when given one: bitwise sumRows then sgdUpdate, zero and NaN columns included', () => {
    for (const [m, k, n] of [[1, 1, 1], [3, 5, 7], [8, 784, 128], [64, 128, 64], [33, 7, 17], [128, 64, 10]] as const) {
      const rng = new Rng(m + k * n);
      const x = wasm.createBuffer(m * k);
      x.set(randomArray(rng, m * k, 0.5));
      const g = wasm.createBuffer(m * n);
      g.set(randomArray(rng, m * n, 0.3));
      // A column of zeros (its bias, −0 here, must stay bit for bit) and, when there is room, a NaN.
      for (let r = 0; r < m; r++) g[r * n] = 0;
      if (n > 2) g[n - 1] = Number.NaN;
      const start = randomArray(rng, n);
      start[0] = -0;
      const [fusedBias, apartBias] = [0, 1].map(() => {
        const bias = wasm.createBuffer(n);
        bias.set(start);
        return bias;
      });
      const w = wasm.createBuffer(k * n);
      expect(wasm.weightGradientSgd?.(x, g, w, m, k, n, 0.05, fusedBias)).toBe(true);
      const sums = wasm.createBuffer(n);
      wasm.sumRows(g, sums, m, n);
      wasm.sgdUpdate?.(apartBias, sums, n, 0.05, 0);
      expect(bits(fusedBias)).toEqual(bits(apartBias));
      expect(Object.is(fusedBias[0], -0)).toBe(true);
    }
  });

  it('declines a learning rate that is 0 in float32, and arrays that are not its own (changing nothing)', () => {
    const x = wasm.createBuffer(4);
    const w = wasm.createBuffer(4).fill(3);
    expect(wasm.weightGradientSgd?.(x, x, w, 2, 2, 2, 1e-50)).toBe(false);
    expect(wasm.weightGradientSgd?.(new Float32Array(4), x, w, 2, 2, 2, 0.1)).toBe(false);
    x.fill(1);
    expect(wasm.weightGradientSgd?.(x, x, w, 2, 2, 2, 0.1, new Float32Array(2))).toBe(false);
    expect(Array.from(w)).toEqual([3, 3, 3, 3]);
  });

  it('a training run with plain SGD ends with bitwise the weights of backward then Sgd.step', () => {
    const data = mnistSubset(3_000, 100);
    const config: RunConfig = {
      layers: [784, 33, 17, 10],
      activation: 'relu',
      init: 'he',
      optimizer: 'sgd',
      learningRate: 0.1,
      momentum: 0,
      weightDecay: 0,
      batchSize: 50,
      epochs: 1,
      shuffle: true,
      seed: 9,
    };
    const fused = createRun(config, data, wasm, { evaluateTest: false });
    const apart = createRun(config, data, wasm, { evaluateTest: false });
    // The same optimiser behind a plain object: not an Sgd, so Training does backward, then step.
    const sgd = createOptimizer('sgd', { learningRate: 0.1, momentum: 0, weightDecay: 0 }, wasm);
    const wrapped: Optimizer = { name: 'sgd', settings: sgd.settings, step: (params) => sgd.step(params) };
    const training = new Training({ network: apart.network, optimizer: wrapped, data, epochs: 1, batchSize: 50, shuffle: true, shuffleRng: new Rng((9 ^ 0x9e3779b9) >>> 0), evaluateTest: false });
    while (!fused.training.done) fused.training.step();
    while (!training.done) training.step();
    const weights = (run: typeof fused) => run.network.getWeights().flatMap((layer) => [bits(layer.weights), bits(layer.biases)]);
    expect(weights(fused)).toEqual(weights(apart));
    expect(fused.training.history[0].trainLoss).toBe(training.history[0].trainLoss);
  });
});

describe('ReLU in WebAssembly against the TypeScript layer', () => {
  it('forward and backward are bitwise the same, NaN and −0 included, on awkward widths', () => {
    for (const width of awkwardLengths.slice(0, 7)) {
      const rng = new Rng(width);
      const batch = 3;
      const fast = new ReLU(width, wasm);
      const plain = new ReLU(width, jsKernels);
      const x = randomArray(rng, batch * width, 0.2);
      x[0] = Number.NaN;
      if (x.length > 1) x[1] = -0;
      const xFast = wasm.createBuffer(x.length);
      xFast.set(x);
      expect(bits(fast.forward(xFast, batch))).toEqual(bits(plain.forward(x, batch)));
      const dy = randomArray(rng, batch * width);
      const dyFast = wasm.createBuffer(dy.length);
      dyFast.set(dy);
      const dxFast = fast.backward(dyFast, true);
      const dxPlain = plain.backward(dy, true);
      expect(dxFast).not.toBeNull();
      expect(bits(dxFast as Float32Array)).toEqual(bits(dxPlain as Float32Array));
    }
  });
});

describe('batch cutting in WebAssembly against batching.ts', () => {
  function imageSet(pixels: number, count: number, rng: Rng): ImageSet {
    const images = new Uint8Array(pixels * count);
    // Every byte value occurs, and many zeros (whole runs of 16 are skipped by the kernel).
    for (let i = 0; i < images.length; i++) images[i] = i < 256 ? i : rng.uniform() < 0.7 ? 0 : rng.int(256);
    const labels = new Uint8Array(count).map((_, i) => i % 10);
    return { images, labels, count, rows: 1, cols: pixels };
  }

  it('gives bitwise the same floats and labels, all 256 byte values, awkward image sizes', () => {
    for (const pixels of [1, 3, 5, 7, 17, 33, 784]) {
      const rng = new Rng(pixels);
      const count = Math.max(300, Math.ceil(256 / pixels) + 10);
      const set = imageSet(pixels, count, rng);
      const order = new Uint32Array(count).map((_, i) => i);
      rng.shuffle(order);
      order.set([0, 1, 2], 5); // the images holding bytes 0…255 (for small sizes) in the batch
      order.set(Array.from({ length: Math.ceil(256 / pixels) }, (_, i) => i), 0);
      const size = Math.min(count, Math.ceil(256 / pixels) + 7);
      const xFast = wasm.createBuffer(size * pixels);
      const yFast = new Uint8Array(size);
      const xPlain = new Float32Array(size * pixels);
      const yPlain = new Uint8Array(size);
      fillBatch(set, order, 0, size, xFast, yFast, wasm);
      fillBatch(set, order, 0, size, xPlain, yPlain);
      expect(bits(xFast)).toEqual(bits(xPlain));
      expect(yFast).toEqual(yPlain);
    }
  });

  it('a set big enough to be held in the memory (1.1 MB) cuts bitwise alike, batch after batch, the partial last one too', () => {
    const rng = new Rng(17);
    const count = 1_400;
    const set = imageSet(784, count, rng);
    const order = new Uint32Array(count).map((_, i) => i);
    rng.shuffle(order);
    const batch = 64;
    const xFast = wasm.createBuffer(batch * 784);
    const xPlain = new Float32Array(batch * 784);
    const yFast = new Uint8Array(batch);
    const yPlain = new Uint8Array(batch);
    for (let start = 0; start < count; start += batch) {
      const size = Math.min(batch, count - start);
      fillBatch(set, order, start, size, xFast, yFast, wasm);
      fillBatch(set, order, start, size, xPlain, yPlain);
      // Counted rather than compared whole: toEqual on 50 000 elements a batch is slow.
      let differing = 0;
      for (let i = 0; i < size * 784; i++) if (!Object.is(xFast[i], xPlain[i])) differing++;
      expect(differing).toBe(0);
      expect(yFast.subarray(0, size)).toEqual(yPlain.subarray(0, size));
    }
  });

  it('refuses an index past the held set (the caller then cuts in TypeScript, which reads nothing past it either)', () => {
    const set = imageSet(784, 1_400, new Rng(3));
    const x = wasm.createBuffer(2 * 784);
    expect(wasm.cutBatch?.(set.images, new Uint32Array([5, 1_399]), 0, 2, 784, x)).toBe(true);
    expect(wasm.cutBatch?.(set.images, new Uint32Array([5, 1_400]), 0, 2, 784, x)).toBe(false);
  });
});

describe('image sets held in the WebAssembly memory', () => {
  it('are copied once per array, only from the smallest size held, and never past the most held', () => {
    const memory = new (webAssembly() as WasmApi).Memory({ initial: 2, maximum: 1024, shared: true });
    const heap = new WasmHeap(memory, 1 << 16, 64 << 20);
    const held = new HeldImages(heap, 1_000, 5_000);
    const big = new Uint8Array(2_000).map((_, i) => i * 7);
    const first = held.pointerOf(big);
    expect(first).not.toBeNull();
    expect(heap.bytes.subarray(first as number, (first as number) + big.length)).toEqual(big);
    expect(held.pointerOf(big)).toBe(first);
    expect(held.pointerOf(new Uint8Array(999))).toBeNull();
    expect(held.pointerOf(new Uint8Array(2_500))).not.toBeNull();
    // 4 500 held; another 1 000 would pass the most.
    expect(held.pointerOf(new Uint8Array(1_000))).toBeNull();
  });
});

describe('a whole run: fast kernels against the plain TypeScript path', () => {
  it('784-128-64-10, SGD and Adam, 2 epochs on 10 000 MNIST images: the same test accuracy within 1 point', async () => {
    const data = mnistSubset(10_000, 2_000);
    const base: RunConfig = {
      layers: [784, 128, 64, 10],
      activation: 'relu',
      init: 'he',
      optimizer: 'sgd',
      learningRate: 0.1,
      momentum: 0.9,
      weightDecay: 0,
      batchSize: 64,
      epochs: 2,
      shuffle: true,
      seed: 3,
    };
    for (const config of [base, { ...base, optimizer: 'adam' as const, learningRate: 0.001 }]) {
      const accuracy = async (kernels: Kernels) => {
        const run = createRun(config, data, kernels);
        while (!run.training.done) run.training.step();
        expect(run.training.status).toBe('completed');
        return run.training.history[1].testAccuracy;
      };
      const fast = await accuracy(await createWasmKernels({ maxBytes: 128 << 20 }));
      const plain = await accuracy(jsKernels);
      // (Both reach 0.87–0.91 on this small set; the point is that they agree.)
      expect(fast).toBeGreaterThan(0.85);
      expect(Math.abs(fast - plain)).toBeLessThanOrEqual(0.01);
    }
  }, 120_000);
});
