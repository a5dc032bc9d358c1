// Requests about the held model, answered by the engine host in process, and the protocol's
// strict parsing of them on both ends.
import { describe, expect, it } from 'vitest';
import { jsKernels } from '../../src/engine/kernels/js';
import { parseEngineCommand, parseWorkerEvent } from '../../src/shared/engine-protocol';
import type { EngineReply } from '../../src/shared/engine-requests';
import type { CurrentModel } from '../../src/shared/insight-api';
import { PRESETS, type RunConfig } from '../../src/engine/training/run-config';
import { engineHostHarness } from '../helpers/engine-host-harness';
import { mnistSubset } from '../helpers/mnist';

const config: RunConfig = { ...PRESETS.default, layers: [784, 16, 10], epochs: 1, batchSize: 20 };
const dataset = { dir: '/mnist', name: 'MNIST', id: 'mnist' };
const data = mnistSubset(600, 300);

const host = () => engineHostHarness(data, async () => jsKernels);

const valueOf = (reply: EngineReply) => {
  if (!reply.ok) throw new Error(reply.message);
  return reply.value;
};

describe('model requests (engine host in process)', () => {
  it('has no model before a run, and says so for questions that need one', async () => {
    const { ask } = host();
    expect(valueOf(await ask({ kind: 'current-model' }))).toEqual({ kind: 'current-model', model: null });
    expect(await ask({ kind: 'predict', pixels: new Float32Array(784) })).toMatchObject({ ok: false, message: /no model yet/ });
  });

  it('after a run: a copy of its weights, evaluation, activations and a prediction', async () => {
    const { engine, next, ask } = host();
    engine.receive({ type: 'start', runId: 1, config, dataset, kernel: 'js' });
    await next((e) => e.type === 'finished');
    const current = valueOf(await ask({ kind: 'current-model' }));
    if (current.kind !== 'current-model' || current.model === null) throw new Error('no model');
    const model = current.model;
    expect(model).toMatchObject({ source: 'training', name: null, config, dataset: { name: data.name, rows: 28, classes: 10, testCount: 300 } });
    expect(model.history).toHaveLength(1);
    expect(model.weights.map((w) => [w.inputs, w.outputs])).toEqual([[784, 16], [16, 10]]);
    // A copy: changing it changes nothing in the engine.
    model.weights[0].weights.fill(0);
    const again = valueOf(await ask({ kind: 'current-model' }));
    expect(again.kind === 'current-model' && again.model?.weights[0].weights.some((v) => v !== 0)).toBe(true);

    const evaluation = valueOf(await ask({ kind: 'evaluate', dataset }));
    if (evaluation.kind !== 'evaluate') throw new Error('wrong kind');
    const { report } = evaluation;
    expect(report.count).toBe(300);
    expect(report.labels).toEqual(data.test.labels);
    expect(report.probabilities).toHaveLength(3000);
    expect(report.confusion.flat().reduce((a, b) => a + b, 0)).toBe(300);
    expect(report.accuracy).toBeCloseTo(model.history[0].testAccuracy, 6);

    const activations = valueOf(await ask({ kind: 'activations', dataset }));
    if (activations.kind !== 'activations') throw new Error('wrong kind');
    expect(activations.batch).toBe(256);
    expect(activations.layers).toHaveLength(1);
    expect(activations.layers[0]).toMatchObject({ layer: 1, units: 16, saturatedFraction: null });
    expect(activations.layers[0].counts.reduce((a, b) => a + b, 0)).toBe(256 * 16);

    const image = Float32Array.from(data.test.images.subarray(0, 784), (p) => p / 255);
    const predicted = valueOf(await ask({ kind: 'predict', pixels: image }));
    if (predicted.kind !== 'predict') throw new Error('wrong kind');
    expect(predicted.probabilities).toHaveLength(10);
    expect(predicted.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    const best = predicted.probabilities.indexOf(Math.max(...predicted.probabilities));
    expect(best).toBe(report.predictions[0]);

    // One image's hidden outputs: unit j of layer 1 is relu(bias_j + Σ_p w_pj x_p), by hand.
    const hidden = valueOf(await ask({ kind: 'hidden-outputs', pixels: image }));
    if (hidden.kind !== 'hidden-outputs') throw new Error('wrong kind');
    expect(hidden.layers.map((l) => l.length)).toEqual([16]);
    // `model` was zeroed above to show it is a copy; take the engine's weights again.
    const fresh = valueOf(await ask({ kind: 'current-model' }));
    if (fresh.kind !== 'current-model' || fresh.model === null) throw new Error('no model');
    const first = fresh.model.weights[0];
    for (let j = 0; j < 16; j++) {
      let z = first.biases[j];
      for (let p = 0; p < 784; p++) z += first.weights[p * 16 + j] * image[p];
      expect(hidden.layers[0][j]).toBeCloseTo(Math.max(0, z), 4);
    }
    expect(hidden.probabilities).toEqual(predicted.probabilities);
    expect(await ask({ kind: 'hidden-outputs', pixels: new Float32Array(10) })).toMatchObject({ ok: false, message: /takes 784 pixels; the image has 10/ });
  });

  it('loads a model from the library, answers with its weights, and continues training from them', async () => {
    const { engine, next, ask, events } = host();
    const weights = [
      { inputs: 784, outputs: 16, weights: new Float32Array(784 * 16).fill(0.01), biases: new Float32Array(16) },
      { inputs: 16, outputs: 10, weights: new Float32Array(160).fill(-0.02), biases: new Float32Array(10).fill(0.5) },
    ];
    const history = [{ epoch: 1, trainLoss: 1, trainAccuracy: 0.5, testLoss: 1, testAccuracy: 0.5, seconds: 1, samplesPerSecond: 100 }];
    const model: CurrentModel = { source: 'library', name: 'Saved', config, weights, history, dataset: { name: 'MNIST', rows: 28, cols: 28, classes: 10, trainCount: 600, testCount: 300 } };
    expect(valueOf(await ask({ kind: 'load-model', model }))).toEqual({ kind: 'load-model' });
    const held = valueOf(await ask({ kind: 'current-model' }));
    expect(held.kind === 'current-model' && held.model).toMatchObject({ source: 'library', name: 'Saved', history });
    expect(held.kind === 'current-model' && held.model?.weights[1].biases[0]).toBe(0.5);

    // A different architecture cannot continue from it.
    engine.receive({ type: 'start', runId: 1, config: { ...config, layers: [784, 32, 10] }, dataset, kernel: 'js', fromCurrentModel: true });
    expect(await next((e) => e.type === 'failed')).toMatchObject({ runId: 1, message: /must stay 784 → 16 → 10/ });

    engine.receive({ type: 'start', runId: 2, config, dataset, kernel: 'js', fromCurrentModel: true });
    await next((e) => e.type === 'finished' && e.runId === 2);
    const continued = valueOf(await ask({ kind: 'current-model' }));
    if (continued.kind !== 'current-model' || continued.model === null) throw new Error('no model');
    expect(continued.model.source).toBe('training');
    // The earlier epoch stays in the history; the new one is numbered after it.
    expect(continued.model.history.map((m) => m.epoch)).toEqual([1, 2]);
    expect(events.some((e) => e.type === 'rejected')).toBe(false);
  });

  it('refuses a load while a run trains, and a malformed request gets a reply, not silence', async () => {
    const { engine, next, ask } = host();
    engine.receive({ type: 'start', runId: 1, config: { ...config, epochs: 20 }, dataset, kernel: 'js' });
    await next((e) => e.type === 'progress');
    const snapshot = valueOf(await ask({ kind: 'current-model' }));
    expect(snapshot.kind === 'current-model' && snapshot.model?.source).toBe('training');
    const model = snapshot.kind === 'current-model' ? snapshot.model : null;
    expect(await ask({ kind: 'load-model', model })).toMatchObject({ ok: false, message: /run is in progress/ });
    expect(await ask({ kind: 'predict', pixels: [0, 1] })).toMatchObject({ ok: false, message: /Float32Array/ });
    expect(await ask({ kind: 'predict', pixels: new Float32Array([2]) })).toMatchObject({ ok: false, message: /from 0 to 1/ });
    engine.receive({ type: 'stop', runId: 1 });
    await next((e) => e.type === 'finished');
  });
});

describe('request messages are parsed strictly on both ends', () => {
  const weights = [{ inputs: 784, outputs: 10, weights: new Float32Array(7840), biases: new Float32Array(10) }];
  const model = { source: 'library', name: 'm', config: { ...config, layers: [784, 10] }, weights, history: [], dataset: { name: 'MNIST', rows: 28, cols: 28, classes: 10, trainCount: 1, testCount: 1 } };

  it.each([
    [{ type: 'request', request: { kind: 'current-model' } }, /requestId/],
    [{ type: 'request', requestId: -1, request: { kind: 'current-model' } }, /requestId/],
    [{ type: 'request', requestId: 1, request: { kind: 'weights-please' } }, /Unknown request kind/],
    [{ type: 'request', requestId: 1, request: { kind: 'evaluate' } }, /needs a dataset/],
    [{ type: 'request', requestId: 1, request: { kind: 'evaluate', dataset: { dir: '', name: 'x', id: 'x' } } }, /needs a dataset/],
    [{ type: 'request', requestId: 1, request: { kind: 'predict', pixels: new Float64Array(784) } }, /Float32Array/],
    [{ type: 'request', requestId: 1, request: { kind: 'hidden-outputs', pixels: new Float32Array([0.5, Number.NaN]) } }, /"hidden-outputs" needs pixels/],
    [{ type: 'request', requestId: 1, request: { kind: 'load-model', model: { ...model, weights: [{ ...weights[0], biases: new Float32Array(3) }] } } }, /10 biases/],
    [{ type: 'request', requestId: 1, request: { kind: 'load-model', model: { ...model, config: { ...model.config, layers: [784, 20, 10] } } } }, /configuration says 784→20→10/],
    [{ type: 'request', requestId: 1, request: { kind: 'load-model', model: { ...model, source: 'disk' } } }, /source/],
    [{ type: 'start', runId: 1, config, dataset, kernel: 'js', fromCurrentModel: 'yes' }, /fromCurrentModel/],
  ])('refuses command %#', (command, message) => {
    const parsed = parseEngineCommand(command);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(message);
  });

  it('accepts well-formed requests', () => {
    expect(parseEngineCommand({ type: 'request', requestId: 7, request: { kind: 'load-model', model } })).toMatchObject({ ok: true, value: { requestId: 7 } });
    expect(parseEngineCommand({ type: 'start', runId: 1, config, dataset, kernel: 'js', fromCurrentModel: true })).toMatchObject({ ok: true, value: { fromCurrentModel: true } });
  });

  it.each([
    [{ type: 'reply', ok: true, value: { kind: 'load-model' } }, /request id/],
    [{ type: 'reply', requestId: 1, value: { kind: 'load-model' } }, /ok: true or false/],
    [{ type: 'reply', requestId: 1, ok: false }, /no message/],
    [{ type: 'reply', requestId: 1, ok: true, value: { kind: 'predict', probabilities: 'high' } }, /prediction/],
    [{ type: 'reply', requestId: 1, ok: true, value: { kind: 'hidden-outputs', layers: [[0.5]], probabilities: [1] } }, /hidden outputs/],
    [{ type: 'reply', requestId: 1, ok: true, value: { kind: 'evaluate', report: { count: 2, classes: 10, labels: [0, 1] } } }, /evaluation/],
    [{ type: 'reply', requestId: 1, ok: true, value: { kind: 'current-model', model: { ...model, weights: [] } } }, /malformed/],
  ])('refuses reply %#', (reply, message) => {
    const parsed = parseWorkerEvent(reply);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(message);
  });

  it('accepts well-formed replies', () => {
    expect(parseWorkerEvent({ type: 'reply', requestId: 3, ok: false, message: 'no' })).toEqual({ ok: true, value: { type: 'reply', requestId: 3, ok: false, message: 'no' } });
    expect(parseWorkerEvent({ type: 'reply', requestId: 3, ok: true, value: { kind: 'current-model', model } })).toMatchObject({ ok: true, value: { value: { model: { name: 'm' } } } });
  });
});
