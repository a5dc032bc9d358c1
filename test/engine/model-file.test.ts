import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { EpochMetrics } from '../../src/engine/training/events';
import { decodeModel, encodeModel, ModelFileError, type ModelHeaderInput } from '../../src/engine/files/model-file';
import { Rng } from '../../src/engine/nn/rng';
import type { NetworkWeights } from '../../src/engine/nn/weights';
import { PRESETS, type RunConfig } from '../../src/engine/training/run-config';
import { concat } from '../helpers/idx-bytes';

const FILE = 'digits.mlpmodel';
const MAGIC = [0x4d, 0x4c, 0x50, 0x4c, 0x41, 0x42, 0x00, 0x00];

const config: RunConfig = { ...PRESETS.default, layers: [6, 5, 4, 3], seed: 7 };

const metrics: EpochMetrics[] = [
  { epoch: 1, trainLoss: 1.25, trainAccuracy: 0.5, testLoss: 1.0, testAccuracy: 0.625, seconds: 1.5, samplesPerSecond: 4000 },
  { epoch: 2, trainLoss: 0.75, trainAccuracy: 0.75, testLoss: 0.5, testAccuracy: 0.875, seconds: 1.25, samplesPerSecond: 4800 },
];

const input: ModelHeaderInput = {
  name: 'Tiny net',
  createdAt: '2025-01-02T03:04:05.678Z',
  appVersion: '0.1.0',
  config,
  dataset: { name: 'MNIST', rows: 3, cols: 2, classes: 3, trainCount: 60, testCount: 10 },
  history: metrics,
  testAccuracy: 0.875,
};

/** Values a float32 file must keep bit for bit: signed zeros, subnormals, extremes. */
const SPECIAL = [0, -0, 1.401298464324817e-45, -1.401298464324817e-45, 1.1754943508222875e-38, 3.4028234663852886e38, -3.4028234663852886e38, 1, -1];

function makeWeights(widths: number[], seed: number): NetworkWeights {
  const rng = new Rng(seed);
  const weights: NetworkWeights = [];
  let special = 0;
  for (let i = 0; i + 1 < widths.length; i++) {
    const [inputs, outputs] = [widths[i], widths[i + 1]];
    const w = new Float32Array(inputs * outputs).map(() => rng.normal() * 10 ** rng.int(20) * 1e-10);
    const b = new Float32Array(outputs).map(() => rng.uniformIn(-1, 1));
    // Spread the special values over every layer's weights and biases.
    w[0] = SPECIAL[special++ % SPECIAL.length];
    w[w.length - 1] = SPECIAL[special++ % SPECIAL.length];
    b[0] = SPECIAL[special++ % SPECIAL.length];
    weights.push({ inputs, outputs, weights: w, biases: b });
  }
  return weights;
}

const weights = makeWeights(config.layers, 1);
const valid = encodeModel(input, weights);

/** The header JSON and the float32 payload of a file, read independently of the decoder. */
function partsOf(bytes: Uint8Array): { header: Record<string, unknown>; floats: number[] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + length))) as Record<string, unknown>;
  const floats: number[] = [];
  for (let o = Math.ceil((12 + length) / 4) * 4; o < bytes.length - 4; o += 4) floats.push(view.getFloat32(o, true));
  return { header, floats };
}

/** An independent writer of the documented layout, with node's own CRC-32, for crafting files. */
function assemble(headerText: string, floats: number[]): Uint8Array {
  const json = new TextEncoder().encode(headerText);
  const start = Math.ceil((12 + json.length) / 4) * 4;
  const bytes = new Uint8Array(start + 4 * floats.length + 4);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  view.setUint32(8, json.length, true);
  bytes.set(json, 12);
  floats.forEach((f, i) => view.setFloat32(start + 4 * i, f, true));
  view.setUint32(bytes.length - 4, zlibCrc32(bytes.subarray(0, bytes.length - 4)), true);
  return bytes;
}

/** The valid file with its header changed and a correct checksum, so only the change is wrong. */
function patched(patch: (header: Record<string, unknown>) => void, floats?: number[]): Uint8Array {
  const parts = partsOf(valid);
  patch(parts.header);
  return assemble(JSON.stringify(parts.header), floats ?? parts.floats);
}

