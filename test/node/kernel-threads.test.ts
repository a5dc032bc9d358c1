// Two threads against one: the WebAssembly kernels with a worker_threads helper must give bitwise
// the same numbers as without it (each thread computes whole rows or ranges exactly as one thread
// would). Timings are not tested; a busy machine only makes this slower.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kernels } from '../../src/engine/kernels/kernels';
import { createWasmKernels, type WasmKernels } from '../../src/engine/kernels/wasm/wasm-kernels';
import { selectKernels } from '../../src/engine/kernels/select';
import { Rng } from '../../src/engine/nn/rng';
import { createRun } from '../../src/engine/training/run';
import type { Worker } from 'node:worker_threads';
import type { HelperInit } from '../../src/engine/kernels/wasm/threads';
import { spawnNodeHelper } from '../../src/node/kernel-threads';
import { PRESETS } from '../../src/engine/training/run-config';
import { mnistSubset } from '../helpers/mnist';

let one: WasmKernels;
let two: WasmKernels;
beforeAll(async () => {
  one = await createWasmKernels({ maxBytes: 256 << 20 });
  two = await createWasmKernels({ maxBytes: 256 << 20, spawnHelper: spawnNodeHelper });
}, 30_000);
afterAll(() => two.stopHelper());

function filled(kernels: Kernels, length: number, seed: number, zeroFraction: number): Float32Array {
  const rng = new Rng(seed);
  const x = kernels.createBuffer(length);
  for (let i = 0; i < length; i++) x[i] = rng.uniform() < zeroFraction ? 0 : rng.uniformIn(-1, 1);
  return x;
}

function bits(array: Float32Array): Uint32Array {
  return new Uint32Array(array.slice().buffer);
}

