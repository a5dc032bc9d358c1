import { crc32InSlices } from './crc32';
import { describeNonFiniteWeightsInSlices } from './finite-weights';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, type LayerShape, type ModelDatasetInfo, type ModelHeader, type ModelHeaderInput } from './model-header';
import { align4, checkLayers, configLayers, copyMetrics, isRecord, parameterCount, parseJson, readHeader } from './model-header-json';
import { runToEnd, SLICE_LENGTH, type Sliced } from './slices';
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
  return runToEnd(encodeModelInSlices(header, weights));
}

/** `encodeModel`, pausing after each slice of work (see slices.ts). */
export function* encodeModelInSlices(header: ModelHeaderInput, weights: NetworkWeights): Sliced<Uint8Array> {
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

  const nonFinite = yield* describeNonFiniteWeightsInSlices(weights);
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
      yield* copyFloats(values, bytes, offset, 'to bytes');
      offset += 4 * values.length;
    }
  }
  view.setUint32(offset, yield* crc32InSlices(bytes.subarray(0, offset)), true);
  return bytes;
}

/**
 * Reads a model file, checking magic, version, length, checksum, header and shapes, and throws a
 * `ModelFileError` that says exactly what is wrong. The weights are fresh arrays, not views into
 * `bytes`.
 */
export function decodeModel(bytes: Uint8Array, fileName: string): DecodedModel {
  return runToEnd(decodeModelInSlices(bytes, fileName));
}

/** A model as its file holds it: the header and fresh weight arrays. */
export interface DecodedModel {
  header: ModelHeader;
  weights: NetworkWeights;
}

/** `decodeModel`, pausing after each slice of work (see slices.ts): the same checks, the same errors. */
export function decodeModelInSlices(bytes: Uint8Array, fileName: string): Sliced<DecodedModel> {
  return decodeInSlices(bytes, fileName, true);
}

/**
 * Every check of `decodeModel` (checksum, header, shapes, finite weights), without copying the
 * weights out where the machine can read them in place: for passing a file on unchanged (import,
 * export). Returns the header.
 */
export function* verifyModelInSlices(bytes: Uint8Array, fileName: string): Sliced<ModelHeader> {
  return (yield* decodeInSlices(bytes, fileName, false)).header;
}

/** The model in `bytes`; with `copy` false its weights may be views into `bytes`, for checking only. */
function* decodeInSlices(bytes: Uint8Array, fileName: string, copy: boolean): Sliced<DecodedModel> {
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
  yield* checkIntegrity(bytes, view, weightsStart, Array.isArray(layers) ? 4 * parameterCount(layers) : undefined, fail);

  // From here on the bytes are exactly as they were written, so any fault is the header's own.
  if (!parsed.ok) return fail(`has an unreadable header: ${parsed.reason}.`);
  const header = readHeader(parsed.value, (problem) => fail(`has an invalid header: ${problem}.`));
  const total = weightsStart + 4 * parameterCount(header.layers) + CHECKSUM_BYTES;
  if (bytes.length !== total) fail(trailingMessage(bytes.length, total));

  let offset = weightsStart;
  function* readFloats(n: number): Sliced<Float32Array> {
    const start = bytes.byteOffset + offset;
    if (!copy && LITTLE_ENDIAN && start % 4 === 0) {
      offset += 4 * n;
      return new Float32Array(bytes.buffer, start, n);
    }
    const values = new Float32Array(n);
    yield* copyFloats(values, bytes, offset, 'from bytes');
    offset += 4 * n;
    return values;
  }
  const weights: NetworkWeights = [];
  for (const { inputs, outputs } of header.layers) {
    weights.push({ inputs, outputs, weights: yield* readFloats(inputs * outputs), biases: yield* readFloats(outputs) });
  }
  const nonFinite = yield* describeNonFiniteWeightsInSlices(weights);
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

/** Whether this machine stores a float32 little-endian, as the file does: then floats are copied as they lie. */
const LITTLE_ENDIAN = new Uint8Array(new Float32Array([1]).buffer)[3] === 0x3f;

/**
 * Copies every value of `values` to or from little-endian float32 `bytes` starting at `byteOffset`,
 * a slice at a time. Where the machine is little-endian and the bytes are 4-aligned, a slice is one
 * block copy; otherwise each value goes through a DataView.
 */
function* copyFloats(values: Float32Array, bytes: Uint8Array, byteOffset: number, direction: 'to bytes' | 'from bytes'): Sliced<void> {
  const start = bytes.byteOffset + byteOffset;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let done = 0; done < values.length; done += SLICE_LENGTH) {
    const n = Math.min(SLICE_LENGTH, values.length - done);
    const at = byteOffset + 4 * done;
    if (LITTLE_ENDIAN && start % 4 === 0) {
      const lying = new Float32Array(bytes.buffer, start + 4 * done, n);
      if (direction === 'to bytes') lying.set(values.subarray(done, done + n));
      else values.set(lying, done);
    } else if (direction === 'to bytes') {
      for (let i = 0; i < n; i++) view.setFloat32(at + 4 * i, values[done + i], true);
    } else {
      for (let i = 0; i < n; i++) values[done + i] = view.getFloat32(at + 4 * i, true);
    }
    yield;
  }
}

