import { describe, expect, it } from 'vitest';
import type { EpochMetrics } from '../../src/engine/training/events';
import { PRESETS, type RunConfig } from '../../src/engine/training/run-config';
import { expandStudy } from '../../src/shared/study';
import { StudyScheduler, type StartRun, type StudyRunEvent } from '../../src/node/study-scheduler';

/** A fake engine per run, driven by the test: it records what was started and what was cancelled. */
interface FakeRun {
  config: RunConfig;
  emit: (event: StudyRunEvent) => void;
  cancelled: boolean;
}

class FakeEngines {
  readonly started: FakeRun[] = [];
  /** Runs started and not yet ended (by a final event or a cancel), and the most there ever were. */
  live = 0;
  maxLive = 0;
  startRun: StartRun = (config, onEvent) => {
    const run: FakeRun = { config, cancelled: false, emit: () => undefined };
    run.emit = (event) => {
      if (['finished', 'diverged', 'failed', 'engine-crashed'].includes(event.type)) this.live--;
      onEvent(event);
    };
    this.started.push(run);
    this.maxLive = Math.max(this.maxLive, ++this.live);
    return {
      cancel: () => {
        run.cancelled = true;
        this.live--;
      },
    };
  };
}

function epoch(n: number, testAccuracy: number, trainLoss = 0.5): Extract<StudyRunEvent, { type: 'epoch' }> {
  const metrics: EpochMetrics = { epoch: n, trainLoss, trainAccuracy: 0.8, testLoss: 0.4, testAccuracy, seconds: 1, samplesPerSecond: 1000 };
  return { type: 'epoch', runId: 1, ...metrics };
}

const completed: StudyRunEvent = { type: 'finished', runId: 1, reason: 'completed', testAccuracy: 0.9 };

function grid(count: number): ReturnType<typeof expandStudy> {
  return expandStudy({ ...PRESETS.default, epochs: 3 }, [{ key: 'batchSize', values: Array.from({ length: count }, (_, i) => 16 * (i + 1)) }]);
}