function refusal(bytes: Uint8Array): string {
  try {
    decodeModel(bytes, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).fileName).toBe(FILE);
    expect((error as Error).message).toContain(FILE);
    return (error as Error).message;
  }
  throw new Error('expected a ModelFileError');
}

function bits(values: Float32Array): number[] {
  return Array.from(new Uint32Array(values.slice().buffer));
}

function flipped(bytes: Uint8Array, offset: number): Uint8Array {
  const copy = bytes.slice();
  copy[offset] ^= 0x01;
  return copy;
}

describe('model file layout', () => {
  it('is magic, header length, JSON header, padding, float32 weights and a CRC-32', () => {
    const view = new DataView(valid.buffer);
    expect(Array.from(valid.subarray(0, 8))).toEqual(MAGIC);
    const length = view.getUint32(8, true);
    const start = Math.ceil((12 + length) / 4) * 4;
    expect(Array.from(valid.subarray(12 + length, start)).every((b) => b === 0)).toBe(true);
    const parameters = 6 * 5 + 5 + 5 * 4 + 4 + 4 * 3 + 3;
    expect(valid.length).toBe(start + 4 * parameters + 4);
    expect(view.getFloat32(start, true)).toBe(weights[0].weights[0]);
    expect(view.getFloat32(start + 4 * 30, true)).toBe(weights[0].biases[0]);
    expect(view.getUint32(valid.length - 4, true)).toBe(zlibCrc32(valid.subarray(0, valid.length - 4)));
    const { header } = partsOf(valid);
    expect(header.format).toBe('mlp-lab-model');
    expect(header.formatVersion).toBe(1);
    expect(header.layers).toEqual([
      { inputs: 6, outputs: 5 },
      { inputs: 5, outputs: 4 },
      { inputs: 4, outputs: 3 },
    ]);
  });
});

describe('decodeModel round trip', () => {
  it('gives back every header field', () => {
    const { header } = decodeModel(valid, FILE);
    expect(header).toEqual({
      format: 'mlp-lab-model',
      formatVersion: 1,
      ...input,
      layers: [
        { inputs: 6, outputs: 5 },
        { inputs: 5, outputs: 4 },
        { inputs: 4, outputs: 3 },
      ],
    });
  });

  it('gives back every weight bit for bit, including ±0, subnormals and extremes', () => {
    const decoded = decodeModel(valid, FILE).weights;
    expect(decoded.length).toBe(weights.length);
    decoded.forEach((layer, i) => {
      expect(layer.inputs).toBe(weights[i].inputs);
      expect(layer.outputs).toBe(weights[i].outputs);
      expect(bits(layer.weights)).toEqual(bits(weights[i].weights));
      expect(bits(layer.biases)).toEqual(bits(weights[i].biases));
    });
    expect(Object.is(decoded[0].weights[0], 0)).toBe(true);
    expect(Object.is(decoded[0].weights[decoded[0].weights.length - 1], -0)).toBe(true);
    expect(decoded[0].biases[0]).toBe(1.401298464324817e-45);
  });

  it('returns fresh arrays, not views into the file', () => {
    const bytes = valid.slice();
    const decoded = decodeModel(bytes, FILE).weights;
    for (const layer of decoded) {
      for (const values of [layer.weights, layer.biases]) {
        expect(values.buffer).not.toBe(bytes.buffer);
        expect(values.byteOffset).toBe(0);
        expect(values.buffer.byteLength).toBe(values.byteLength);
      }
    }
    const before = decoded[1].weights[0];
    bytes.fill(0xff);
    expect(decoded[1].weights[0]).toBe(before);
  });

  it('reads a file that sits inside a larger buffer', () => {
    const inside = concat(new Uint8Array(3), valid, new Uint8Array(5)).subarray(3, 3 + valid.length);
    expect(bits(decodeModel(inside, FILE).weights[2].biases)).toEqual(bits(weights[2].biases));
  });

  it('leaves out the optional name and test accuracy when not given', () => {
    const { name: _name, testAccuracy: _accuracy, ...bare } = input;
    const { header } = decodeModel(encodeModel(bare, weights), FILE);
    expect('name' in header).toBe(false);
    expect('testAccuracy' in header).toBe(false);
  });

  it('reads a non-finite metric back as NaN', () => {
    const history = [{ ...metrics[0], testLoss: Number.POSITIVE_INFINITY, trainLoss: Number.NaN }];
    const { header } = decodeModel(encodeModel({ ...input, history }, weights), FILE);
    expect(header.history[0].testLoss).toBeNaN();
    expect(header.history[0].trainLoss).toBeNaN();
    expect(header.history[0].testAccuracy).toBe(metrics[0].testAccuracy);
  });

  it('keeps only the metric fields of history entries', () => {
    const events = metrics.map((m) => ({ ...m, type: 'epoch' as const }));
    expect(decodeModel(encodeModel({ ...input, history: events }, weights), FILE).header.history).toEqual(metrics);
  });

  it('round-trips a header with non-ASCII text', () => {
    const name = 'Modèle ✓ 数字 🧠';
    expect(decodeModel(encodeModel({ ...input, name }, weights), FILE).header.name).toBe(name);
  });
});

