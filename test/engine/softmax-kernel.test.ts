// Softmax cross-entropy in WebAssembly against softmax-cross-entropy.ts: the same steps in float64,
// with its own e^x (within 2 ulp of Math.exp), so the loss agrees to float64 rounding and the
// float32 gradient to its last bit; the edge cases (overflowing, −∞ and NaN logits, bad labels)
// behave alike.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Kernels } from '../../src/engine/kernels/kernels';
import { createWasmKernels, type WasmKernels } from '../../src/engine/kernels/wasm/wasm-kernels';
import { Rng } from '../../src/engine/nn/rng';
import { createRun } from '../../src/engine/training/run';
import { softmaxCrossEntropy } from '../../src/engine/nn/softmax-cross-entropy';
import type { RunConfig } from '../../src/engine/training/run-config';
import { mnistSubset } from '../helpers/mnist';

let wasm: WasmKernels;
beforeAll(async () => {
  wasm = await createWasmKernels({ maxBytes: 64 << 20 });
});

function own(values: ArrayLike<number>): Float32Array {
  const buffer = wasm.createBuffer(values.length);
  buffer.set(values);
  return buffer;
}

/** Both implementations on the same logits: their results and gradients. */
function both(logits: ArrayLike<number>, labels: ArrayLike<number>, batch: number, classes: number) {
  const plainGradient = new Float32Array(batch * classes);
  const plain = softmaxCrossEntropy(Float32Array.from(logits), labels, batch, classes, plainGradient);
  const gradient = own(new Float32Array(batch * classes).fill(Number.NaN));
  const fast = wasm.softmaxCrossEntropy(own(logits), labels, batch, classes, gradient);
  return { plain, plainGradient, fast, gradient };
}

/** Distance in float32 units in the last place (0 for equal values, NaN with NaN counting as equal). */
function ulps(a: number, b: number): number {
  if (Number.isNaN(a) && Number.isNaN(b)) return 0;
  const bits = new Int32Array(new Float32Array([a, b]).buffer);
  return Math.abs(bits[0] - bits[1]);
}

describe('softmax cross-entropy in WebAssembly', () => {
  it('agrees with the TypeScript: loss to float64 rounding, right answers exactly, gradient within 1 float32 ulp', () => {
    const rng = new Rng(21);
    for (const [batch, classes] of [[1, 2], [3, 3], [7, 10], [64, 10], [129, 17], [5, 1]]) {
      for (const spread of [1, 10, 100, 2000]) {
        const logits = Array.from({ length: batch * classes }, () => rng.uniformIn(-spread, spread));
        const labels = Array.from({ length: batch }, () => rng.int(classes));
        const { plain, plainGradient, fast, gradient } = both(logits, labels, batch, classes);
        expect(fast).not.toBeNull();
        expect(fast?.correct).toBe(plain.correct);
        expect(Math.abs((fast?.loss ?? Number.NaN) - plain.loss)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(plain.loss)));
        for (let i = 0; i < gradient.length; i++) expect(ulps(gradient[i], plainGradient[i])).toBeLessThanOrEqual(1);
      }
    }
  });

  it('handles −∞, overflowing and NaN logits as the TypeScript does', () => {
    const rows = [
      [Number.NEGATIVE_INFINITY, 0, 1],
      [1e30, 0, -1e30],
      [0, Number.NaN, 1],
      [Number.NaN, 2, 1],
    ];
    for (const row of rows) {
      const { plain, plainGradient, fast, gradient } = both(row, [2], 1, 3);
      expect(fast?.correct).toBe(plain.correct);
      expect(Number.isNaN(fast?.loss ?? 0)).toBe(Number.isNaN(plain.loss));
      if (!Number.isNaN(plain.loss)) expect(fast?.loss).toBeCloseTo(plain.loss, 12);
      expect(Array.from(gradient).map(Number.isNaN)).toEqual(Array.from(plainGradient).map(Number.isNaN));
      for (let i = 0; i < 3; i++) expect(ulps(gradient[i], plainGradient[i])).toBeLessThanOrEqual(1);
    }
  });

  it('declines, writing nothing, what the TypeScript should report: labels that are not classes, a wrong shape, arrays not its own', () => {
    const logits = own([1, 2, 3, 4, 5, 6]);
    const gradient = own(new Float32Array(6).fill(7));
    expect(wasm.softmaxCrossEntropy(logits, [0, 3], 2, 3, gradient)).toBeNull();
    expect(wasm.softmaxCrossEntropy(logits, [0, 1.5], 2, 3, gradient)).toBeNull();
    expect(wasm.softmaxCrossEntropy(logits, [0, -1], 2, 3, gradient)).toBeNull();
    expect(wasm.softmaxCrossEntropy(logits, [0], 2, 3, gradient)).toBeNull();
    expect(wasm.softmaxCrossEntropy(logits, [0, 1], 3, 3, gradient)).toBeNull();
    expect(wasm.softmaxCrossEntropy(new Float32Array(6), [0, 1], 2, 3, gradient)).toBeNull();
    expect(wasm.softmaxCrossEntropy(logits, [0, 1], 2, 3, new Float32Array(6))).toBeNull();
    expect(Array.from(gradient)).toEqual([7, 7, 7, 7, 7, 7]);
    expect(() => softmaxCrossEntropy(logits, [0, 3], 2, 3, gradient)).toThrow(/outside the 3 classes/);
  });

  it('is what a training step on the WebAssembly kernels uses, and the run learns as on the TypeScript loss', () => {
    const data = mnistSubset(2_000, 500);
    const config: RunConfig = { layers: [784, 32, 10], activation: 'relu', init: 'he', optimizer: 'sgd', learningRate: 0.1, momentum: 0, weightDecay: 0, batchSize: 64, epochs: 1, shuffle: true, seed: 4 };
    let calls = 0;
    const counted: Kernels = Object.create(wasm);
    counted.softmaxCrossEntropy = (...args) => {
      calls++;
      return wasm.softmaxCrossEntropy(...args);
    };
    const withoutIt: Kernels = Object.create(wasm);
    withoutIt.softmaxCrossEntropy = undefined;
    const runs = [counted, withoutIt].map((kernels) => createRun(config, data, kernels));
    for (const run of runs) while (!run.training.done) run.training.step();
    expect(calls).toBe(Math.ceil(2_000 / 64));
    const [fast, plain] = runs.map((run) => run.training.history[0]);
    expect(Math.abs(fast.trainLoss - plain.trainLoss)).toBeLessThan(1e-6);
    expect(Math.abs(fast.testAccuracy - plain.testAccuracy)).toBeLessThanOrEqual(0.002);
  });
});
