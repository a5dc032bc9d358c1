/**
 * The engine host's speed control and "Step one batch": a paced run sends every batch on its own
 * (so the curves move batch by batch), a new pace applies at once, and a step trains exactly one
 * minibatch of a paused run and sends it, leaving the run paused; a step of a run that is not
 * paused, or a pace out of range, is refused with the reason.
 */
import { describe, expect, it } from 'vitest';
import { jsKernels } from '../../src/engine/kernels/js';
import { EngineHost } from '../../src/worker/engine-host';
import type { WorkerEvent } from '../../src/shared/engine-protocol';
import { PRESETS, type RunConfig } from '../../src/engine/training/run-config';
import { mnistSubset } from '../helpers/mnist';

// 600 images at batch 20: 30 batches an epoch.
const config: RunConfig = { ...PRESETS.default, layers: [784, 16, 10], epochs: 1, batchSize: 20 };
const dataset = { dir: '/mnist', name: 'MNIST', id: 'mnist' };
const data = mnistSubset(600, 100);

function host() {
  const events: WorkerEvent[] = [];
  const waiters: { test: (e: WorkerEvent) => boolean; resolve: (e: WorkerEvent) => void }[] = [];
  const engine = new EngineHost({
    send: (e) => {
      events.push(e);
      for (const w of [...waiters]) {
        if (w.test(e)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(e);
        }
      }
    },
    loadDataset: () => data,
    getKernels: async () => jsKernels,
  });
  /** The next event (from now on) that passes `test`. */
  const next = (test: (e: WorkerEvent) => boolean) => new Promise<WorkerEvent>((resolve) => waiters.push({ test, resolve }));
  const ended = next((e) => e.type === 'finished' || e.type === 'failed' || e.type === 'diverged');
  return { engine, events, next, ended };
}

const progressPoints = (events: WorkerEvent[]) => events.flatMap((e) => (e.type === 'progress' ? [e.points.map((p) => p.iteration)] : []));

async function weightsNow(engine: EngineHost, next: ReturnType<typeof host>['next'], requestId: number): Promise<Float32Array> {
  const reply = next((e) => e.type === 'reply' && e.requestId === requestId);
  engine.receive({ type: 'request', requestId, request: { kind: 'current-model' } });
  const answer = await reply;
  if (answer.type !== 'reply' || !answer.ok || answer.value.kind !== 'current-model' || answer.value.model === null) throw new Error('no model');
  return answer.value.model.weights[0].weights;
}

describe('the engine host at a slow pace', () => {
  it('sends every batch in its own progress message, then goes to full speed when told', async () => {
    const { engine, events, next, ended } = host();
    const fifth = next((e) => e.type === 'progress' && e.latest.iteration === 5);
    engine.receive({ type: 'start', runId: 1, config, dataset, kernel: 'js', batchesPerSecond: 20 });
    const started = performance.now();
    await fifth;
    // Five batches at 20 a second: four rests of 50 ms.
    expect(performance.now() - started).toBeGreaterThanOrEqual(4 * 50 - 10);
    expect(progressPoints(events)).toEqual([[1], [2], [3], [4], [5]]);
    engine.receive({ type: 'pace', runId: 1, batchesPerSecond: null });
    await ended;
    expect(events.at(-1)).toMatchObject({ type: 'finished', runId: 1, reason: 'completed' });
    // Full speed gathers batches again; none is lost.
    const all = progressPoints(events).flat();
    expect(all).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(progressPoints(events).length).toBeLessThan(30);
  });

  it('a pace sent while the run is still starting applies from its first batch', async () => {
    const { engine, events, next, ended } = host();
    const third = next((e) => e.type === 'progress' && e.latest.iteration === 3);
    engine.receive({ type: 'start', runId: 6, config, dataset, kernel: 'js' });
    // The kernels are still on their way: the run has not begun.
    engine.receive({ type: 'pace', runId: 6, batchesPerSecond: 10 });
    const started = performance.now();
    await third;
    expect(performance.now() - started).toBeGreaterThanOrEqual(2 * 100 - 10);
    expect(events.some((e) => e.type === 'rejected')).toBe(false);
    engine.receive({ type: 'stop', runId: 6 });
    await ended;
  });

  it('refuses a pace out of range, naming the range, and keeps the run going', async () => {
    const { engine, events, ended } = host();
    engine.receive({ type: 'start', runId: 2, config, dataset, kernel: 'js', batchesPerSecond: 0 });
    expect(events).toEqual([{ type: 'rejected', message: 'Command "start": The speed must be full speed or from 0.5 to 1000 batches a second; got 0.' }]);
    engine.receive({ type: 'start', runId: 2, config, dataset, kernel: 'js' });
    engine.receive({ type: 'pace', runId: 2, batchesPerSecond: 'slow' });
    engine.receive({ type: 'pace', runId: 2 });
    await ended;
    expect(events.filter((e) => e.type === 'rejected')).toEqual([
      { type: 'rejected', message: 'Command "start": The speed must be full speed or from 0.5 to 1000 batches a second; got 0.' },
      { type: 'rejected', message: 'Command "pace": The speed must be full speed or from 0.5 to 1000 batches a second; got "slow".' },
      { type: 'rejected', message: 'Command "pace": The speed must be full speed or from 0.5 to 1000 batches a second; got nothing.' },
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'finished', runId: 2, reason: 'completed' });
  });
});

