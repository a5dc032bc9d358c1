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
    supervisor.pause();
    supervisor.resume();
    supervisor.stop();
    expect(workers[0].sent.slice(1)).toEqual([{ type: 'pause', runId: 1 }, { type: 'resume', runId: 1 }, { type: 'stop', runId: 1 }]);
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