describe('the study scheduler', () => {
  it('never runs more than `parallel` at once and starts runs in the study\'s order', async () => {
    const engines = new FakeEngines();
    const scheduler = new StudyScheduler(grid(5), { startRun: engines.startRun, parallel: 2 });
    const done = scheduler.run();
    expect(engines.started.map((r) => r.config.batchSize)).toEqual([16, 32]);
    expect(scheduler.runs.map((r) => r.status)).toEqual(['running', 'running', 'queued', 'queued', 'queued']);

    // The second run ends first: its slot goes to the third.
    engines.started[1].emit(completed);
    expect(engines.started.map((r) => r.config.batchSize)).toEqual([16, 32, 48]);
    engines.started[0].emit(completed);
    engines.started[2].emit(completed);
    expect(engines.started.map((r) => r.config.batchSize)).toEqual([16, 32, 48, 64, 80]);
    expect(scheduler.active).toBe(2);
    engines.started[4].emit(completed);
    engines.started[3].emit(completed);

    const runs = await done;
    expect(runs.map((r) => r.status)).toEqual(['completed', 'completed', 'completed', 'completed', 'completed']);
    expect(engines.maxLive).toBe(2);
    expect(scheduler.active).toBe(0);
  });

  it('runs everything at once when parallel is at least the number of runs', () => {
    const engines = new FakeEngines();
    void new StudyScheduler(grid(3), { startRun: engines.startRun, parallel: 8 }).run();
    expect(engines.started).toHaveLength(3);
  });

  it('records epochs, final and best accuracy, wall time and time to the target on an injected clock', async () => {
    let clock = 1000;
    const engines = new FakeEngines();
    const scheduler = new StudyScheduler(grid(1), { startRun: engines.startRun, parallel: 1, now: () => clock, targetAccuracy: 0.95 });
    const done = scheduler.run();
    const engine = engines.started[0];
    engine.emit({ type: 'started', runId: 1, config: engine.config, dataset: {} as never, batchesPerEpoch: 100, engine: { kernel: 'js', threads: 1, fusedMultiplyAdd: false } });
    expect(scheduler.runs[0].totalIterations).toBe(300);
    engine.emit({ type: 'progress', runId: 1, points: [{ iteration: 1, loss: 2.3, accuracy: 0.1 }, { iteration: 2, loss: 2.1, accuracy: 0.2 }], latest: { iteration: 2 } as never, samplesPerSecond: 1 });
    clock = 3000;
    engine.emit(epoch(1, 0.93, 0.6));
    clock = 5500;
    engine.emit(epoch(2, 0.97, 0.3));
    clock = 7000;
    engine.emit(epoch(3, 0.96, 0.2));
    clock = 7500;
    engine.emit(completed);

    const [run] = await done;
    expect(run).toMatchObject({
      status: 'completed',
      finalTestAccuracy: 0.96,
      bestEpoch: 2,
      bestTestAccuracy: 0.97,
      finalTrainLoss: 0.2,
      seconds: 6.5,
      secondsToTarget: 4.5,
      iterationsDone: 2,
      message: null,
    });
    expect(run.epochs.map((e) => e.testAccuracy)).toEqual([0.93, 0.97, 0.96]);
    expect(run.iterations.map((p) => p.iteration)).toEqual([1, 2]);
  });

  it('keeps each epoch\'s wall-clock seconds since the run\'s start, the time to the target being its epoch\'s', async () => {
    let clock = 250;
    const engines = new FakeEngines();
    const scheduler = new StudyScheduler(grid(2), { startRun: engines.startRun, parallel: 1, now: () => clock, targetAccuracy: 0.9 });
    const done = scheduler.run();
    // The engine's start-up counts: the first epoch ends 1.75 s after the run started.
    clock = 2000;
    engines.started[0].emit(epoch(1, 0.85));
    clock = 3500;
    // Exactly the target: reached.
    engines.started[0].emit(epoch(2, 0.9));
    clock = 4000;
    engines.started[0].emit(epoch(3, 0.95));
    engines.started[0].emit(completed);
    // The second run starts at 4 s on the same clock; its times count from its own start.
    clock = 4600;
    engines.started[1].emit(epoch(1, 0.5));
    clock = 5000;
    engines.started[1].emit(epoch(2, 0.6));
    engines.started[1].emit(completed);

    const [first, second] = await done;
    expect(first.epochs.map((e) => e.secondsSinceStart)).toEqual([1.75, 3.25, 3.75]);
    expect(first.secondsToTarget).toBe(3.25);
    expect(first.epochs.map((e) => e.testAccuracy)).toEqual([0.85, 0.9, 0.95]);
    expect(second.epochs.map((e) => e.secondsSinceStart)).toEqual([0.6, 1]);
    expect(second.secondsToTarget).toBeNull();
    // The engine's own per-epoch training seconds are kept beside them, unchanged.
    expect(first.epochs.map((e) => e.seconds)).toEqual([1, 1, 1]);
  });

  it('leaves the time to the target empty when the target is never reached', async () => {
    const engines = new FakeEngines();
    const scheduler = new StudyScheduler(grid(1), { startRun: engines.startRun, parallel: 1 });
    const done = scheduler.run();
    engines.started[0].emit(epoch(1, 0.89));
    engines.started[0].emit(completed);
    expect((await done)[0]).toMatchObject({ status: 'completed', secondsToTarget: null, finalTestAccuracy: 0.89 });
  });

  it('cancels a queued run without ever starting it', async () => {
    const engines = new FakeEngines();
    const scheduler = new StudyScheduler(grid(3), { startRun: engines.startRun, parallel: 1 });
    const done = scheduler.run();
    expect(scheduler.cancel(1)).toBe(true);
    expect(scheduler.runs[1].status).toBe('cancelled');
    engines.started[0].emit(completed);
    engines.started[1].emit(completed);
    expect(engines.started.map((r) => r.config.batchSize)).toEqual([16, 48]);
    const runs = await done;
    expect(runs.map((r) => r.status)).toEqual(['completed', 'cancelled', 'completed']);
    expect(runs[1].seconds).toBeNull();
  });

  it('cancels a running run: its engine is told, its slot goes to the next, its late events are ignored', async () => {
    let clock = 0;
    const engines = new FakeEngines();
    const scheduler = new StudyScheduler(grid(3), { startRun: engines.startRun, parallel: 2, now: () => clock });
    const done = scheduler.run();
    engines.started[0].emit(epoch(1, 0.9));
    clock = 2000;
    expect(scheduler.cancel(0)).toBe(true);
    expect(engines.started[0].cancelled).toBe(true);
    expect(engines.started.map((r) => r.config.batchSize)).toEqual([16, 32, 48]);
    expect(scheduler.cancel(0)).toBe(false);

    engines.started[0].emit(epoch(2, 0.99));
    engines.started[0].emit(completed);
    expect(scheduler.runs[0]).toMatchObject({ status: 'cancelled', finalTestAccuracy: 0.9, seconds: 2 });
    expect(scheduler.runs[0].epochs).toHaveLength(1);

    engines.started[1].emit(completed);
    engines.started[2].emit(completed);
    expect((await done).map((r) => r.status)).toEqual(['cancelled', 'completed', 'completed']);
    expect(engines.maxLive).toBe(2);
  });

  it('a diverging run does not stop the others', async () => {
    const engines = new FakeEngines();
    const scheduler = new StudyScheduler(grid(4), { startRun: engines.startRun, parallel: 2 });
    const done = scheduler.run();
    engines.started[0].emit(epoch(1, 0.5));
    engines.started[0].emit({ type: 'diverged', runId: 1, reason: 'Training diverged: the loss became NaN', restoredEpoch: 1 });
    for (let i = 1; i < 4; i++) engines.started[i].emit(completed);
    const runs = await done;
    expect(runs.map((r) => r.status)).toEqual(['diverged', 'completed', 'completed', 'completed']);
    expect(runs[0]).toMatchObject({ message: 'Training diverged: the loss became NaN', finalTestAccuracy: 0.5 });
  });

  it('a crashed engine fails only its own run', async () => {
    const engines = new FakeEngines();
    const scheduler = new StudyScheduler(grid(3), { startRun: engines.startRun, parallel: 3 });
    const done = scheduler.run();
    engines.started[1].emit({ type: 'engine-crashed', message: 'The training engine stopped unexpectedly (killed by SIGKILL)' });
    engines.started[0].emit(completed);
    engines.started[2].emit(completed);
    const runs = await done;
    expect(runs.map((r) => r.status)).toEqual(['completed', 'failed', 'completed']);
    expect(runs[1].message).toMatch(/killed by SIGKILL/);
  });

  it('a run refused at once, or whose start throws, fails and the queue moves on', async () => {
    const engines = new FakeEngines();
    let calls = 0;
    const startRun: StartRun = (config, onEvent) => {
      calls++;
      if (calls === 1) {
        onEvent({ type: 'failed', runId: 1, message: 'Could not read the dataset' });
        return { cancel: () => undefined };
      }
      if (calls === 2) throw new Error('fork failed');
      return engines.startRun(config, onEvent);
    };
    const scheduler = new StudyScheduler(grid(3), { startRun, parallel: 1 });
    const done = scheduler.run();
    expect(engines.started).toHaveLength(1);
    engines.started[0].emit(completed);
    const runs = await done;
    expect(runs.map((r) => [r.status, r.message])).toEqual([
      ['failed', 'Could not read the dataset'],
      ['failed', 'fork failed'],
      ['completed', null],
    ]);
  });

  it('cancelAll ends every run, starts nothing more and resolves', async () => {
    const engines = new FakeEngines();
    const scheduler = new StudyScheduler(grid(5), { startRun: engines.startRun, parallel: 2 });
    const done = scheduler.run();
    scheduler.cancelAll();
    const runs = await done;
    expect(runs.map((r) => r.status)).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled', 'cancelled']);
    expect(engines.started).toHaveLength(2);
    expect(engines.started.every((r) => r.cancelled)).toBe(true);
    expect(engines.live).toBe(0);
  });

  it('tells about every change and resolves at once for an empty study', async () => {
    const engines = new FakeEngines();
    const updates: string[] = [];
    const scheduler = new StudyScheduler(grid(1), { startRun: engines.startRun, parallel: 1, onUpdate: (r) => updates.push(`${r.index}:${r.status}`) });
    const done = scheduler.run();
    engines.started[0].emit(epoch(1, 0.9));
    engines.started[0].emit(completed);
    await done;
    expect(updates).toEqual(['0:running', '0:running', '0:completed']);
    expect(await new StudyScheduler([], { startRun: engines.startRun, parallel: 1 }).run()).toEqual([]);
  });

  it('refuses a parallelism that is not a whole number of at least 1', () => {
    const engines = new FakeEngines();
    expect(() => new StudyScheduler(grid(1), { startRun: engines.startRun, parallel: 0 })).toThrow(/parallel must be a whole number of at least 1; got 0/);
    expect(() => new StudyScheduler(grid(1), { startRun: engines.startRun, parallel: 1.5 })).toThrow(RangeError);
  });
});
