// One WebAssembly kernels instance for the engine process's life (src/worker/process-kernels.ts),
// its buffers freed before each new model: the engine host runs one model after another on it,
// continues and loads models, and its memory stays at one model's size.
import { describe, expect, it } from 'vitest';
import { jsKernels } from '../../src/engine/kernels/js';
import type { Kernels } from '../../src/engine/kernels/kernels';
import { createWasmKernels, type WasmKernels } from '../../src/engine/kernels/wasm/wasm-kernels';
import type { HelperInit } from '../../src/engine/kernels/wasm/threads';
import { spawnNodeHelper } from '../../src/node/kernel-threads';
import type { WorkerEvent } from '../../src/shared/engine-protocol';
import { PRESETS, type RunConfig } from '../../src/engine/training/run-config';
import { ProcessKernels } from '../../src/worker/process-kernels';
import { engineHostHarness } from '../helpers/engine-host-harness';
import { mnistSubset } from '../helpers/mnist';

const config: RunConfig = { ...PRESETS.default, layers: [784, 32, 10], epochs: 1, batchSize: 64 };
const dataset = { dir: '/mnist', name: 'MNIST', id: 'mnist' };
const data = mnistSubset(3_000, 500);

const host = (getKernels: (choice: 'auto' | 'wasm' | 'js', threads?: 1 | 2) => Promise<Kernels>) => engineHostHarness(data, getKernels);

/** The first loss of each run (its first minibatch), from the progress events. */
function firstLoss(events: WorkerEvent[], runId: number): number {
  const progress = events.find((e) => e.type === 'progress' && e.runId === runId);
  if (progress?.type !== 'progress') throw new Error(`no progress from run ${runId}`);
  return progress.points[0].loss;
}

describe('the engine process\'s kernels', () => {
  it('are one WebAssembly instance for auto and wasm, the TypeScript ones for js', async () => {
    let made = 0;
    const kernels = new ProcessKernels(undefined, () => (made++, createWasmKernels({ maxBytes: 64 << 20 })));
    const auto = await kernels.get('auto', 1);
    expect(auto.name).toBe('wasm-simd');
    expect(await kernels.get('wasm', 1)).toBe(auto);
    expect(await kernels.get('auto')).toBe(auto);
    expect(await kernels.get('js', 1)).toBe(jsKernels);
    expect(made).toBe(1);
  });

  it('start a helper thread the first time two are asked for, keep it, and split only for runs that ask', async () => {
    let spawned = 0;
    const kernels = new ProcessKernels((init: HelperInit) => (spawned++, spawnNodeHelper(init)), () => createWasmKernels({ maxBytes: 64 << 20 }));
    const two = (await kernels.get('auto', 2)) as WasmKernels;
    expect(two.threads).toBe(2);
    expect(((await kernels.get('auto', 1)) as WasmKernels).threads).toBe(1);
    // A model loaded for requests takes the kernels as the last run left them.
    expect(((await kernels.get('auto')) as WasmKernels).threads).toBe(1);
    expect(((await kernels.get('auto', 2)) as WasmKernels).threads).toBe(2);
    expect(spawned).toBe(1);
    two.stopHelper();
  }, 30_000);

  it('run on one thread, without asking again, when the helper cannot start', async () => {
    let spawned = 0;
    const kernels = new ProcessKernels(() => {
      spawned++;
      throw new Error('no threads in this host');
    }, () => createWasmKernels({ maxBytes: 64 << 20 }));
    expect(((await kernels.get('auto', 2)) as WasmKernels).threads).toBe(1);
    expect(((await kernels.get('auto', 2)) as WasmKernels).threads).toBe(1);
    expect(spawned).toBe(1);
  });
});

