/**
 * The training loop's pace and its single steps: a paced run rests on a timer between batches
 * (the host keeps handling commands; no spinning), a new pace, a pause or a stop ends a rest at
 * once, and "Step one batch" trains exactly one minibatch of a paused run. None of it changes the
 * numbers: paced and stepped runs are bit-identical to one at full speed.
 */
import { describe, expect, it } from 'vitest';
import { jsKernels } from '../../src/engine/kernels/js';
import type { TrainingEvent } from '../../src/engine/training/events';
import { TrainingLoop } from '../../src/engine/training/loop';
import { createRun } from '../../src/engine/training/run';
import { PRESETS, type RunConfig } from '../../src/engine/training/run-config';
import { mnistSubset } from '../helpers/mnist';

// 400 images at batch 50: 8 batches an epoch.
const small: RunConfig = { ...PRESETS.default, layers: [784, 16, 10], epochs: 1, batchSize: 50, seed: 3 };
const data = mnistSubset(400, 100);

function sameBits(a: Float32Array, b: Float32Array): boolean {
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return ua.length === ub.length && ua.every((v, i) => v === ub[i]);
}

function reference() {
  const run = createRun(small, data, jsKernels);
  while (!run.training.done) run.training.step();
  return run.network.getWeights();
}

function loopOver(onEvent: (event: TrainingEvent, loop: TrainingLoop) => void = () => {}) {
  const run = createRun(small, data, jsKernels);
  const batchTimes: number[] = [];
  // When each batch starts: the pace is kept from batch start to batch start.
  const startTimes: number[] = [];
  const step = run.training.step.bind(run.training);
  run.training.step = () => {
    startTimes.push(performance.now());
    return step();
  };
  const loop: TrainingLoop = new TrainingLoop(run.training, (event) => {
    if (event.type === 'batch') batchTimes.push(performance.now());
    onEvent(event, loop);
  });
  return { run, loop, batchTimes, startTimes };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `condition` holds (the loop runs on timers; a loaded machine makes them late). */
async function until(condition: () => boolean): Promise<void> {
  const deadline = performance.now() + 20_000;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('timed out waiting');
    await sleep(5);
  }
}

describe('a paced training loop', () => {
  it('holds the run to its pace and trains the same numbers as at full speed', async () => {
    const { run, loop, batchTimes, startTimes } = loopOver();
    loop.setPace(40); // 25 ms a batch
    const started = performance.now();
    expect(await loop.run()).toBe('completed');
    const took = performance.now() - started;
    expect(batchTimes).toHaveLength(8);
    // Eight batches at 40 a second: seven rests of 25 ms between them at the least.
    expect(took).toBeGreaterThanOrEqual(7 * 25 - 2);
    // Measured from batch start to batch start, so a batch's own time does not add to the rest. (The
    // times of the batches' events, after each batch trained, differ by how long each took: on a
    // loaded machine the first batch took 14 ms longer than the last and the gap looked short.)
    expect(startTimes).toHaveLength(8);
    for (let i = 1; i < 8; i++) expect(startTimes[i] - startTimes[i - 1]).toBeGreaterThanOrEqual(25 - 2);
    const expected = reference();
    run.network.getWeights().forEach((layer, i) => expect(sameBits(layer.weights, expected[i].weights)).toBe(true));
  });

  it('rests on a timer: the process stays free (timers fire on time) and spends almost no CPU', async () => {
    const { loop } = loopOver((event, l) => {
      if (event.type === 'batch' && event.iteration === 1) l.setPace(0.5); // the next batch in 2 s
    });
    loop.setPace(1000);
    const done = loop.run();
    await sleep(50);
    const cpuBefore = process.cpuUsage();
    const lateness: number[] = [];
    for (let i = 0; i < 10; i++) {
      const asked = performance.now();
      await sleep(20);
      lateness.push(performance.now() - asked - 20);
    }
    const cpu = process.cpuUsage(cpuBefore);
    // 200 ms of waiting: a spinning loop would burn all of it (and delay every timer).
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(100);
    expect(Math.max(...lateness)).toBeLessThan(100);
    loop.cancel();
    expect(await done).toBe('cancelled');
  });

  it('a new pace ends the rest in progress: back to full speed finishes at once', async () => {
    const { loop, batchTimes } = loopOver();
    loop.setPace(0.5);
    const done = loop.run();
    await until(() => batchTimes.length === 1);
    loop.setPace(null);
    expect(await done).toBe('completed');
    expect(batchTimes).toHaveLength(8);
    // The next batch was 2 s away: it did not wait for it.
    expect(performance.now() - batchTimes[0]).toBeLessThan(1500);
  });

  it('pause and stop take effect during a rest, without waiting for it to end', async () => {
    const { loop, batchTimes } = loopOver();
    loop.setPace(0.5);
    const done = loop.run();
    await until(() => batchTimes.length === 1);
    loop.pause();
    expect(loop.isPaused).toBe(true);
    await sleep(30);
    loop.cancel();
    expect(await done).toBe('cancelled');
    // The next batch was 2 s away: it did not wait for it.
    expect(performance.now() - batchTimes[0]).toBeLessThan(1500);
    expect(batchTimes).toHaveLength(1);
  });
});

describe('stepping one batch of a paused run', () => {
  it('trains exactly one minibatch, reports it, changes the weights and stays paused', async () => {
    const { run, loop, batchTimes } = loopOver((event, l) => {
      if (event.type === 'batch' && event.iteration === 2) l.pause();
    });
    const done = loop.run();
    await until(() => run.training.iteration === 2);
    const before = run.network.getWeights();
    expect(loop.step()).toBe(true);
    expect(run.training.iteration).toBe(3);
    expect(batchTimes).toHaveLength(3);
    expect(sameBits(run.network.getWeights()[0].weights, before[0].weights)).toBe(false);
    await sleep(20);
    // Still paused: no batch trained on its own since.
    expect(loop.isPaused).toBe(true);
    expect(run.training.iteration).toBe(3);
    loop.resume();
    expect(await done).toBe('completed');
    // Stepped batches are the same batches: the run ends as an uninterrupted one does.
    const expected = reference();
    run.network.getWeights().forEach((layer, i) => expect(sameBits(layer.weights, expected[i].weights)).toBe(true));
  });

  it('refuses to step a run that is not paused, training nothing', async () => {
    const { run, loop } = loopOver();
    loop.setPace(0.5);
    const done = loop.run();
    await until(() => run.training.iteration === 1);
    expect(loop.step()).toBe(false);
    expect(run.training.iteration).toBe(1);
    loop.cancel();
    expect(await done).toBe('cancelled');
  });

  it('stepping the last batch ends the run as completed', async () => {
    const { run, loop } = loopOver((event, l) => {
      if (event.type === 'batch' && event.iteration === 7) l.pause();
    });
    const done = loop.run();
    await until(() => run.training.iteration === 7);
    expect(loop.step()).toBe(true);
    expect(run.training.done).toBe(true);
    expect(await done).toBe('completed');
    expect(loop.step()).toBe(false);
  });
});