/**
 * A model's header from the file's first bytes alone (`head`: at least the 12-byte prefix and the
 * header, or the whole file when it is shorter) and the file's size, with every check that needs
 * no weights: signature, version, header, shapes, and the file's length against the one its header
 * describes. What is not checked is the weights (their checksum, their being numbers): `decodeModel`
 * does that when the model is opened. For listing a library without reading its weights.
 */
export function decodeModelHeader(head: Uint8Array, fileSize: number, fileName: string): ModelHeader {
  checkMagic(head, fileName);
  const fail = (message: string): never => {
    throw new ModelFileError(fileName, `${fileName} ${message}`);
  };
  if (fileSize < PREFIX_BYTES + CHECKSUM_BYTES) {
    fail(`is truncated: it has ${fileSize} bytes, fewer than the ${PREFIX_BYTES + CHECKSUM_BYTES} that even an empty model file needs.`);
  }
  const headerEnd = PREFIX_BYTES + new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(8, true);
  if (fileSize < headerEnd + CHECKSUM_BYTES) {
    fail(`is truncated: it has ${fileSize} bytes, but its ${headerEnd - PREFIX_BYTES}-byte header alone needs ${headerEnd + CHECKSUM_BYTES}.`);
  }
  if (head.length < headerEnd) fail(`has a ${headerEnd - PREFIX_BYTES}-byte header, too long to be read as a model's header.`);
  const parsed = parseJson(head.subarray(PREFIX_BYTES, headerEnd));
  if (!parsed.ok) return fail(`has an unreadable header: ${parsed.reason}.`);
  checkNotNewer(parsed.value, fail);
  const header = readHeader(parsed.value, (problem) => fail(`has an invalid header: ${problem}.`));
  const weightBytes = 4 * parameterCount(header.layers);
  const total = align4(headerEnd) + weightBytes + CHECKSUM_BYTES;
  if (fileSize < total) fail(truncatedMessage(fileSize, align4(headerEnd), weightBytes));
  if (fileSize > total) fail(trailingMessage(fileSize, total));
  return header;
}

/**
 * Refuses a file whose length or checksum is wrong. `weightBytes` is the size of the weights the
 * header describes, when the header is readable enough to say.
 */
function* checkIntegrity(
  bytes: Uint8Array,
  view: DataView,
  weightsStart: number,
  weightBytes: number | undefined,
  fail: (message: string) => never,
): Sliced<void> {
  if (weightBytes !== undefined) {
    const expected = weightsStart + weightBytes + CHECKSUM_BYTES;
    // Length before checksum: a cut-off file fails its checksum too, but "truncated" says more.
    if (bytes.length < expected) {
      fail(truncatedMessage(bytes.length, weightsStart, weightBytes));
    }
    // Intact up to where the header says the file ends: only the extra bytes are wrong.
    if (bytes.length > expected && (yield* checksumOf(bytes, expected)) === storedChecksum(view, expected)) fail(trailingMessage(bytes.length, expected));
  }
  const stored = storedChecksum(view, bytes.length);
  const actual = yield* checksumOf(bytes, bytes.length);
  if (actual !== stored) {
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

/** The checksum stored in the 4 bytes before `end`. */
function storedChecksum(view: DataView, end: number): number {
  return view.getUint32(end - CHECKSUM_BYTES, true);
}

/** The CRC-32 of everything before the 4 checksum bytes that end at `end`. */
function checksumOf(bytes: Uint8Array, end: number): Sliced<number> {
  return crc32InSlices(bytes.subarray(0, end - CHECKSUM_BYTES));
}

function truncatedMessage(length: number, weightsStart: number, weightBytes: number): string {
  return (
    `is truncated: it has ${length} bytes, but its header describes ${weightsStart + weightBytes + CHECKSUM_BYTES} ` +
    `(${weightsStart} up to the weights, ${weightBytes} of weights, ${CHECKSUM_BYTES} of checksum). ` +
    'The save may have been interrupted or the copy is incomplete.'
  );
}

function trailingMessage(length: number, expected: number): string {
  return (
    `has ${length - expected} bytes after the end its header describes (it has ${length} bytes, the model ends at ${expected}). ` +
    'Something was appended to it, or it is not the file that was saved.'
  );
}

function hex32(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