describe('the engine host on one kernels instance', () => {
  it('runs model after model in the same memory, and continues and loads models from it', async () => {
    const wasm = await createWasmKernels({ maxBytes: 512 << 20 });
    const { engine, events, next, ask } = host(async () => wasm);
    // Where the next buffer would go: how much of the memory the buffers made so far take.
    const heapEnd = (): number => wasm.createBuffer(0).byteOffset;

    engine.receive({ type: 'start', runId: 1, config, dataset, kernel: 'auto' });
    await next((e) => e.type === 'finished' && e.runId === 1);
    const afterFirst = heapEnd();
    const trained = await ask({ kind: 'current-model' });
    if (!trained.ok || trained.value.kind !== 'current-model' || trained.value.model === null) throw new Error('no model after run 1');

    // Continuing: the held weights are copied before the buffers are freed for the new run, so it
    // starts where run 1 ended (a fresh network starts near ln 10 ≈ 2.3).
    engine.receive({ type: 'start', runId: 2, config, dataset, kernel: 'auto', fromCurrentModel: true });
    await next((e) => e.type === 'finished' && e.runId === 2);
    expect(firstLoss(events, 1)).toBeGreaterThan(1.5);
    expect(firstLoss(events, 2)).toBeLessThan(0.8);

    // Loading a model: the run's buffers go, the model's weights are the ones sent.
    expect(await ask({ kind: 'load-model', model: trained.value.model })).toMatchObject({ ok: true });
    const loaded = await ask({ kind: 'current-model' });
    if (!loaded.ok || loaded.value.kind !== 'current-model' || loaded.value.model === null) throw new Error('no loaded model');
    expect(loaded.value.model.weights).toEqual(trained.value.model.weights);
    // It evaluates as run 1 did at its end, on the same 500 test images.
    const run1 = events.find((e) => e.type === 'epoch' && e.runId === 1);
    const evaluation = await ask({ kind: 'evaluate', dataset });
    expect(evaluation.ok && evaluation.value.kind === 'evaluate' && evaluation.value.report.accuracy).toBe(run1?.type === 'epoch' && run1.testAccuracy);

    engine.receive({ type: 'start', runId: 3, config, dataset, kernel: 'auto' });
    await next((e) => e.type === 'finished' && e.runId === 3);
    // Three runs, a load and an evaluation later, run 3's buffers take what run 1's took.
    expect(heapEnd()).toBe(afterFirst);
    expect(events.some((e) => e.type === 'failed' || e.type === 'rejected')).toBe(false);
  }, 60_000);

  it('refuses a load whose kernels were still being made when a run began: the run keeps its model', async () => {
    const wasm = await createWasmKernels({ maxBytes: 512 << 20 });
    let releaseLoad: () => void = () => {};
    let calls = 0;
    const { engine, next, ask } = host(async () => {
      calls++;
      // The load's request for kernels (the first) waits until the run has started.
      if (calls === 1) await new Promise<void>((resolve) => (releaseLoad = resolve));
      return wasm;
    });
    const weights = [
      { inputs: 784, outputs: 32, weights: new Float32Array(784 * 32).fill(0.01), biases: new Float32Array(32) },
      { inputs: 32, outputs: 10, weights: new Float32Array(320).fill(-0.02), biases: new Float32Array(10) },
    ];
    const model = { source: 'library' as const, name: 'Saved', config, weights, history: [], dataset: { name: 'MNIST', rows: 28, cols: 28, classes: 10, trainCount: 3000, testCount: 500 } };
    const load = ask({ kind: 'load-model', model });
    engine.receive({ type: 'start', runId: 1, config: { ...config, epochs: 30 }, dataset, kernel: 'auto' });
    await next((e) => e.type === 'progress');
    releaseLoad();
    expect(await load).toMatchObject({ ok: false, message: /run is in progress/ });
    const held = await ask({ kind: 'current-model' });
    expect(held.ok && held.value.kind === 'current-model' && held.value.model?.source).toBe('training');
    engine.receive({ type: 'stop', runId: 1 });
    expect(await next((e) => e.type === 'finished')).toMatchObject({ runId: 1, reason: 'stopped' });
  }, 60_000);
});
