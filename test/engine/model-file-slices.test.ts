/**
 * The model file read and written in slices (src/engine/files/slices.ts): the sliced forms pause
 * (yield) between slices of a large model and give exactly what the whole-at-once forms give, and
 * the header-only reader says what a library list needs without the weights.
 */
import { describe, expect, it } from 'vitest';
import { decodeModel, decodeModelHeader, decodeModelInSlices, encodeModel, encodeModelInSlices, ModelFileError, type ModelHeaderInput } from '../../src/engine/files/model-file';
import { SLICE_LENGTH, type Sliced } from '../../src/engine/files/slices';
import { Rng } from '../../src/engine/nn/rng';
import type { NetworkWeights } from '../../src/engine/nn/weights';
import { PRESETS } from '../../src/engine/training/run-config';

const layers = [784, 300, 10];
const input: ModelHeaderInput = {
  name: 'Sliced',
  createdAt: '2025-01-02T03:04:05.678Z',
  appVersion: '0.1.0',
  config: { ...PRESETS.default, layers },
  dataset: { name: 'MNIST', rows: 28, cols: 28, classes: 10, trainCount: 60000, testCount: 10000 },
  history: [],
};

function makeWeights(seed: number): NetworkWeights {
  const rng = new Rng(seed);
  return layers.slice(1).map((outputs, i) => ({
    inputs: layers[i],
    outputs,
    weights: new Float32Array(layers[i] * outputs).map(() => rng.normal()),
    biases: new Float32Array(outputs).map(() => rng.normal()),
  }));
}

/** Runs a sliced computation to its end, counting its pauses. */
function run<T>(work: Sliced<T>): { value: T; pauses: number } {
  for (let pauses = 0; ; pauses++) {
    const step = work.next();
    if (step.done) return { value: step.value, pauses };
  }
}

const weights = makeWeights(3);
const floats = weights.reduce((n, w) => n + w.weights.length + w.biases.length, 0);

describe('the model file in slices', () => {
  it('encodes and decodes bit for bit what the whole-at-once forms do, pausing after every slice', () => {
    const encoded = run(encodeModelInSlices(input, weights));
    expect(encoded.value).toEqual(encodeModel(input, weights));
    // At least one pause for every slice of floats copied, of bytes checksummed, of numbers checked.
    expect(encoded.pauses).toBeGreaterThanOrEqual(Math.floor(floats / SLICE_LENGTH) * 3);
    const decoded = run(decodeModelInSlices(encoded.value, 'sliced.mlpmodel'));
    expect(decoded.pauses).toBeGreaterThanOrEqual(Math.floor(floats / SLICE_LENGTH) * 3);
    expect(decoded.value).toEqual(decodeModel(encoded.value, 'sliced.mlpmodel'));
    expect(decoded.value.weights.map((w) => [Array.from(w.weights), Array.from(w.biases)])).toEqual(weights.map((w) => [Array.from(w.weights), Array.from(w.biases)]));
  });

  it('decodes bytes that do not start 4-aligned in memory (each float through a DataView) to the same weights', () => {
    const bytes = encodeModel(input, weights);
    const shifted = new Uint8Array(bytes.length + 1).subarray(1);
    shifted.set(bytes);
    expect(shifted.byteOffset % 4).toBe(1);
    expect(decodeModel(shifted, 'shifted.mlpmodel')).toEqual(decodeModel(bytes, 'sliced.mlpmodel'));
  });

  it('reads the header alone, from the prefix and header bytes and the file size, with the length checks of a full read', () => {
    const bytes = encodeModel(input, weights);
    const headerEnd = 12 + new DataView(bytes.buffer).getUint32(8, true);
    const head = bytes.subarray(0, headerEnd);
    expect(decodeModelHeader(head, bytes.length, 'm.mlpmodel')).toEqual(decodeModel(bytes, 'm.mlpmodel').header);
    expect(() => decodeModelHeader(head, bytes.length - 8, 'm.mlpmodel')).toThrow(
      new ModelFileError('m.mlpmodel', `m.mlpmodel is truncated: it has ${bytes.length - 8} bytes, but its header describes ${bytes.length} (${Math.ceil(headerEnd / 4) * 4} up to the weights, ${4 * floats} of weights, 4 of checksum). The save may have been interrupted or the copy is incomplete.`),
    );
    expect(() => decodeModelHeader(head, bytes.length + 3, 'm.mlpmodel')).toThrow(/has 3 bytes after the end its header describes/);
    expect(() => decodeModelHeader(head.subarray(0, 20), bytes.length, 'm.mlpmodel')).toThrow(/too long to be read as a model's header/);
    const newer = Uint8Array.from(Buffer.from(Buffer.from(head).toString('latin1').replace('"formatVersion":1', '"formatVersion":2'), 'latin1'));
    expect(() => decodeModelHeader(newer, bytes.length, 'm.mlpmodel')).toThrow(/was saved by a newer MLP Lab \(format version 2\)/);
    expect(() => decodeModelHeader(new TextEncoder().encode('PK\u0003\u0004 a zip'), 10, 'a.zip')).toThrow(/is not an MLP Lab model file/);
  });
});
