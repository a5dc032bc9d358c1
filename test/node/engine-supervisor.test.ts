import { describe, expect, it } from 'vitest';
import { createEngineSupervisor, type WorkerHandle } from '../../src/node/engine-supervisor';
import type { RunEvent } from '../../src/shared/lab-api';
import { PRESETS } from '../../src/engine/training/run-config';

/** A stand-in for the worker process that records what it was sent and lets the test speak for it. */
class FakeWorker implements WorkerHandle {
  sent: unknown[] = [];
  killed = false;
  private messageListener: (m: unknown) => void = () => {};
  private exitListener: (code: number | null, detail: string) => void = () => {};
  postMessage(message: unknown): void {
    if (this.killed) throw new Error('posted to a dead worker');
    this.sent.push(message);
  }
  onMessage(listener: (m: unknown) => void): void {
    this.messageListener = listener;
  }
  onExit(listener: (code: number | null, detail: string) => void): void {
    this.exitListener = listener;
  }
  kill(): void {
    this.killed = true;
    this.exitListener(null, 'killed by SIGTERM');
  }
  say(message: unknown): void {
    this.messageListener(message);
  }
  crash(code: number): void {
    this.killed = true;
    this.exitListener(code, `exit code ${code}`);
  }
}

const dataset = { dir: '/data/mnist', name: 'MNIST', id: 'mnist' };

/** The engine's word that a run has started (its details do not matter here). */
function started(runId: number): unknown {
  return { type: 'started', runId, config: PRESETS.default, dataset: {}, batchesPerEpoch: 100, engine: { kernel: 'js', threads: 1, fusedMultiplyAdd: false } };
}

function setup(threads?: 1 | 2) {
  const workers: FakeWorker[] = [];
  const events: RunEvent[] = [];
  const supervisor = createEngineSupervisor({
    fork: () => {
      const w = new FakeWorker();
      workers.push(w);
      return w;
    },
    emit: (e) => events.push(e),
    threads,
  });
  return { supervisor, workers, events };
}