describe('wasm-simd kernels with a helper thread', () => {
  it('start a second thread', () => {
    expect(two.threads).toBe(2);
    expect(one.threads).toBe(1);
  });

  type Op = 'matmul' | 'matmulTransA' | 'matmulTransB';
  const shapes: [number, number, number][] = [
    [8, 784, 128],
    [9, 33, 17],
    [64, 784, 128],
    [128, 128, 64],
    [127, 64, 10],
    [300, 17, 33],
    [1, 784, 128],
  ];
  for (const op of ['matmul', 'matmulTransA', 'matmulTransB'] as Op[]) {
    it(`${op}: bitwise the same as one thread, sparse and dense, awkward sizes`, () => {
      for (const [d0, d1, d2] of shapes) {
        for (const zeroFraction of [0, 0.8]) {
          const lengths = op === 'matmul' ? [d0 * d1, d1 * d2, d0 * d2] : op === 'matmulTransA' ? [d0 * d1, d0 * d2, d1 * d2] : [d0 * d1, d2 * d1, d0 * d2];
          const results = [one, two].map((kernels) => {
            const a = filled(kernels, lengths[0], d0 + d1, zeroFraction);
            const b = filled(kernels, lengths[1], d1 + d2, 0);
            const c = filled(kernels, lengths[2], 7, 0);
            kernels[op](a, b, c, d0, d1, d2);
            return bits(c);
          });
          expect(results[1]).toEqual(results[0]);
        }
      }
    });
  }

  it('matmulBias (a dense layer\'s forward pass): bitwise the same as one thread', () => {
    for (const [m, k, n] of [[64, 784, 128], [128, 128, 64], [127, 64, 10], [300, 17, 33]]) {
      const results = [one, two].map((kernels) => {
        const x = filled(kernels, m * k, m + k, 0.8);
        const w = filled(kernels, k * n, k + n, 0);
        const bias = filled(kernels, n, n, 0);
        const c = filled(kernels, m * n, 7, 0);
        expect(kernels.matmulBias?.(x, w, bias, c, m, k, n)).toBe(true);
        return bits(c);
      });
      expect(results[1]).toEqual(results[0]);
    }
  });

  it('the fused ReLU passes (matmulBiasRelu, matmulTransBReluMask): bitwise the same as one thread', () => {
    for (const [m, k, n] of [[64, 784, 128], [128, 128, 64], [127, 64, 10], [300, 17, 33]]) {
      const results = [one, two].map((kernels) => {
        const x = filled(kernels, m * k, m + k, 0.8);
        const w = filled(kernels, k * n, k + n, 0);
        const bias = filled(kernels, n, n, 0);
        const z = filled(kernels, m * n, 7, 0);
        const y = filled(kernels, m * n, 8, 0);
        expect(kernels.matmulBiasRelu?.(x, w, bias, z, y, m, k, n)).toBe(true);
        // Back through the same ReLU: G[m×n]·Wᵀ masked by y, into dx[m×k] (y[m×k]: x's shape).
        const g = filled(kernels, m * n, 9, 0.5);
        const dx = filled(kernels, m * k, 10, 0);
        expect(kernels.matmulTransBReluMask?.(g, w, x, dx, m, n, k)).toBe(true);
        return [z, y, dx].map(bits);
      });
      expect(results[1]).toEqual(results[0]);
    }
  });

  it('softmax cross-entropy (the helper takes half the rows): bitwise the same loss, count and gradient as one thread', () => {
    for (const [batch, classes] of [[32, 10], [128, 10], [129, 17], [500, 3]]) {
      const labels = Array.from({ length: batch }, (_, r) => (r * 7) % classes);
      const results = [one, two].map((kernels) => {
        const logits = filled(kernels, batch * classes, batch, 0.1);
        const gradient = filled(kernels, batch * classes, 3, 0);
        const result = kernels.softmaxCrossEntropy?.(logits, labels, batch, classes, gradient);
        expect(result).toBeTruthy();
        return { result, gradient: bits(gradient) };
      });
      expect(results[1]).toEqual(results[0]);
    }
  });

  it('optimiser updates: bitwise the same as one thread (awkward lengths above the split size)', () => {
    for (const length of [16_384, 16_387, 100_352 + 5]) {
      const run = (kernels: WasmKernels) => {
        const w = filled(kernels, length, 1, 0);
        const g = filled(kernels, length, 2, 0.5);
        const m = filled(kernels, length, 3, 0);
        const v = filled(kernels, length, 4, 0).map(Math.abs);
        const velocity = filled(kernels, length, 5, 0);
        kernels.sgdUpdate?.(w, g, length, 0.1, 0.001);
        kernels.momentumUpdate?.(w, g, velocity, length, 0.1, 0.9, 0);
        kernels.adamUpdate?.(w, g, m, v, length, { stepSize: 0.001, epsHat: 1e-8, beta1: 0.9, beta2: 0.999, weightDecay: 0.01 });
        return [w, velocity, m, v].map(bits);
      };
      expect(run(two)).toEqual(run(one));
    }
  });

  it('batch cutting from a held image set (the helper cuts half the rows): bitwise the same as one thread', () => {
    const rng = new Rng(5);
    const count = 2_000;
    const images = new Uint8Array(count * 784).map(() => (rng.uniform() < 0.8 ? 0 : rng.int(256)));
    const order = new Uint32Array(count).map((_, i) => i);
    rng.shuffle(order);
    for (const size of [32, 65, 128]) {
      const cuts = [one, two].map((kernels) => {
        const x = kernels.createBuffer(size * 784);
        expect(kernels.cutBatch?.(images, order, 100, size, 784, x)).toBe(true);
        return bits(x);
      });
      expect(cuts[1]).toEqual(cuts[0]);
    }
  });

  it('a training run (batch 128, 1 epoch of 6 000 images) ends with bitwise the same weights', () => {
    const data = mnistSubset(6_000, 500);
    const config = { ...PRESETS.blog, learningRate: 0.1, shuffle: true, batchSize: 128, epochs: 1 };
    const weights = [one, two].map((kernels) => {
      const run = createRun(config, data, kernels, { evaluateTest: false });
      while (!run.training.done) run.training.step();
      return run.network.getWeights().flatMap((layer) => [bits(layer.weights), bits(layer.biases)]);
    });
    expect(weights[1]).toEqual(weights[0]);
  }, 60_000);
});

describe('choosing kernels with a helper thread', () => {
  it('gives the WebAssembly kernels two threads, the js ones one, and one when no thread can start', async () => {
    const threaded = (await selectKernels('auto', spawnNodeHelper)) as WasmKernels;
    expect([threaded.name, threaded.threads]).toEqual(['wasm-simd', 2]);
    threaded.stopHelper();
    expect(threaded.threads).toBe(1);
    // A control block serves one thread: the kernels do not take a second.
    await expect(threaded.startHelper(spawnNodeHelper)).rejects.toThrow(/have had a helper thread/);
    expect((await selectKernels('js', spawnNodeHelper)).name).toBe('js');
    const refused = (await selectKernels('wasm', () => {
      throw new Error('no threads in this host');
    })) as WasmKernels;
    expect([refused.name, refused.threads]).toEqual(['wasm-simd', 1]);
  }, 30_000);
});

describe('a helper thread that comes up too late', () => {
  it('fails the kernels\' creation (the caller then runs on one thread), and the late thread ends', async () => {
    let late: Worker | null = null;
    const slowSpawn = (init: HelperInit) => {
      setTimeout(() => (late = spawnNodeHelper(init)), 300);
    };
    await expect(createWasmKernels({ maxBytes: 64 << 20, spawnHelper: slowSpawn, helperStartMs: 50 })).rejects.toThrow(/did not start within 50 ms/);
    await expect.poll(() => late, { timeout: 5_000 }).not.toBeNull();
    const worker = late as unknown as Worker;
    // It finds the stop posted while it was starting, and returns.
    await new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  }, 30_000);
});
