// Requests about the held model, sent through the real supervisor to the built worker
// (out/main/worker.js) forked under Node: weights cross the process boundary as Float32Arrays.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEngineSupervisor, type EngineSupervisor } from '../../src/node/engine-supervisor';
import { defaultMnistDir } from '../../src/node/dataset-folder';
import { forkNodeWorker } from '../../src/node/fork-node';
import type { RunEvent } from '../../src/shared/lab-api';
import { PRESETS, type RunConfig } from '../../src/engine/training/run-config';

const workerPath = join(import.meta.dirname, '..', '..', 'out', 'main', 'worker.js');
const mnist = { dir: defaultMnistDir(), name: 'MNIST', id: 'mnist' };
const config: RunConfig = { ...PRESETS.default, layers: [784, 16, 10], epochs: 30, batchSize: 32 };

let supervisor: EngineSupervisor | null = null;
afterEach(() => supervisor?.dispose());

beforeAll(() => {
  if (!existsSync(workerPath)) throw new Error(`${workerPath} is missing: run "npm run build" first (npm test does).`);
});

function waitFor(events: RunEvent[], test: (e: RunEvent) => boolean, timeoutMs = 60_000): Promise<RunEvent> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = (): void => {
      const found = events.find(test);
      if (found) resolve(found);
      else if (Date.now() - started > timeoutMs) reject(new Error(`no matching event; got ${events.map((e) => e.type).join(', ')}`));
      else setTimeout(poll, 20);
    };
    poll();
  });
}

describe('model requests to the forked worker', () => {
  it('snapshots change while training, then predict, evaluate and load-model answer', async () => {
    const events: RunEvent[] = [];
    supervisor = createEngineSupervisor({ fork: () => forkNodeWorker(workerPath), emit: (e) => events.push(e) });
    expect(await supervisor.request({ kind: 'current-model' })).toEqual({ kind: 'current-model', model: null });
    expect(supervisor.start(config, mnist)).toEqual({ ok: true });
    await waitFor(events, (e) => e.type === 'progress');

    const first = await supervisor.request({ kind: 'current-model' });
    await new Promise((r) => setTimeout(r, 300));
    const second = await supervisor.request({ kind: 'current-model' });
    const a = first.model?.weights[0].weights;
    const b = second.model?.weights[0].weights;
    expect(a).toBeInstanceOf(Float32Array);
    expect(a?.length).toBe(784 * 16);
    expect(b?.some((v, i) => v !== a?.[i])).toBe(true);

    const predicted = await supervisor.request({ kind: 'predict', pixels: new Float32Array(784).fill(0.1) });
    expect(predicted.probabilities).toHaveLength(10);
    await expect(supervisor.request({ kind: 'load-model', model: second.model! })).rejects.toThrow(/run is in progress/);

    expect(supervisor.stop()).toEqual({ ok: true });
    await waitFor(events, (e) => e.type === 'finished');
    await supervisor.request({ kind: 'load-model', model: { ...second.model!, source: 'library', name: 'Loaded' } });
    const loaded = await supervisor.request({ kind: 'current-model' });
    expect(loaded.model).toMatchObject({ source: 'library', name: 'Loaded' });
    const { report } = await supervisor.request({ kind: 'evaluate', dataset: mnist });
    expect(report.count).toBe(10_000);
    expect(report.probabilities).toBeInstanceOf(Float32Array);
    expect(report.labels).toBeInstanceOf(Uint8Array);
  });

  it('a request pending when the engine dies is refused, not left waiting', async () => {
    const handles: ReturnType<typeof forkNodeWorker>[] = [];
    supervisor = createEngineSupervisor({
      fork: () => {
        const handle = forkNodeWorker(workerPath);
        handles.push(handle);
        return handle;
      },
      emit: () => {},
    });
    const pending = supervisor.request({ kind: 'evaluate', dataset: mnist });
    handles[0].kill();
    await expect(pending).rejects.toThrow(/stopped before it answered/);
  });
});
