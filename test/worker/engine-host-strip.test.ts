/**
 * The prediction strip's guesses as the engine host sends them with the progress: a few times a
 * second at full speed (not with every message), with every batch at a slow pace, with a step, and
 * always for the run's last batch, so the strip ends showing the finished network.
 */
import { describe, expect, it } from 'vitest';
import { jsKernels } from '../../src/engine/kernels/js';
import { stripIndices } from '../../src/engine/teaching/prediction-strip';
import { EngineHost } from '../../src/worker/engine-host';
import { GUESS_INTERVAL_MS } from '../../src/worker/strip-watch';
import type { EngineRunEvent, WorkerEvent } from '../../src/shared/engine-protocol';
import { PRESETS, type RunConfig } from '../../src/engine/training/run-config';
import { mnistSubset } from '../helpers/mnist';

const config: RunConfig = { ...PRESETS.default, layers: [784, 16, 10], epochs: 2, batchSize: 10 };
const dataset = { dir: '/mnist', name: 'MNIST', id: 'mnist' };
const data = mnistSubset(3000, 100);
type Progress = Extract<EngineRunEvent, { type: 'progress' }>;

function host() {
  const events: WorkerEvent[] = [];
  const times: number[] = [];
  let onEvent: (e: WorkerEvent) => void = () => {};
  let waiter: { test: (e: WorkerEvent) => boolean; resolve: () => void } | null = null;
  const engine = new EngineHost({
    send: (e) => {
      events.push(e);
      times.push(performance.now());
      onEvent(e);
      if (waiter?.test(e)) {
        waiter.resolve();
        waiter = null;
      }
    },
    loadDataset: () => data,
    getKernels: async () => jsKernels,
  });
  const ended = new Promise<void>((resolve) => {
    onEvent = (e) => {
      if (e.type === 'finished' || e.type === 'failed') resolve();
    };
  });
  /** Resolves at the next event that passes `test`. */
  const next = (test: (e: WorkerEvent) => boolean) => new Promise<void>((resolve) => (waiter = { test, resolve }));
  return { engine, events, times, ended, next };
}

const progress = (events: WorkerEvent[]) => events.filter((e): e is Progress => e.type === 'progress');

describe('the strip\'s guesses in the progress', () => {
  it('at full speed: twelve guesses a few times a second, and for the last batch of each epoch', async () => {
    const { engine, events, times, ended } = host();
    engine.receive({ type: 'start', runId: 1, config, dataset, kernel: 'js' });
    await ended;
    const all = progress(events);
    const withGuesses = all.filter((e) => e.predictions !== undefined);
    expect(withGuesses.length).toBeGreaterThanOrEqual(2);
    for (const e of withGuesses) {
      expect(e.predictions?.map((g) => g.index)).toEqual(stripIndices(data.test.labels, 10));
      for (const g of e.predictions ?? []) expect(g.label).toBe(data.test.labels[g.index]);
    }
    // Not with every message: at most one set each GUESS_INTERVAL_MS, plus one at each epoch's end.
    const seconds = (times.at(-1)! - times[0]) / 1000;
    expect(withGuesses.length).toBeLessThanOrEqual(Math.ceil((seconds * 1000) / GUESS_INTERVAL_MS) + 2 + 1);
    expect(all.length).toBeGreaterThan(withGuesses.length);
    // Each epoch's last batch (300 and 600) is shown as it is.
    const epochEnds = withGuesses.map((e) => e.latest.iteration).filter((i) => i % 300 === 0);
    expect(epochEnds).toEqual([300, 600]);
    expect(events.at(-1)).toMatchObject({ type: 'finished', reason: 'completed' });
  });

  it('at a slow pace: with every batch; a step sends its own; a pause brings them up to date', async () => {
    const { engine, events, ended, next } = host();
    const third = next((e) => e.type === 'progress' && e.latest.iteration === 3);
    engine.receive({ type: 'start', runId: 2, config, dataset, kernel: 'js', batchesPerSecond: 20 });
    await third;
    engine.receive({ type: 'pause', runId: 2 });
    const slow = progress(events);
    expect(slow.map((e) => e.latest.iteration)).toEqual([1, 2, 3]);
    expect(slow.every((e) => e.predictions?.length === 12)).toBe(true);
    const pausedAt = slow.at(-1)!.latest.iteration;

    engine.receive({ type: 'step', runId: 2 });
    const stepped = progress(events).at(-1)!;
    expect(stepped.latest.iteration).toBe(pausedAt + 1);
    expect(stepped.predictions).toHaveLength(12);

    // At full speed the guesses lag behind; a pause sends the ones of the batch it stopped after.
    engine.receive({ type: 'pace', runId: 2, batchesPerSecond: null });
    engine.receive({ type: 'resume', runId: 2 });
    await new Promise((resolve) => setTimeout(resolve, 120));
    engine.receive({ type: 'pause', runId: 2 });
    const last = progress(events).at(-1)!;
    expect(last.predictions).toHaveLength(12);
    expect(last.latest.iteration).toBeGreaterThan(pausedAt + 1);
    engine.receive({ type: 'stop', runId: 2 });
    await ended;
  });
});
