// How the calling thread waits for a job the helper thread claimed (KernelHelper.join): where it may
// not block (Atomics.wait throws, as on a browser's main thread) it spins instead, and a helper
// that claimed a job and went silent fails the join after a while instead of freezing the run.
// A stand-in helper thread speaks the control block's protocol (kernels/wasm/threads.ts) by hand.
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HelperOp, KernelHelper, type HelperKernels } from '../../src/engine/kernels/wasm/threads';

/** Claims job 1 at once (words: 0 posted, 1 done, 14 claim), then reports it done after `answerMs` (never if null). */
function standInHelper(buffer: SharedArrayBuffer, answerMs: number | null): Worker {
  const source = `
    const { workerData } = require('node:worker_threads');
    const ints = new Int32Array(workerData.buffer, 0, 16);
    while (Atomics.load(ints, 0) === 0) Atomics.wait(ints, 0, 0, 10);
    Atomics.compareExchange(ints, 14, 0, 1);
    if (workerData.answerMs !== null) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.answerMs);
      Atomics.store(ints, 1, 1);
      Atomics.notify(ints, 1);
    }`;
  return new Worker(source, { eval: true, workerData: { buffer, answerMs } });
}

const ranHere: string[] = [];
const kernels = new Proxy({}, { get: (_target, name) => () => ranHere.push(String(name)) }) as HelperKernels;
const workers: Worker[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(workers.splice(0).map((w) => w.terminate()));
});

describe("the caller's wait for the helper", () => {
  it('spins instead of sleeping where Atomics.wait throws, and still gets the answer', async () => {
    const buffer = new SharedArrayBuffer(256);
    const helper = new KernelHelper(buffer, 0, kernels);
    const wait = vi.spyOn(Atomics, 'wait').mockImplementation(() => {
      throw new TypeError('Atomics.wait cannot be called in this context');
    });
    workers.push(standInHelper(buffer, 200));
    helper.start(HelperOp.Matmul, 1, 2, 3, 4, 5, 6, 7);
    // Let the stand-in claim the job before the caller looks.
    await vi.waitFor(() => expect(Atomics.load(new Int32Array(buffer), 14)).toBe(1));
    helper.join();
    expect(wait).toHaveBeenCalledTimes(1);
    expect(ranHere).toEqual([]);
  });

  it('gives up on a helper that claimed a job and went silent, with a message, instead of freezing', async () => {
    const buffer = new SharedArrayBuffer(256);
    const helper = new KernelHelper(buffer, 0, kernels, 300);
    workers.push(standInHelper(buffer, null));
    helper.start(HelperOp.Matmul, 1, 2, 3, 4, 5, 6, 7);
    await vi.waitFor(() => expect(Atomics.load(new Int32Array(buffer), 14)).toBe(1));
    const asked = performance.now();
    expect(() => helper.join()).toThrow('wasm-simd kernels: the helper thread stopped answering for 0.3 s');
    expect(performance.now() - asked).toBeLessThan(5_000);
  });
});
