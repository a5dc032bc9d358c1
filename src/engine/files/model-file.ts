import { crc32 } from './crc32';
import { describeNonFiniteWeights } from './finite-weights';
import type { EpochMetrics } from '../training/events';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, type LayerShape, type ModelDatasetInfo, type ModelHeader, type ModelHeaderInput } from './model-header';
import type { NetworkWeights } from '../nn/weights';
import { describeProblems, validateRunConfig } from '../training/run-config';

export { MODEL_FORMAT, MODEL_FORMAT_VERSION };
export type { LayerShape, ModelDatasetInfo, ModelHeader, ModelHeaderInput };

/**
 * The model file, format version 1: a trained network's weights together with where they came
 * from, to and from bytes.
 *
 *     offset   size   content
 *     0        8      magic: ASCII "MLPLAB" then two zero bytes (4d 4c 50 4c 41 42 00 00)
 *     8        4      H, the header's length in bytes: uint32, little-endian
 *     12       H      the header: UTF-8 JSON, a `ModelHeader`
 *     12+H     0–3    zero bytes, so the weights start at a multiple of 4
 *     P        4·N    the weights: float32, little-endian, layer by layer from the input:
 *                     W (inputs × outputs, row-major), then b (outputs)
 *     P+4·N    4      CRC-32 (IEEE, as zlib) of every byte before it: uint32, little-endian
 *
 * N = Σ (inputs·outputs + outputs) over the header's `layers`, so the file is exactly P + 4·N + 4
 * bytes long. The magic, the header length and the header's `format` and `formatVersion` are the
 * part every future version keeps; what follows the header may change with the version. The two
 * zero bytes in the magic make text tools treat the file as binary.
 */

/** The file's first 8 bytes. */
export const MODEL_MAGIC = new Uint8Array([0x4d, 0x4c, 0x50, 0x4c, 0x41, 0x42, 0x00, 0x00]);
const PREFIX_BYTES = 12;
const CHECKSUM_BYTES = 4;

/** A file that is not a readable MLP Lab model; the message names the file and says what is wrong. */
export class ModelFileError extends Error {
  /** The file (name or path) the bytes came from, as the caller gave it. */
  readonly fileName: string;

  constructor(fileName: string, message: string) {
    super(message);
    this.name = 'ModelFileError';
    this.fileName = fileName;
  }
}

/**
 * Serialises a model to the bytes of a format-1 model file. The weights must chain (each layer's
 * outputs are the next layer's inputs) and match `header.config.layers`; the config must be valid.
 */
export function encodeModel(header: ModelHeaderInput, weights: NetworkWeights): Uint8Array {
  const check = validateRunConfig(header.config);
  if (!check.ok) throw new Error(`Cannot save the model: its run configuration is invalid.\n${describeProblems(check.problems)}`);
  const layers = weights.map((w) => ({ inputs: w.inputs, outputs: w.outputs }));
  const shapes = checkLayers(layers, check.config.layers);
  if (typeof shapes === 'string') throw new Error(`Cannot save the model: ${shapes}.`);
  weights.forEach((w, i) => {
    if (w.weights.length !== w.inputs * w.outputs || w.biases.length !== w.outputs) {
      throw new Error(
        `Cannot save the model: layer ${i + 1} is ${w.inputs} → ${w.outputs} but has ${w.weights.length} weights and ${w.biases.length} biases.`,
      );
    }
  });

  const nonFinite = describeNonFiniteWeights(weights);
  if (nonFinite !== undefined) throw new Error(`Cannot save the model: its weights are no longer numbers (${nonFinite}); the training diverged.`);

  const full: ModelHeader = {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    name: header.name,
    createdAt: header.createdAt,
    appVersion: header.appVersion,
    config: check.config,
    layers,
    dataset: { ...header.dataset },
    testAccuracy: header.testAccuracy,
    history: header.history.map(copyMetrics),
  };
  const json = new TextEncoder().encode(JSON.stringify(full));
  const weightsStart = align4(PREFIX_BYTES + json.length);
  const total = weightsStart + 4 * parameterCount(layers) + CHECKSUM_BYTES;

  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  bytes.set(MODEL_MAGIC, 0);
  view.setUint32(8, json.length, true);
  bytes.set(json, PREFIX_BYTES);
  let offset = weightsStart;
  for (const layer of weights) {
    for (const values of [layer.weights, layer.biases]) {
      for (let i = 0; i < values.length; i++, offset += 4) view.setFloat32(offset, values[i], true);
    }
  }
  view.setUint32(offset, crc32(bytes.subarray(0, offset)), true);
  return bytes;
}

