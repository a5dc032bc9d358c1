// The built engine worker (out/main/worker.js, the file the app runs as a utility process) forked
// under Node and driven through the real supervisor on the real MNIST.
import { fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEngineSupervisor, type EngineSupervisor, type WorkerHandle } from '../../src/node/engine-supervisor';
import { defaultMnistDir } from '../../src/node/dataset-folder';
import { forkNodeWorker } from '../../src/node/fork-node';
import type { RunEvent } from '../../src/shared/lab-api';
import { PRESETS, type RunConfig } from '../../src/engine/training/run-config';

const workerPath = join(import.meta.dirname, '..', '..', 'out', 'main', 'worker.js');
const mnist = { dir: defaultMnistDir(), name: 'MNIST', id: 'mnist' };
// Long enough that no run ends on its own before the test stops it.
const config: RunConfig = { ...PRESETS.default, layers: [784, 32, 10], epochs: 50, batchSize: 32 };

/** Collects the supervisor's events and lets a test wait for one. */
class Events {
  readonly all: RunEvent[] = [];
  private waiters: { test: (e: RunEvent) => boolean; resolve: (e: RunEvent) => void }[] = [];
  push = (event: RunEvent): void => {
    this.all.push(event);
    this.waiters = this.waiters.filter((w) => !(w.test(event) && (w.resolve(event), true)));
  };
  next(test: (e: RunEvent) => boolean, timeoutMs = 60_000): Promise<RunEvent> {
    const seen = this.all.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching event within ${timeoutMs} ms; got ${this.all.map((e) => e.type).join(', ')}`)), timeoutMs);
      this.waiters.push({ test, resolve: (e) => (clearTimeout(timer), resolve(e)) });
    });
  }
}

let supervisor: EngineSupervisor | null = null;
afterEach(() => supervisor?.dispose());

beforeAll(() => {
  if (!existsSync(workerPath)) throw new Error(`${workerPath} is missing: run "npm run build" first (npm test does).`);
});

describe('the engine worker process', () => {
  it('trains for real: progress, pause, resume and stop, each acknowledged quickly', async () => {
    const events = new Events();
    // Two threads, as the app asks on a machine with two cores: the helper runs inside the process.
    supervisor = createEngineSupervisor({ fork: () => forkNodeWorker(workerPath), emit: events.push, threads: 2 });
    expect(supervisor.start(config, mnist)).toEqual({ ok: true });

    const started = await events.next((e) => e.type === 'started');
    expect(started).toMatchObject({
      type: 'started',
      runId: 1,
      batchesPerEpoch: 1875,
      dataset: { trainCount: 60_000, testCount: 10_000 },
      engine: { kernel: 'wasm-simd', threads: 2 },
    });
    const progress = await events.next((e) => e.type === 'progress');
    expect(progress.type === 'progress' && progress.points.length).toBeGreaterThan(0);

    let asked = performance.now();
    expect(supervisor.pause()).toEqual({ ok: true });
    await events.next((e) => e.type === 'paused');
    const pauseMs = performance.now() - asked;
    const countAtPause = events.all.length;
    await new Promise((r) => setTimeout(r, 300));
    // Paused means paused: nothing more arrives.
    expect(events.all.length).toBe(countAtPause);

    expect(supervisor.resume()).toEqual({ ok: true });
    await events.next((e) => e.type === 'resumed');
    const afterResume = events.all.length;
    await events.next((e) => e.type === 'progress' && events.all.indexOf(e) >= afterResume);
    // Throttled to what the eye needs: at most 20 progress messages a second (plus one at the edge).
    // An epoch's end also sends what is pending, at once, so that its points come before its
    // epoch event: those are not the throttle's (this small network ends an epoch in well under a
    // second), so a progress message just before an epoch event is not counted.
    const windowStart = events.all.length;
    await new Promise((r) => setTimeout(r, 1000));
    const window = events.all.slice(windowStart);
    const inWindow = window.filter((e) => e.type === 'progress');
    const throttled = window.filter((e, i) => e.type === 'progress' && window[i + 1]?.type !== 'epoch');
    expect(throttled.length).toBeLessThanOrEqual(21);
    expect(inWindow.length).toBeGreaterThan(0);

    asked = performance.now();
    expect(supervisor.stop()).toEqual({ ok: true });
    const finished = await events.next((e) => e.type === 'finished');
    const stopMs = performance.now() - asked;
    expect(finished).toMatchObject({ type: 'finished', runId: 1, reason: 'stopped' });
    expect(supervisor.running).toBe(false);
    // "About 100 ms" is the goal; a loaded 2-core CI machine gets generous room before this fails.
    console.log(`pause acknowledged in ${pauseMs.toFixed(0)} ms, stop in ${stopMs.toFixed(0)} ms`);
    expect(pauseMs).toBeLessThan(1000);
    expect(stopMs).toBeLessThan(1000);

    // Gathered into few messages, yet every iteration is there, in order.
    const points = events.all.flatMap((e) => (e.type === 'progress' ? e.points.map((p) => p.iteration) : []));
    expect(points).toEqual(Array.from({ length: points.length }, (_, i) => i + 1));
    expect(inWindow.reduce((n, e) => n + (e.type === 'progress' ? e.points.length : 0), 0)).toBeGreaterThan(inWindow.length);

    // The same worker takes the next run.
    expect(supervisor.start({ ...config, epochs: 1, layers: [784, 10] }, mnist)).toEqual({ ok: true });
    const done = await events.next((e) => e.type === 'finished' && e.runId === 2);
    expect(done).toMatchObject({ reason: 'completed' });
    expect((done as { testAccuracy: number }).testAccuracy).toBeGreaterThan(0.85);
  });

  // Linux only: it reads the process's resident memory from /proc (CI runs on Linux).
  it.skipIf(process.platform !== 'linux')('keeps its resident memory flat over run after run (one kernels instance, its buffers freed between models)', async () => {
    const child = fork(workerPath, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
    const residentMB = (): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]) / 1024;
    const finished = new Set<number>();
    child.on('message', (m) => {
      const event = m as { type: string; runId?: number };
      if (event.type === 'finished' || event.type === 'failed') finished.add(event.runId ?? -1);
    });
    const run = async (runId: number): Promise<void> => {
      child.send({ type: 'start', runId, config: { ...config, epochs: 1, batchSize: 64 }, dataset: mnist, kernel: 'auto', threads: 2 });
      await expect.poll(() => finished.has(runId), { timeout: 60_000, interval: 50 }).toBe(true);
    };
    try {
      await run(1);
      const afterFirst = residentMB();
      for (const runId of [2, 3, 4]) await run(runId);
      const afterFourth = residentMB();
      console.log(`engine worker resident: ${afterFirst.toFixed(0)} MB after one run, ${afterFourth.toFixed(0)} MB after four`);
      // A new WebAssembly memory a run (the training images copied into each) grew it by 50–60 MB
      // a run, collected late or not at all.
      expect(afterFourth - afterFirst).toBeLessThan(25);
    } finally {
      child.kill();
    }
  }, 120_000);

  it('rejects a malformed message with a reason and keeps serving', async () => {
    const child = fork(workerPath, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const messages: unknown[] = [];
    child.on('message', (m) => messages.push(m));
    try {
      child.send({ type: 'start', runId: 1, config: { ...config, learningRate: 'fast' }, dataset: mnist, kernel: 'auto' });
      child.send({ type: 'launch-missiles', runId: 1 });
      child.send({ type: 'stop', runId: 1 });
      await new Promise<void>((resolve) => {
        const check = setInterval(() => {
          // 'ready' follows kernel selection, which under a loaded machine can come after the refusals.
          const ready = messages.some((m) => (m as { type: string }).type === 'ready');
          if (ready && messages.filter((m) => (m as { type: string }).type === 'rejected').length === 3) {
            clearInterval(check);
            resolve();
          }
        }, 20);
      });
      expect(messages.filter((m) => (m as { type: string }).type === 'rejected')).toEqual([
        { type: 'rejected', message: 'Invalid run configuration: Learning rate must be a number above 0 and at most 1000000; got "fast".' },
        { type: 'rejected', message: 'Unknown command type "launch-missiles".' },
        { type: 'rejected', message: 'Run 1 is not running.' },
      ]);
      expect(messages).toContainEqual({ type: 'ready', kernel: 'wasm-simd' });
    } finally {
      child.kill();
    }
  });

  it('a bad dataset folder fails the run with the file named, and the worker lives on', async () => {
    const events = new Events();
    supervisor = createEngineSupervisor({ fork: () => forkNodeWorker(workerPath), emit: events.push });
    supervisor.start(config, { dir: join(import.meta.dirname, 'no-such-folder'), name: 'nothing', id: 'x' });
    const failed = await events.next((e) => e.type === 'failed');
    expect(failed.type === 'failed' && failed.message).toContain('no-such-folder');
    expect(supervisor.running).toBe(false);
    expect(events.all.some((e) => e.type === 'engine-crashed')).toBe(false);
  });

  it('a worker that dies mid-run is reported, and Start works again with a fresh process', async () => {
    const events = new Events();
    const handles: WorkerHandle[] = [];
    supervisor = createEngineSupervisor({
      fork: () => {
        const handle = forkNodeWorker(workerPath);
        handles.push(handle);
        return handle;
      },
      emit: events.push,
    });
    supervisor.start(config, mnist);
    await events.next((e) => e.type === 'progress');
    handles[0].kill();
    const crashed = await events.next((e) => e.type === 'engine-crashed');
    expect(crashed.type === 'engine-crashed' && crashed.message).toMatch(/^The training engine stopped unexpectedly \(killed by SIGTERM\); the run was lost\. Press Train to start again\.$/);
    expect(supervisor.running).toBe(false);

    expect(supervisor.start({ ...config, epochs: 1, layers: [784, 10] }, mnist)).toEqual({ ok: true });
    expect(handles).toHaveLength(2);
    await events.next((e) => e.type === 'finished' && e.runId === 2);
  });
});