describe('decodeModel refuses', () => {
  it('a file that is not a model file', () => {
    const png = concat(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), valid.subarray(8));
    expect(refusal(png)).toMatch(/is not an MLP Lab model file.*"MLPLAB".*89 50 4e 47 0d 0a 1a 0a/);
    expect(refusal(new TextEncoder().encode('hello'))).toMatch(/not an MLP Lab model file/);
  });

  it('a file truncated at any point, with the byte counts', () => {
    const length = new DataView(valid.buffer).getUint32(8, true);
    expect(refusal(valid.subarray(0, 0))).toMatch(/is truncated: it has only 0 bytes/);
    expect(refusal(valid.subarray(0, 5))).toMatch(/is truncated: it has only 5 bytes/);
    expect(refusal(valid.subarray(0, 10))).toMatch(/is truncated: it has 10 bytes, fewer than the 16/);
    expect(refusal(valid.subarray(0, 12 + 20))).toMatch(new RegExp(`is truncated: it has 32 bytes, but its ${length}-byte header alone needs ${12 + length + 4}`));
    for (const cut of [12 + length + 4, valid.length - 100, valid.length - 4, valid.length - 1]) {
      expect(refusal(valid.subarray(0, cut))).toMatch(new RegExp(`is truncated: it has ${cut} bytes, but its header describes ${valid.length}`));
    }
  });

  it('a flipped byte in the weights, by its checksum', () => {
    expect(refusal(flipped(valid, valid.length - 50))).toMatch(/is corrupted: checksum 0x[0-9a-f]{8} expected 0x[0-9a-f]{8}/);
  });

  it('a flipped byte in the checksum itself', () => {
    expect(refusal(flipped(valid, valid.length - 1))).toMatch(/is corrupted: checksum/);
  });

  it('a flipped byte anywhere in the header, by its checksum', () => {
    const text = new TextDecoder().decode(valid.subarray(12, 12 + new DataView(valid.buffer).getUint32(8, true)));
    const at = (needle: string): number => 12 + text.indexOf(needle);
    // In a string, in the JSON syntax, in a layer width, in the config's widths.
    for (const offset of [at('Tiny net') + 1, at('{'), at('"outputs":5') + 10, at('"layers":[6') + 10]) {
      expect(refusal(flipped(valid, offset))).toMatch(/is corrupted: checksum/);
    }
  });

  it('a file saved by a newer format version, even with a layout this version cannot read', () => {
    const message = /was saved by a newer MLP Lab \(format version 2\); this version reads version 1 — update MLP Lab/;
    expect(refusal(patched((h) => (h.formatVersion = 2)))).toMatch(message);
    expect(refusal(patched((h) => (h.formatVersion = 2), []))).toMatch(message);
  });

  it('layer shapes that do not chain', () => {
    const floats = new Array(6 * 5 + 5 + 4 * 4 + 4 + 4 * 3 + 3).fill(0.5);
    const bytes = patched((h) => {
      h.layers = [
        { inputs: 6, outputs: 5 },
        { inputs: 4, outputs: 4 },
        { inputs: 4, outputs: 3 },
      ];
    }, floats);
    expect(refusal(bytes)).toMatch(/has an invalid header: layer 1 gives 5 outputs but layer 2 takes 4 inputs, so the layer shapes don't chain/);
  });

  it('layer shapes that disagree with the config', () => {
    const floats = new Array(6 * 5 + 5 + 5 * 3 + 3).fill(0.5);
    const bytes = patched((h) => {
      h.layers = [
        { inputs: 6, outputs: 5 },
        { inputs: 5, outputs: 3 },
      ];
    }, floats);
    expect(refusal(bytes)).toMatch(/layer shapes \(6-5-3\) disagree with the run configuration's layers \(6-5-4-3\)/);
  });

  it('trailing bytes after the checksum', () => {
    expect(refusal(concat(valid, new Uint8Array([1, 2, 3])))).toMatch(/has 3 bytes after the end its header describes/);
  });

  it('a header that describes fewer weights than the file holds, with a correct checksum', () => {
    const { floats } = partsOf(valid);
    expect(refusal(assemble(JSON.stringify(partsOf(valid).header), [...floats, 1, 2]))).toMatch(/has 8 bytes after the end its header describes/);
  });

  it('a header that is not JSON, with a correct checksum', () => {
    expect(refusal(assemble('{"format": "mlp-lab-model",', []))).toMatch(/has an unreadable header: it is not valid JSON/);
    expect(refusal(assemble('', []))).toMatch(/has an unreadable header/);
  });

  it('a header that is not UTF-8, with a correct checksum', () => {
    const bytes = assemble('{}', []);
    bytes[12] = 0xff;
    new DataView(bytes.buffer).setUint32(bytes.length - 4, zlibCrc32(bytes.subarray(0, bytes.length - 4)), true);
    expect(refusal(bytes)).toMatch(/unreadable header: it is not valid UTF-8/);
  });

  it('a header config that fails validation', () => {
    expect(refusal(patched((h) => ((h.config as RunConfig).learningRate = -1)))).toMatch(/has an invalid header: its run configuration is invalid \(Learning rate must be/);
  });

  it('a header with the wrong format or missing fields', () => {
    expect(refusal(patched((h) => (h.format = 'something-else')))).toMatch(/its format is "something-else"/);
    expect(refusal(patched((h) => delete h.createdAt))).toMatch(/createdAt\) is missing/);
    expect(refusal(patched((h) => delete h.dataset))).toMatch(/dataset description is missing/);
    expect(refusal(patched((h) => (h.history = [{ epoch: 1 }])))).toMatch(/entry 1 of its training history has no number for trainLoss/);
  });
});

describe('encodeModel refuses', () => {
  it('weights that disagree with the config', () => {
    expect(() => encodeModel({ ...input, config: { ...config, layers: [6, 5, 3] } }, weights)).toThrow(/Cannot save the model: the layer shapes \(6-5-4-3\) disagree/);
  });

  it('weight arrays of the wrong length', () => {
    const bad = weights.map((w, i) => (i === 1 ? { ...w, biases: new Float32Array(2) } : w));
    expect(() => encodeModel(input, bad)).toThrow(/layer 2 is 5 → 4 but has 20 weights and 2 biases/);
  });

  it('an invalid config', () => {
    expect(() => encodeModel({ ...input, config: { ...config, batchSize: 0 } }, weights)).toThrow(/Cannot save the model: its run configuration is invalid/);
  });
});

describe('non-finite weights', () => {
  // Layers 6→5 (30 weights, 5 biases), 5→4 (20, 4), 4→3: index 35 is layer 2's first weight.
  const withValue = (index: number, value: number): number[] => partsOf(valid).floats.map((f, i) => (i === index ? value : f));

  it('are refused on load with a valid checksum, the message naming the layer and place', () => {
    expect(refusal(patched(() => {}, withValue(35 + 7, Number.NaN)))).toMatch(/layer 2 \(5 → 4\): weight \[1, 3\] is NaN/);
    expect(refusal(patched(() => {}, withValue(32, Number.POSITIVE_INFINITY)))).toMatch(/layer 1 \(6 → 5\): bias 2 is Infinity/);
    expect(refusal(patched(() => {}, withValue(0, Number.NEGATIVE_INFINITY)))).toMatch(/weights that are not numbers \(layer 1 \(6 → 5\): weight \[0, 0\] is -Infinity\)/);
  });

  it('are never saved: a model that diverged stays unsaved', () => {
    const diverged = weights.map((w, i) => (i === 2 ? { ...w, biases: new Float32Array([0, Number.NaN, 0]) } : w));
    expect(() => encodeModel(input, diverged)).toThrow(/Cannot save the model: its weights are no longer numbers \(layer 3 \(4 → 3\): bias 1 is NaN\)/);
  });
});