/**
 * Reads a model file, checking magic, version, length, checksum, header and shapes, and throws a
 * `ModelFileError` that says exactly what is wrong. The weights are fresh arrays, not views into
 * `bytes`.
 */
export function decodeModel(bytes: Uint8Array, fileName: string): { header: ModelHeader; weights: NetworkWeights } {
  checkMagic(bytes, fileName);
  const fail = (message: string): never => {
    throw new ModelFileError(fileName, `${fileName} ${message}`);
  };
  if (bytes.length < PREFIX_BYTES + CHECKSUM_BYTES) {
    fail(`is truncated: it has ${bytes.length} bytes, fewer than the ${PREFIX_BYTES + CHECKSUM_BYTES} that even an empty model file needs.`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerEnd = PREFIX_BYTES + view.getUint32(8, true);
  if (bytes.length < headerEnd + CHECKSUM_BYTES) {
    fail(`is truncated: it has ${bytes.length} bytes, but its ${headerEnd - PREFIX_BYTES}-byte header alone needs ${headerEnd + CHECKSUM_BYTES}.`);
  }
  const parsed = parseJson(bytes.subarray(PREFIX_BYTES, headerEnd));
  // A newer format may lay out everything after its header differently, so its sizes and checksum
  // cannot be judged by this version's rules: the version is checked first.
  if (parsed.ok) checkNotNewer(parsed.value, fail);

  const weightsStart = align4(headerEnd);
  const layers = parsed.ok && isRecord(parsed.value) ? checkLayers(parsed.value.layers, configLayers(parsed.value)) : undefined;
  checkIntegrity(bytes, view, weightsStart, Array.isArray(layers) ? 4 * parameterCount(layers) : undefined, fail);

  // From here on the bytes are exactly as they were written, so any fault is the header's own.
  if (!parsed.ok) return fail(`has an unreadable header: ${parsed.reason}.`);
  const header = readHeader(parsed.value, (problem) => fail(`has an invalid header: ${problem}.`));
  const total = weightsStart + 4 * parameterCount(header.layers) + CHECKSUM_BYTES;
  if (bytes.length !== total) fail(trailingMessage(bytes.length, total));

  let offset = weightsStart;
  const readFloats = (n: number): Float32Array => {
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++, offset += 4) values[i] = view.getFloat32(offset, true);
    return values;
  };
  const weights = header.layers.map(({ inputs, outputs }) => ({
    inputs,
    outputs,
    weights: readFloats(inputs * outputs),
    biases: readFloats(outputs),
  }));
  const nonFinite = describeNonFiniteWeights(weights);
  if (nonFinite !== undefined) fail(`holds weights that are not numbers (${nonFinite}), so it cannot predict anything; it was saved from a diverged run or edited.`);
  return { header, weights };
}

/**
 * What a model file's first bytes declare about its length, so a reader can read no more: `{ need }`
 * until the prefix and the whole header are in, then `{ total }` once the header's layers are
 * readable. Undefined when the bytes cannot tell (not a model, an unreadable header, a newer
 * format): `decodeModel` then says what is wrong.
 */
export function modelDeclaredLength(head: Uint8Array): { total: number } | { need: number } | undefined {
  if (head.length < PREFIX_BYTES) return { need: PREFIX_BYTES };
  if (!MODEL_MAGIC.every((b, i) => head[i] === b)) return undefined;
  const headerEnd = PREFIX_BYTES + new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(8, true);
  if (head.length < headerEnd) return { need: headerEnd };
  const parsed = parseJson(head.subarray(PREFIX_BYTES, headerEnd));
  if (!parsed.ok || !isRecord(parsed.value) || parsed.value.formatVersion !== MODEL_FORMAT_VERSION) return undefined;
  const layers = checkLayers(parsed.value.layers, configLayers(parsed.value));
  return Array.isArray(layers) ? { total: align4(headerEnd) + 4 * parameterCount(layers) + CHECKSUM_BYTES } : undefined;
}

/**
 * Refuses a file whose length or checksum is wrong. `weightBytes` is the size of the weights the
 * header describes, when the header is readable enough to say.
 */
function checkIntegrity(
  bytes: Uint8Array,
  view: DataView,
  weightsStart: number,
  weightBytes: number | undefined,
  fail: (message: string) => never,
): void {
  if (weightBytes !== undefined) {
    const expected = weightsStart + weightBytes + CHECKSUM_BYTES;
    // Length before checksum: a cut-off file fails its checksum too, but "truncated" says more.
    if (bytes.length < expected) {
      fail(
        `is truncated: it has ${bytes.length} bytes, but its header describes ${expected} ` +
          `(${weightsStart} up to the weights, ${weightBytes} of weights, ${CHECKSUM_BYTES} of checksum). ` +
          'The save may have been interrupted or the copy is incomplete.',
      );
    }
    // Intact up to where the header says the file ends: only the extra bytes are wrong.
    if (bytes.length > expected && storedChecksumMatches(bytes, view, expected)) fail(trailingMessage(bytes.length, expected));
  }
  if (!storedChecksumMatches(bytes, view, bytes.length)) {
    const stored = view.getUint32(bytes.length - CHECKSUM_BYTES, true);
    const actual = crc32(bytes.subarray(0, bytes.length - CHECKSUM_BYTES));
    fail(`is corrupted: checksum ${hex32(actual)} expected ${hex32(stored)}. Its bytes changed after it was saved; use another copy of the model.`);
  }
}

function checkMagic(bytes: Uint8Array, fileName: string): void {
  const start = bytes.subarray(0, MODEL_MAGIC.length);
  const matches = start.every((b, i) => b === MODEL_MAGIC[i]);
  if (matches && start.length === MODEL_MAGIC.length) return;
  if (matches) {
    throw new ModelFileError(fileName, `${fileName} is truncated: it has only ${bytes.length} bytes, fewer than a model file's ${MODEL_MAGIC.length}-byte signature.`);
  }
  const found = Array.from(start, (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new ModelFileError(
    fileName,
    `${fileName} is not an MLP Lab model file: a model file starts with "MLPLAB" (4d 4c 50 4c 41 42 00 00), this one with ${found}.`,
  );
}

function checkNotNewer(value: unknown, fail: (message: string) => never): void {
  if (!isRecord(value) || value.format !== MODEL_FORMAT) return;
  const version = value.formatVersion;
  if (typeof version === 'number' && version > MODEL_FORMAT_VERSION) {
    fail(
      `was saved by a newer MLP Lab (format version ${version}); this version reads version ${MODEL_FORMAT_VERSION} — update MLP Lab to open it.`,
    );
  }
}

/** Whether the 4 bytes before `end` are the CRC-32 of everything before them. */
function storedChecksumMatches(bytes: Uint8Array, view: DataView, end: number): boolean {
  return view.getUint32(end - CHECKSUM_BYTES, true) === crc32(bytes.subarray(0, end - CHECKSUM_BYTES));
}

function trailingMessage(length: number, expected: number): string {
  return (
    `has ${length - expected} bytes after the end its header describes (it has ${length} bytes, the model ends at ${expected}). ` +
    'Something was appended to it, or it is not the file that was saved.'
  );
}

type Parsed = { ok: true; value: unknown } | { ok: false; reason: string };

function parseJson(bytes: Uint8Array): Parsed {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, reason: 'it is not valid UTF-8 text' };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: `it is not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
}

/** The header's `config.layers` if it is an array of numbers, so layer shapes can be compared with it. */
function configLayers(header: Record<string, unknown>): number[] | undefined {
  const layers = isRecord(header.config) ? header.config.layers : undefined;
  return Array.isArray(layers) && layers.every((w) => typeof w === 'number') ? (layers as number[]) : undefined;
}

/**
 * The layer shapes if they are well-formed, chain, and agree with the config's widths (when
 * given); otherwise a sentence saying what is wrong.
 */
function checkLayers(value: unknown, widths: readonly number[] | undefined): LayerShape[] | string {
  if (!Array.isArray(value) || value.length === 0) return 'its list of layers is missing or empty';
  const layers: LayerShape[] = [];
  for (const [i, layer] of value.entries()) {
    if (!isRecord(layer) || !isCount(layer.inputs, 1) || !isCount(layer.outputs, 1)) {
      return `layer ${i + 1} needs whole-number inputs and outputs of at least 1, but is ${JSON.stringify(layer)}`;
    }
    layers.push({ inputs: layer.inputs, outputs: layer.outputs });
  }
  for (let i = 0; i + 1 < layers.length; i++) {
    if (layers[i].outputs !== layers[i + 1].inputs) {
      return `layer ${i + 1} gives ${layers[i].outputs} outputs but layer ${i + 2} takes ${layers[i + 1].inputs} inputs, so the layer shapes don't chain`;
    }
  }
  if (widths !== undefined) {
    const shapes = [layers[0].inputs, ...layers.map((l) => l.outputs)];
    if (shapes.length !== widths.length || shapes.some((w, i) => w !== widths[i])) {
      return `the layer shapes (${shapes.join('-')}) disagree with the run configuration's layers (${widths.join('-')})`;
    }
  }
  return layers;
}