describe('"Step one batch" in the engine host', () => {
  it('trains exactly one minibatch of the paused run, sends it at once, and stays paused', async () => {
    const { engine, events, next, ended } = host();
    const second = next((e) => e.type === 'progress' && e.latest.iteration === 2);
    engine.receive({ type: 'start', runId: 3, config, dataset, kernel: 'js', batchesPerSecond: 5 });
    await second;
    engine.receive({ type: 'pause', runId: 3 });
    expect(events.at(-1)).toEqual({ type: 'paused', runId: 3 });
    const before = await weightsNow(engine, next, 1);

    const stepped = next((e) => e.type === 'progress');
    engine.receive({ type: 'step', runId: 3 });
    const progress = await stepped;
    expect(progress).toMatchObject({ type: 'progress', runId: 3, points: [{ iteration: 3 }], latest: { iteration: 3, batch: 3 } });
    const after = await weightsNow(engine, next, 2);
    expect(after.some((w, i) => w !== before[i])).toBe(true);

    // Still paused: a second later nothing more has been trained, and a second step gives batch 4.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(progressPoints(events).flat().at(-1)).toBe(3);
    expect(events.some((e) => e.type === 'resumed')).toBe(false);
    engine.receive({ type: 'step', runId: 3 });
    expect(progressPoints(events).flat().at(-1)).toBe(4);

    engine.receive({ type: 'stop', runId: 3 });
    await ended;
    expect(events.at(-1)).toMatchObject({ type: 'finished', runId: 3, reason: 'stopped' });
  });

  it('refuses to step a run that is not paused, or not running', async () => {
    const { engine, events, next, ended } = host();
    const first = next((e) => e.type === 'progress');
    engine.receive({ type: 'step', runId: 4 });
    engine.receive({ type: 'start', runId: 4, config, dataset, kernel: 'js', batchesPerSecond: 2 });
    await first;
    engine.receive({ type: 'step', runId: 4 });
    expect(events.filter((e) => e.type === 'rejected')).toEqual([
      { type: 'rejected', message: 'Run 4 is not running.' },
      { type: 'rejected', message: 'Run 4 is not paused: pause it before stepping one batch.' },
    ]);
    expect(progressPoints(events).flat()).toEqual([1]);
    engine.receive({ type: 'stop', runId: 4 });
    await ended;
  });

  it('stepping to the last batch ends the run as completed, with its epoch', async () => {
    const { engine, events, next, ended } = host();
    const third = next((e) => e.type === 'progress' && e.latest.iteration === 3);
    engine.receive({ type: 'start', runId: 5, config, dataset, kernel: 'js', batchesPerSecond: 20 });
    // Paused as batch 3 is reported: at 20 a second the next one is 50 ms away.
    await third.then(() => engine.receive({ type: 'pause', runId: 5 }));
    for (let i = 3; i < 30; i++) engine.receive({ type: 'step', runId: 5 });
    await ended;
    expect(events.filter((e) => e.type === 'epoch')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'finished', runId: 5, reason: 'completed' });
    expect(progressPoints(events).flat()).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });
});
