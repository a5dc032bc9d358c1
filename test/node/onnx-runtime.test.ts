// ONNX export checked by a real runtime: models trained here on real MNIST are written as .onnx
// files and run by onnxruntime-node (Microsoft's ONNX Runtime, CPU), whose probabilities must match
// ours on 1 000 test images; the files read back in as the same model.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageSet } from '../../src/engine/training/dataset';
import { evaluate } from '../../src/engine/training/evaluate';
import { ONNX_OPSET } from '../../src/engine/files/onnx-graph';
import type { Kernels } from '../../src/engine/kernels/kernels';
import { selectKernels } from '../../src/engine/kernels/select';
import type { ModelHeader } from '../../src/engine/files/model-header';
import { Network } from '../../src/engine/nn/network';
import { createRun } from '../../src/engine/training/run';
import type { NetworkWeights } from '../../src/engine/nn/weights';
import { decodeOnnx } from '../../src/node/onnx/onnx-codec';
import { modelFromOnnxBytes, writeOnnxFile } from '../../src/node/onnx/onnx-file';
import { APP_VERSION } from '../../src/shared/app-version';
import { ACTIVATIONS, PRESETS, defaultInitFor, type ActivationName, type RunConfig } from '../../src/engine/training/run-config';
import { mnistSubset } from '../helpers/mnist';

const data = mnistSubset(12_000, 1_000);
let kernels: Kernels;
let dir: string;

beforeAll(async () => {
  kernels = await selectKernels('auto');
  dir = mkdtempSync(join(tmpdir(), 'mlp-onnx-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One epoch of 784-64-32-10 with `activation` on 12 000 MNIST images, as a saved model would have it. */
function trainModel(activation: ActivationName): { header: ModelHeader; weights: NetworkWeights } {
  const config: RunConfig = { ...PRESETS.default, layers: [784, 64, 32, 10], activation, init: defaultInitFor(activation), epochs: 1 };
  const run = createRun(config, data, kernels);
  while (!run.training.done) run.training.step();
  const history = [...run.training.history];
  const header: ModelHeader = {
    format: 'mlp-lab-model',
    formatVersion: 1,
    name: `onnx ${activation}`,
    createdAt: '2026-12-05T22:00:00.000Z',
    appVersion: APP_VERSION,
    config,
    layers: run.network.getWeights().map((w) => ({ inputs: w.inputs, outputs: w.outputs })),
    dataset: { name: data.name, rows: 28, cols: 28, classes: 10, trainCount: data.train.count, testCount: data.test.count },
    history,
    testAccuracy: history[0].testAccuracy,
  };
  return { header, weights: run.network.getWeights() };
}

/** Our probabilities for every image of `set`: count × 10. */
function ourProbabilities(config: RunConfig, weights: NetworkWeights, set: ImageSet): Float32Array {
  const network = new Network(config, kernels);
  network.setWeights(weights);
  return evaluate(network, set, 10, { keepProbabilities: true }).probabilities ?? new Float32Array();
}

/** The images as the ONNX input: float32 [count, 784], grey levels / 255. */
function imageTensor(set: ImageSet): ort.Tensor {
  return new ort.Tensor('float32', Float32Array.from(set.images, (v) => v / 255), [set.count, set.rows * set.cols]);
}

function argmax(values: Float32Array, row: number, classes: number): number {
  let best = 0;
  for (let c = 1; c < classes; c++) if (values[row * classes + c] > values[row * classes + best]) best = c;
  return best;
}

/** The largest |a − b| and how many rows' argmax differ. */
function compare(a: Float32Array, b: Float32Array, classes: number): { maxDiff: number; argmaxDisagree: number } {
  let maxDiff = 0;
  let argmaxDisagree = 0;
  for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
  for (let row = 0; row < a.length / classes; row++) if (argmax(a, row, classes) !== argmax(b, row, classes)) argmaxDisagree++;
  return { maxDiff, argmaxDisagree };
}

describe.each(ACTIVATIONS)('a %s model exported as ONNX', (activation) => {
  let model: { header: ModelHeader; weights: NetworkWeights };
  let path: string;

  beforeAll(() => {
    model = trainModel(activation);
    path = join(dir, `${activation}.onnx`);
    writeOnnxFile(path, model.header, model.weights, APP_VERSION);
  });

  it('runs in ONNX Runtime with the probabilities we compute, on 1 000 MNIST test images', async () => {
    const session = await ort.InferenceSession.create(path);
    expect(session.inputNames).toEqual(['image']);
    expect(session.outputNames).toEqual(['logits', 'probabilities']);
    const outputs = await session.run({ image: imageTensor(data.test) });
    const theirs = outputs.probabilities.data as Float32Array;
    expect(outputs.probabilities.dims).toEqual([1000, 10]);
    expect(outputs.logits.dims).toEqual([1000, 10]);

    const ours = ourProbabilities(model.header.config, model.weights, data.test);
    const { maxDiff, argmaxDisagree } = compare(ours, theirs, 10);
    expect(maxDiff).toBeLessThanOrEqual(1e-5);
    expect(argmaxDisagree).toBe(0);
    // A trained model, not a constant one: most of the 1 000 are right (sigmoid, slowest to
    // learn, gets about three quarters after this one short epoch; chance is a tenth).
    let right = 0;
    for (let i = 0; i < 1000; i++) if (argmax(theirs, i, 10) === data.test.labels[i]) right++;
    expect(right).toBeGreaterThan(600);
    // Both outputs agree with each other: probabilities are the softmax of the logits.
    const logits = outputs.logits.data as Float32Array;
    for (let i = 0; i < 10; i++) expect(argmax(logits, i, 10)).toBe(argmax(theirs, i, 10));
    await session.release();
  });

  it('is a standard graph of Gemm, the activation and Softmax, at the stated opset, with the provenance', () => {
    const onnx = decodeOnnx(readFileSync(path), `${activation}.onnx`);
    expect(onnx.opset).toBe(ONNX_OPSET);
    const op = { relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh' }[activation];
    expect(onnx.graph.nodes.map((n) => n.opType)).toEqual(['Gemm', op, 'Gemm', op, 'Gemm', 'Softmax']);
    expect(onnx.graph.inputs).toEqual([{ name: 'image', elemType: 1, shape: ['N', 784] }]);
    const metadata = Object.fromEntries(onnx.metadata.map(({ key, value }) => [key, value]));
    expect(metadata.architecture).toBe(`784-64-32-10 ${activation}`);
    expect(metadata.dataset).toContain(data.name);
    expect(Number(metadata.test_accuracy)).toBe(model.header.testAccuracy);
    expect(metadata.app_version).toBe(APP_VERSION);
  });

  it('imports back as the same network, weight for weight', () => {
    const imported = modelFromOnnxBytes(readFileSync(path), `${activation}.onnx`, { name: 'back', appVersion: APP_VERSION, createdAt: '2026-12-05T23:00:00.000Z' });
    expect(imported.header.config.layers).toEqual([784, 64, 32, 10]);
    expect(imported.header.config.activation).toBe(activation);
    expect(imported.header.testAccuracy).toBe(model.header.testAccuracy);
    imported.weights.forEach((layer, i) => {
      expect(layer.weights).toEqual(model.weights[i].weights);
      expect(layer.biases).toEqual(model.weights[i].biases);
    });
  });
});