/** Builds a clean `ModelHeader` from parsed JSON, or calls `fail` with the first problem. */
function readHeader(value: unknown, fail: (problem: string) => never): ModelHeader {
  if (!isRecord(value)) return fail('it is not a JSON object');
  if (value.format !== MODEL_FORMAT) fail(`its format is ${JSON.stringify(value.format)}, not "${MODEL_FORMAT}"`);
  if (value.formatVersion !== MODEL_FORMAT_VERSION) fail(`its format version is ${JSON.stringify(value.formatVersion)}, not a known version`);
  const check = validateRunConfig(value.config);
  if (!check.ok) return fail(`its run configuration is invalid (${describeProblems(check.problems).replace(/\n/g, ' ')})`);
  const layers = checkLayers(value.layers, check.config.layers);
  if (typeof layers === 'string') return fail(layers);
  const createdAt = typeof value.createdAt === 'string' ? value.createdAt : fail('its creation time (createdAt) is missing');
  const appVersion = typeof value.appVersion === 'string' ? value.appVersion : fail('its app version (appVersion) is missing');
  const history = Array.isArray(value.history) ? value.history : fail('its training history is missing');
  const header: ModelHeader = {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    createdAt,
    appVersion,
    config: check.config,
    layers,
    dataset: readDatasetInfo(value.dataset, fail),
    history: history.map((entry: unknown, i) => readMetrics(entry, i, fail)),
  };
  if (value.name !== undefined) header.name = typeof value.name === 'string' ? value.name : fail('its name is not text');
  if (value.testAccuracy !== undefined) {
    header.testAccuracy = isMetric(value.testAccuracy) ? metric(value.testAccuracy) : fail('its test accuracy is not a number');
  }
  return header;
}

