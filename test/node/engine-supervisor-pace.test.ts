/**
 * The supervisor's side of the speed control and of "Step one batch": the pace is kept for the
 * next runs and sent to a run in progress; a step is sent only for a run the engine said is
 * paused (a Resume on its way makes it refused), so the user hears why instead of nothing.
 */
import { describe, expect, it } from 'vitest';
import { createEngineSupervisor, type WorkerHandle } from '../../src/node/engine-supervisor';
import type { RunEvent } from '../../src/shared/lab-api';
import { PRESETS } from '../../src/engine/training/run-config';

/** The worker as the supervisor sees it: what it was sent, and a way to speak for it. */
class ScriptedWorker implements WorkerHandle {
  sent: unknown[] = [];
  private listener: (m: unknown) => void = () => {};
  postMessage(message: unknown): void {
    this.sent.push(message);
  }
  onMessage(listener: (m: unknown) => void): void {
    this.listener = listener;
  }
  onExit(): void {}
  kill(): void {}
  say(message: unknown): void {
    this.listener(message);
  }
}

const dataset = { dir: '/data/mnist', name: 'MNIST', id: 'mnist' };
const PAUSE_FIRST = 'Pause the run first: "Step one batch" trains one batch of a paused run.';

function setup() {
  const worker = new ScriptedWorker();
  const events: RunEvent[] = [];
  const supervisor = createEngineSupervisor({ fork: () => worker, emit: (e) => events.push(e) });
  return { supervisor, worker, events };
}

describe('engine supervisor: pace', () => {
  it('keeps the pace for the next run and sends a new one to the run in progress', () => {
    const { supervisor, worker } = setup();
    expect(supervisor.setPace(5)).toEqual({ ok: true });
    expect(worker.sent).toEqual([]);
    supervisor.start(PRESETS.default, dataset);
    expect(worker.sent[0]).toMatchObject({ type: 'start', runId: 1, batchesPerSecond: 5 });
    expect(supervisor.setPace(null)).toEqual({ ok: true });
    expect(worker.sent[1]).toEqual({ type: 'pace', runId: 1, batchesPerSecond: null });
    worker.say({ type: 'finished', runId: 1, reason: 'completed', testAccuracy: 0.9 });
    supervisor.start(PRESETS.default, dataset);
    // Full speed: the start command says nothing of a pace, as before there was one.
    expect(worker.sent[2]).toEqual({ type: 'start', runId: 2, config: PRESETS.default, dataset, kernel: 'auto', threads: 1 });
  });

  it('refuses a pace out of range and keeps the one it had', () => {
    const { supervisor, worker } = setup();
    supervisor.setPace(2);
    for (const bad of [0, -1, 1e6, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(supervisor.setPace(bad)).toEqual({ ok: false, message: `The speed must be full speed or from 0.5 to 1000 batches a second; got ${bad}.` });
    }
    supervisor.start(PRESETS.default, dataset);
    expect(worker.sent[0]).toMatchObject({ batchesPerSecond: 2 });
  });
});

describe('engine supervisor: step one batch', () => {
  it('steps only a run the engine said is paused', () => {
    const { supervisor, worker, events } = setup();
    expect(supervisor.step()).toEqual({ ok: false, message: 'No run is in progress.' });
    supervisor.start(PRESETS.default, dataset);
    expect(supervisor.step()).toEqual({ ok: false, message: PAUSE_FIRST });
    supervisor.pause();
    // The pause is on its way; the engine has not confirmed it yet.
    expect(supervisor.step()).toEqual({ ok: false, message: PAUSE_FIRST });
    worker.say({ type: 'paused', runId: 1 });
    expect(events.at(-1)).toEqual({ type: 'paused', runId: 1 });
    expect(supervisor.step()).toEqual({ ok: true });
    expect(supervisor.step()).toEqual({ ok: true });
    expect(worker.sent.filter((m) => (m as { type: string }).type === 'step')).toEqual([
      { type: 'step', runId: 1 },
      { type: 'step', runId: 1 },
    ]);
  });

  it('refuses a step once Resume is sent, before the engine answers it', () => {
    const { supervisor, worker } = setup();
    supervisor.start(PRESETS.default, dataset);
    supervisor.pause();
    worker.say({ type: 'paused', runId: 1 });
    supervisor.resume();
    expect(supervisor.step()).toEqual({ ok: false, message: PAUSE_FIRST });
    worker.say({ type: 'resumed', runId: 1 });
    expect(supervisor.step()).toEqual({ ok: false, message: PAUSE_FIRST });
  });

  it('a run that ends while paused, or a new run, is not paused', () => {
    const { supervisor, worker } = setup();
    supervisor.start(PRESETS.default, dataset);
    supervisor.pause();
    worker.say({ type: 'paused', runId: 1 });
    supervisor.stop();
    worker.say({ type: 'finished', runId: 1, reason: 'stopped', testAccuracy: null });
    expect(supervisor.step()).toEqual({ ok: false, message: 'No run is in progress.' });
    supervisor.start(PRESETS.default, dataset);
    expect(supervisor.step()).toEqual({ ok: false, message: PAUSE_FIRST });
  });
});
