import { describe, expect, it } from 'vitest';
import { jsKernels } from '../../src/engine/kernels/js';
import { EngineHost } from '../../src/worker/engine-host';
import type { WorkerEvent } from '../../src/shared/engine-protocol';
import { PRESETS, type RunConfig } from '../../src/engine/training/run-config';
import { mnistSubset } from '../helpers/mnist';

const config: RunConfig = { ...PRESETS.default, layers: [784, 16, 10], epochs: 2, batchSize: 20 };
const dataset = { dir: '/mnist', name: 'MNIST', id: 'mnist' };

function host(overrides: Partial<ConstructorParameters<typeof EngineHost>[0]> = {}) {
  const events: WorkerEvent[] = [];
  let resolveDone: () => void = () => {};
  const done = new Promise<void>((r) => (resolveDone = r));
  const engine = new EngineHost({
    send: (e) => {
      events.push(e);
      if (e.type === 'finished' || e.type === 'failed' || e.type === 'diverged') resolveDone();
    },
    loadDataset: () => mnistSubset(600, 100),
    getKernels: async () => jsKernels,
    ...overrides,
  });
  return { engine, events, done };
}

describe('engine host (the worker\'s logic, in process)', () => {
  it('runs a start command to the end: started, throttled progress holding every iteration, epochs, finished', async () => {
    const { engine, events, done } = host();
    engine.receive({ type: 'start', runId: 3, config, dataset, kernel: 'js' });
    await done;
    expect(events[0]).toMatchObject({ type: 'started', runId: 3, batchesPerEpoch: 30, dataset: { id: 'mnist', trainCount: 600, rows: 28, cols: 28 } });
    const progress = events.filter((e) => e.type === 'progress');
    const iterations = progress.flatMap((e) => (e.type === 'progress' ? e.points.map((p) => p.iteration) : []));
    expect(iterations).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    // Gathered, not one message per batch.
    expect(progress.length).toBeLessThan(60);
    expect(events.filter((e) => e.type === 'epoch').map((e) => e.type === 'epoch' && e.epoch)).toEqual([1, 2]);
    expect(events.at(-1)).toMatchObject({ type: 'finished', runId: 3, reason: 'completed' });
  });

  it('asks for the threads the command gives (1 when absent or for a batch too small to split) and says what computes the run', async () => {
    const asked: (number | undefined)[] = [];
    const twoThreads = { ...jsKernels, name: 'fake-two', threads: 2 };
    const { engine, events, done } = host({
      getKernels: async (_choice, threads) => {
        asked.push(threads);
        return threads === 2 ? twoThreads : jsKernels;
      },
    });
    engine.receive({ type: 'start', runId: 1, config: { ...config, epochs: 1, batchSize: 32 }, dataset, kernel: 'js', threads: 2 });
    await done;
    expect(asked).toEqual([2]);
    expect(events[0]).toMatchObject({ type: 'started', engine: { kernel: 'fake-two', threads: 2 } });

    const second = host({
      getKernels: async (_choice, threads) => {
        asked.push(threads);
        return jsKernels;
      },
    });
    second.engine.receive({ type: 'start', runId: 2, config: { ...config, epochs: 1, batchSize: 32 }, dataset, kernel: 'js' });
    await second.done;
    expect(second.events[0]).toMatchObject({ type: 'started', engine: { kernel: 'js', threads: 1 } });

    // Batch 20: the kernels would never split it, so no helper is asked for.
    const third = host({
      getKernels: async (_choice, threads) => {
        asked.push(threads);
        return jsKernels;
      },
    });
    third.engine.receive({ type: 'start', runId: 3, config: { ...config, epochs: 1 }, dataset, kernel: 'js', threads: 2 });
    await third.done;
    expect(asked).toEqual([2, 1, 1]);
  });

  it('refuses a start command asking for a number of threads other than 1 or 2', () => {
    const { engine, events } = host();
    engine.receive({ type: 'start', runId: 1, config, dataset, kernel: 'js', threads: 3 });
    expect(events).toEqual([{ type: 'rejected', message: 'Command "start" takes threads as 1 or 2; got 3.' }]);
  });

  it('rejects malformed commands with a reason and keeps working', () => {
    const { engine, events } = host();
    engine.receive('hello');
    engine.receive({ type: 'explode', runId: 1 });
    engine.receive({ type: 'start', runId: 1, config: { ...config, batchSize: 0 }, dataset, kernel: 'js' });
    engine.receive({ type: 'pause', runId: 5 });
    expect(events).toEqual([
      { type: 'rejected', message: 'A command must be an object with a string "type".' },
      { type: 'rejected', message: 'Unknown command type "explode".' },
      { type: 'rejected', message: 'Invalid run configuration: Batch size must be a whole number from 1 to 4096; got 0.' },
      { type: 'rejected', message: 'Run 5 is not running.' },
    ]);
  });

  it('a dataset that fails to load fails the run with the loader\'s message', async () => {
    const { engine, events, done } = host({
      loadDataset: () => {
        throw new Error('/data/train-images-idx3-ubyte: wrong magic number');
      },
    });
    engine.receive({ type: 'start', runId: 1, config, dataset, kernel: 'js' });
    await done;
    expect(events).toEqual([{ type: 'failed', runId: 1, message: '/data/train-images-idx3-ubyte: wrong magic number' }]);
  });

  it('a network that does not fit the images fails with the shape advice', async () => {
    const { engine, events, done } = host();
    engine.receive({ type: 'start', runId: 1, config: { ...config, layers: [28, 100, 10] }, dataset, kernel: 'js' });
    await done;
    expect(events[0]).toMatchObject({ type: 'failed', message: expect.stringMatching(/first layer takes 28 inputs but each image has 28×28 = 784 pixels/) });
  });
});

describe('a stop that arrives while the run is still starting', () => {
  it('is kept until the run exists, then stops it before its first batch (never "not running")', async () => {
    let kernelsReady: () => void = () => {};
    const { engine, events, done } = host({ getKernels: () => new Promise((resolve) => (kernelsReady = () => resolve(jsKernels))) });
    engine.receive({ type: 'start', runId: 5, config, dataset, kernel: 'js' });
    engine.receive({ type: 'stop', runId: 5 });
    kernelsReady();
    await done;
    expect(events.map((e) => e.type)).toEqual(['started', 'finished']);
    expect(events.at(-1)).toMatchObject({ type: 'finished', runId: 5, reason: 'stopped' });
  });

  it('for another run id is still refused', async () => {
    let kernelsReady: () => void = () => {};
    const { engine, events, done } = host({ getKernels: () => new Promise((resolve) => (kernelsReady = () => resolve(jsKernels))) });
    engine.receive({ type: 'start', runId: 6, config: { ...config, epochs: 1 }, dataset, kernel: 'js' });
    engine.receive({ type: 'stop', runId: 7 });
    kernelsReady();
    await done;
    expect(events[0]).toEqual({ type: 'rejected', message: 'Run 7 is not running.' });
    expect(events.at(-1)).toMatchObject({ type: 'finished', runId: 6, reason: 'completed' });
  });
});