function readDatasetInfo(value: unknown, fail: (problem: string) => never): ModelDatasetInfo {
  if (!isRecord(value) || typeof value.name !== 'string') return fail('its dataset description is missing');
  const count = (key: string): number =>
    isCount(value[key], 0) ? value[key] : fail(`its dataset's ${key} is ${JSON.stringify(value[key])}, not a whole number`);
  return {
    name: value.name,
    rows: count('rows'),
    cols: count('cols'),
    classes: count('classes'),
    trainCount: count('trainCount'),
    testCount: count('testCount'),
  };
}

function readMetrics(value: unknown, index: number, fail: (problem: string) => never): EpochMetrics {
  if (!isRecord(value)) return fail(`entry ${index + 1} of its training history is not an object`);
  const get = (key: string): number =>
    isMetric(value[key]) ? metric(value[key]) : fail(`entry ${index + 1} of its training history has no number for ${key}`);
  return {
    epoch: get('epoch'),
    trainLoss: get('trainLoss'),
    trainAccuracy: get('trainAccuracy'),
    testLoss: get('testLoss'),
    testAccuracy: get('testAccuracy'),
    seconds: get('seconds'),
    samplesPerSecond: get('samplesPerSecond'),
  };
}

/** Only the metric fields: an `EpochEvent` passed in keeps its `type` out of the file. */
function copyMetrics(m: EpochMetrics): EpochMetrics {
  return {
    epoch: m.epoch,
    trainLoss: m.trainLoss,
    trainAccuracy: m.trainAccuracy,
    testLoss: m.testLoss,
    testAccuracy: m.testAccuracy,
    seconds: m.seconds,
    samplesPerSecond: m.samplesPerSecond,
  };
}

function parameterCount(layers: readonly LayerShape[]): number {
  return layers.reduce((sum, { inputs, outputs }) => sum + inputs * outputs + outputs, 0);
}

function align4(n: number): number {
  // Arithmetic, not a bit mask: a corrupt header length can pass 2³¹.
  return Math.ceil(n / 4) * 4;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown, min: number): value is number {
  return Number.isInteger(value) && (value as number) >= min;
}

/** A stored metric: a number, or null where a non-finite number was written. */
function isMetric(value: unknown): value is number | null {
  return typeof value === 'number' || value === null;
}

function metric(value: number | null): number {
  return value === null ? Number.NaN : value;
}

function hex32(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
