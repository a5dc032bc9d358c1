// The built engine worker (out/main/worker.js) run as Electron runs it: through `process.parentPort`
// with Electron's copy rules (test/helpers/electron-parent-port.ts), driven by the real supervisor
// on the real MNIST. The other worker tests use Node's fork channel, which copies more kindly.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { wasmRelaxedSimdSupported, webAssembly } from '../../src/engine/kernels/wasm/loader';
import { createEngineSupervisor, type EngineSupervisor } from '../../src/node/engine-supervisor';
import { defaultMnistDir } from '../../src/node/dataset-folder';
import type { RunEvent } from '../../src/shared/lab-api';
import { PRESETS, type RunConfig } from '../../src/engine/training/run-config';
import { deserializeAsElectron, forkWithParentPort, serializeAsElectron, type ParentPortWorker } from '../helpers/electron-parent-port';

const workerPath = join(import.meta.dirname, '..', '..', 'out', 'main', 'worker.js');
const mnist = { dir: defaultMnistDir(), name: 'MNIST', id: 'mnist' };

let supervisor: EngineSupervisor | null = null;
afterEach(() => supervisor?.dispose());

beforeAll(() => {
  if (!existsSync(workerPath)) throw new Error(`${workerPath} is missing: run "npm run build" first (npm test does).`);
});

function waitFor(events: RunEvent[], test: (e: RunEvent) => boolean, timeoutMs = 90_000): Promise<RunEvent> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = (): void => {
      const found = events.find(test);
      const lost = events.find((e) => e.type === 'engine-crashed' || e.type === 'failed');
      if (found) resolve(found);
      else if (lost) reject(new Error(`the run was lost: ${JSON.stringify(lost)}`));
      else if (Date.now() - started > timeoutMs) reject(new Error(`no matching event; got ${events.map((e) => e.type).join(', ')}`));
      else setTimeout(poll, 20);
    };
    poll();
  });
}

function supervised(threads: 1 | 2): { events: RunEvent[]; handles: ParentPortWorker[] } {
  const events: RunEvent[] = [];
  const handles: ParentPortWorker[] = [];
  supervisor = createEngineSupervisor({
    fork: () => {
      const handle = forkWithParentPort(workerPath);
      handles.push(handle);
      return handle;
    },
    emit: (e) => events.push(e),
    threads,
  });
  return { events, handles };
}

describe("Electron's copy rules, as the emulation applies them", () => {
  it('refuse a SharedArrayBuffer, a view of one and a shared WebAssembly memory, as V8 does in Electron', () => {
    expect(() => serializeAsElectron({ weights: new Float32Array(new SharedArrayBuffer(16)) })).toThrow(/could not be cloned/);
    expect(() => serializeAsElectron(new SharedArrayBuffer(8))).toThrow(/could not be cloned/);
    const memory = new (webAssembly()!.Memory)({ initial: 1, maximum: 2, shared: true });
    expect(() => serializeAsElectron(new Float32Array(memory.buffer, 0, 4))).toThrow(/could not be cloned/);
  });

  it('ship a view with its whole buffer', () => {
    const big = new ArrayBuffer(1 << 20);
    const view = new Float32Array(big, 4096, 2);
    const bytes = serializeAsElectron({ view });
    expect(bytes.byteLength).toBeGreaterThan(1 << 20);
    const copy = deserializeAsElectron(bytes) as { view: Float32Array };
    expect(copy.view.buffer.byteLength).toBe(1 << 20);
    expect(copy.view.byteOffset).toBe(4096);
  });
});

describe('the engine worker through parentPort', () => {
  it('trains a whole run on two threads, answers snapshots while it trains, then evaluates and predicts', async () => {
    const { events, handles } = supervised(2);
    expect(await supervisor!.request({ kind: 'current-model' })).toEqual({ kind: 'current-model', model: null });
    const config: RunConfig = { ...PRESETS.default, layers: [784, 32, 10], epochs: 1, batchSize: 64 };
    expect(supervisor!.start(config, mnist)).toEqual({ ok: true });
    const started = await waitFor(events, (e) => e.type === 'started');
    // Fused multiply-add where the runtime has relaxed SIMD (Electron does; Node 20 without a flag does not).
    expect(started).toMatchObject({ engine: { kernel: 'wasm-simd', threads: 2, fusedMultiplyAdd: wasmRelaxedSimdSupported() }, batchesPerEpoch: 938 });

    await waitFor(events, (e) => e.type === 'progress');
    const snapshot = await supervisor!.request({ kind: 'current-model' });
    const weights = snapshot.model?.weights[0].weights;
    expect(weights).toBeInstanceOf(Float32Array);
    expect(weights?.length).toBe(784 * 32);
    // A copy of the layer, not a view into the kernels' memory: a view would carry the whole memory.
    expect(weights?.buffer.byteLength).toBeLessThan(4 * 784 * 32 * 2);

    const finished = await waitFor(events, (e) => e.type === 'finished');
    expect(finished).toMatchObject({ reason: 'completed' });
    expect((finished as { testAccuracy: number }).testAccuracy).toBeGreaterThan(0.9);
    const epochs = events.filter((e) => e.type === 'epoch');
    expect(epochs).toHaveLength(1);

    const { report } = await supervisor!.request({ kind: 'evaluate', dataset: mnist });
    expect(report.count).toBe(10_000);
    expect(report.probabilities).toBeInstanceOf(Float32Array);
    expect(report.probabilities.length).toBe(100_000);
    const predicted = await supervisor!.request({ kind: 'predict', pixels: new Float32Array(784).fill(0.1) });
    expect(predicted.probabilities).toHaveLength(10);
    expect(predicted.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    // Nothing the worker sent dragged a whole memory along: the biggest is the evaluation's 10 000 × 10 floats and labels.
    console.log(`largest message through parentPort: ${(Math.max(...handles[0].receivedBytes) / 1024).toFixed(0)} KiB`);
    expect(Math.max(...handles[0].receivedBytes)).toBeLessThan(1 << 20);
    expect(events.some((e) => e.type === 'failed' || e.type === 'engine-crashed')).toBe(false);
  });

  it('runs on one thread when asked, and a kill ends it as Electron reports one (exit code 0)', async () => {
    const { events, handles } = supervised(1);
    const exits: (number | null)[] = [];
    supervisor!.start({ ...PRESETS.default, layers: [784, 16, 10], epochs: 20, batchSize: 64 }, mnist);
    const started = await waitFor(events, (e) => e.type === 'started');
    expect(started).toMatchObject({ engine: { kernel: 'wasm-simd', threads: 1 } });
    await waitFor(events, (e) => e.type === 'progress');
    handles[0].onExit((code) => exits.push(code));
    handles[0].kill();
    const crashed = await waitFor(events, (e) => e.type === 'engine-crashed');
    expect(crashed.type === 'engine-crashed' && crashed.message).toContain('exit code 0');
    expect(exits).toEqual([0]);
  });
});