describe('engine supervisor', () => {
  it('forks the worker at once and sends a validated start command', () => {
    const { supervisor, workers } = setup();
    expect(workers).toHaveLength(1);
    expect(supervisor.start(PRESETS.default, dataset)).toEqual({ ok: true });
    expect(workers[0].sent).toEqual([{ type: 'start', runId: 1, config: PRESETS.default, dataset, kernel: 'auto', threads: 1 }]);
    expect(supervisor.running).toBe(true);
  });

  it('asks for the threads it was given (the app gives 2 on a machine with two cores)', () => {
    const { supervisor, workers } = setup(2);
    expect(supervisor.start(PRESETS.default, dataset)).toEqual({ ok: true });
    expect(workers[0].sent).toMatchObject([{ type: 'start', threads: 2 }]);
  });

  it('refuses an invalid config with its message, and a second start while running', () => {
    const { supervisor, workers } = setup();
    const bad = supervisor.start({ ...PRESETS.default, epochs: 0 }, dataset);
    expect(bad).toEqual({ ok: false, message: 'Epochs must be a whole number from 1 to 1000; got 0.' });
    expect(workers[0].sent).toEqual([]);
    supervisor.start(PRESETS.default, dataset);
    expect(supervisor.start(PRESETS.default, dataset)).toEqual({ ok: false, message: 'A run is already in progress: stop it before starting another.' });
  });

  it('relays pause, resume and stop for the active run; refuses them when idle', () => {
    const { supervisor, workers } = setup();
    expect(supervisor.pause()).toEqual({ ok: false, message: 'No run is in progress.' });
    supervisor.start(PRESETS.default, dataset);
    workers[0].say(started(1));
    supervisor.pause();
    supervisor.resume();
    supervisor.stop();
    expect(workers[0].sent.slice(1)).toEqual([{ type: 'pause', runId: 1 }, { type: 'resume', runId: 1 }, { type: 'stop', runId: 1 }]);
  });

  describe('while the run is starting (before the engine says started)', () => {
    it('keeps pause and resume until the run has started, the last one asked winning', () => {
      const { supervisor, workers, events } = setup();
      supervisor.start(PRESETS.default, dataset);
      expect(supervisor.pause()).toEqual({ ok: true });
      expect(supervisor.resume()).toEqual({ ok: true });
      expect(supervisor.pause()).toEqual({ ok: true });
      // Nothing reaches the engine, which would refuse a pause for a run it has not started.
      expect(workers[0].sent.slice(1)).toEqual([]);
      workers[0].say(started(1));
      expect(events.map((e) => e.type)).toEqual(['started']);
      expect(workers[0].sent.slice(1)).toEqual([{ type: 'pause', runId: 1 }]);
      // From here on each command goes straight through.
      supervisor.resume();
      expect(workers[0].sent.slice(2)).toEqual([{ type: 'resume', runId: 1 }]);
    });

    it('sends nothing when the last one asked was resume: the run starts running', () => {
      const { supervisor, workers } = setup();
      supervisor.start(PRESETS.default, dataset);
      supervisor.pause();
      supervisor.resume();
      workers[0].say(started(1));
      expect(workers[0].sent.slice(1)).toEqual([]);
    });

    it('sends a stop at once (the engine keeps it until the run exists), and a stop beats every pause or resume', () => {
      const { supervisor, workers } = setup();
      supervisor.start(PRESETS.default, dataset);
      supervisor.pause();
      expect(supervisor.stop()).toEqual({ ok: true });
      expect(supervisor.resume()).toEqual({ ok: true });
      expect(supervisor.pause()).toEqual({ ok: true });
      expect(workers[0].sent.slice(1)).toEqual([{ type: 'stop', runId: 1 }]);
      workers[0].say(started(1));
      expect(workers[0].sent.slice(1)).toEqual([{ type: 'stop', runId: 1 }]);
    });

    it('forgets what was kept when the run fails to start, and starts the next run clean', () => {
      const { supervisor, workers } = setup();
      supervisor.start(PRESETS.default, dataset);
      supervisor.pause();
      workers[0].say({ type: 'failed', runId: 1, message: 'The dataset could not be read.' });
      expect(supervisor.running).toBe(false);
      supervisor.start(PRESETS.default, dataset);
      workers[0].say(started(2));
      expect(workers[0].sent.filter((m) => (m as { type: string }).type !== 'start')).toEqual([]);
    });
  });

  it('forwards the active run\'s events, drops stale and malformed ones, and ends the run on finish', () => {
    const { supervisor, workers, events } = setup();
    supervisor.start(PRESETS.default, dataset);
    workers[0].say({ type: 'ready', kernel: 'js' });
    workers[0].say({ type: 'paused', runId: 99 });
    workers[0].say({ nonsense: true });
    workers[0].say({ type: 'paused', runId: 1 });
    workers[0].say({ type: 'finished', runId: 1, reason: 'completed', testAccuracy: 0.97 });
    expect(events).toEqual([{ type: 'paused', runId: 1 }, { type: 'finished', runId: 1, reason: 'completed', testAccuracy: 0.97 }]);
    expect(supervisor.running).toBe(false);
  });

  it('reports a crash once, never writes to the dead worker, and forks a new one on the next start', () => {
    const { supervisor, workers, events } = setup();
    supervisor.start(PRESETS.default, dataset);
    workers[0].crash(134);
    expect(events).toEqual([{ type: 'engine-crashed', message: 'The training engine stopped unexpectedly (exit code 134); the run was lost. Press Train to start again.' }]);
    expect(supervisor.running).toBe(false);
    expect(supervisor.stop()).toEqual({ ok: false, message: 'No run is in progress.' });
    expect(supervisor.start(PRESETS.default, dataset)).toEqual({ ok: true });
    expect(workers).toHaveLength(2);
    expect(workers[1].sent).toHaveLength(1);
  });

  it('a normal quit is not reported as a crash', () => {
    const { supervisor, workers, events } = setup();
    supervisor.start(PRESETS.default, dataset);
    supervisor.dispose();
    expect(workers[0].killed).toBe(true);
    expect(events).toEqual([]);
    expect(supervisor.start(PRESETS.default, dataset)).toEqual({ ok: false, message: 'The app is shutting down.' });
  });
});
